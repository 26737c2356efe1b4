import Foundation

/// Heuristic pricing in any dimension (docs/mathematics.md §11): local ascent of `±η(w) = ±Σ_j p_j σ(⟨w, x̃_j⟩)` on
/// the unit sphere across region boundaries. On a cell η is linear, `⟨v_s, w⟩`, so each step moves toward the
/// cell's maximiser `v_s/‖v_s‖` (halving the step until η rises); O(nd) per step. Starts: the given atoms, data
/// points, differences of point pairs and random directions, both signs. The best endpoints are polished exactly
/// (`CertificateSearch.localExtremes`: the cell's extreme value and its neighbours'), so every value returned is
/// attained by the certificate; their maximum is a lower value of max |η|, never a bound.
public struct AscentPricing: Sendable {
    public let search: CertificateSearch
    /// Starting directions besides the atoms (each tried with both signs), ascent steps per start, endpoints
    /// polished.
    public var starts = 64
    public var steps = 20
    public var polished = 8

    public init(search: CertificateSearch) { self.search = search }

    /// The region sides found, largest first (values attained); no new start after `deadline`.
    public func sides(
        dual p: [Double], around atoms: [[Double]] = [], seed: UInt64 = 1, deadline: Deadline = .none
    ) -> [CertificateSearch.Extreme] {
        let points = search.points
        let d = points.dimension
        guard d > 0, points.count > 0 else { return [] }
        var endpoints: [CertificateSearch.Extreme] = []
        for start in startingDirections(atoms: atoms, seed: seed) where !deadline.expired {
            for sign in [1, -1] {
                let end = ascend(from: start, sign: Double(sign), dual: p)
                if end.value > 0 { endpoints.append(.init(sign: sign, value: end.value, weights: end.w)) }
            }
        }
        endpoints.sort { $0.value > $1.value }
        // The endpoints are attained (η evaluated at them); the polish adds their cells' exact extremes.
        let polish = search.localExtremes(dual: p, around: endpoints.prefix(polished).map(\.weights))
        return (polish + endpoints).sorted { $0.value > $1.value }
    }

    /// The atoms, then up to `starts` unit directions: data points, differences of pairs, random directions.
    func startingDirections(atoms: [[Double]], seed: UInt64) -> [[Double]] {
        let points = search.points
        let n = points.count
        let d = points.dimension
        var rng = SplitMix64(seed: seed)
        var result = atoms.filter { $0.count == d }
        let third = max(1, starts / 3)
        for _ in 0..<third { result.append(Array(points[point: Int(rng.next() % UInt64(n))])) }
        for _ in 0..<third {
            let i = Int(rng.next() % UInt64(n))
            let j = Int(rng.next() % UInt64(n))
            result.append(zip(points[point: i], points[point: j]).map { $0 - $1 })
        }
        for _ in 0..<(starts - 2 * third) { result.append(rng.unitVector(d)) }
        return result.compactMap(Self.normalized)
    }

    /// `sign · η(w)` and the cell's vector `sign · v_s` (the sum of `p_j x̃_j` over the points active at w).
    func evaluate(_ w: [Double], sign: Double, dual p: [Double]) -> (value: Double, v: [Double]) {
        let points = search.points
        let d = points.dimension
        var v = [Double](repeating: 0, count: d)
        var value = 0.0
        for j in 0..<points.count where p[j] != 0 {
            let x = points[point: j]
            let t = dot(w, x)
            guard t > 0 else { continue }
            value += p[j] * t
            for (k, xk) in x.enumerated() { v[k] += sign * p[j] * xk }
        }
        return (sign * value, v)
    }

    /// Ascent from `start` for `sign · η`: toward the current cell's maximiser while η rises.
    func ascend(from start: [Double], sign: Double, dual p: [Double]) -> (value: Double, w: [Double]) {
        var w = start
        var (value, v) = evaluate(w, sign: sign, dual: p)
        for _ in 0..<steps {
            guard let target = Self.normalized(v) else { break }
            var t = 1.0
            var moved = false
            while t > 0.05 {
                if let candidate = Self.normalized(zip(w, target).map { (1 - t) * $0 + t * $1 }) {
                    let next = evaluate(candidate, sign: sign, dual: p)
                    if next.value > value * (1 + 1e-12) + 1e-300 {
                        (w, value, v) = (candidate, next.value, next.v)
                        moved = true
                        break
                    }
                }
                t /= 2
            }
            if !moved { break }
        }
        return (value, w)
    }

    /// `x/‖x‖`, nil for a zero or non-finite vector.
    static func normalized(_ x: [Double]) -> [Double]? {
        let length = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length > 0, length.isFinite else { return nil }
        return x.map { $0 / length }
    }
}
