import Foundation
import ReLULP

/// The arrangement tests' stream of the library's SplitMix64 (state = seed), with its own Gaussian draw.
struct SeededRandom: RandomNumberGenerator {
    var base: SplitMix64
    init(seed: UInt64) { base = SplitMix64(seed: seed &- 0x9E37_79B9_7F4A_7C15) }
    mutating func next() -> UInt64 { base.next() }
    mutating func gaussian() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

func randomPoints(n: Int, d: Int, seed: UInt64) -> LiftedData {
    var rng = SeededRandom(seed: seed)
    return LiftedData(count: n, dimension: d, values: (0..<n * d).map { _ in rng.gaussian() })
}

/// Lifts rows with a bias coordinate.
func lift(_ rows: [[Double]], bias: Bool = true) -> LiftedData {
    let d = rows[0].count + (bias ? 1 : 0)
    return LiftedData(count: rows.count, dimension: d, values: rows.flatMap { bias ? $0 + [1] : $0 })
}

func dotProduct(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
    zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
}

func norm(_ a: ArraySlice<Double>) -> Double { dotProduct(a, a).squareRoot() }

/// Numerical rank of a set of vectors (Gram–Schmidt).
func numericalRank(_ vectors: [[Double]], tolerance: Double = 1e-8) -> Int {
    var basis: [[Double]] = []
    for v in vectors {
        var r = v
        for b in basis {
            let p = zip(r, b).reduce(0) { $0 + $1.0 * $1.1 }
            r = zip(r, b).map { $0 - p * $1 }
        }
        let s = r.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if s > tolerance { basis.append(r.map { $0 / s }) }
    }
    return basis.count
}

/// The degenerate fixtures of the brute-force tests (n ≤ 10).
let degenerateFixtures: [(name: String, points: LiftedData)] = [
    ("duplicates", lift([[0, 0], [1, 0], [0, 1], [0, 0], [1, 0], [0.3, 0.7]])),
    ("three collinear", lift([[0, 0], [1, 1], [2, 2], [0, 1], [3, 0]])),
    (
        "five on a line (hyperplanes through one line)",
        lift([[0, 1], [1, 3], [2, 5], [-1, -1], [0.5, 2], [1, 0], [-2, 3]])
    ),
    (
        "plane in R^3, no bias",
        lift([[1, 0, 1], [0, 1, 1], [1, 1, 2], [2, -1, 1], [-1, 3, 2], [0.5, 0.2, 0.7]], bias: false)
    ),
    (
        "zero rows, no bias",
        lift([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 0], [1, 1, 1], [-1, 2, 0.5]], bias: false)
    ),
    (
        "parallel and antipodal rows, no bias",
        lift([[1, 2, 0], [-2, -4, 0], [3, 6, 0], [0, 1, 1], [1, 0, 1], [0, 0, 0]], bias: false)
    ),
    ("1-d data with duplicates", lift([[0], [1], [1], [2], [-3], [0]])),
    ("rank 1, no bias", lift([[1, 2], [-2, -4], [0.5, 1], [0, 0]], bias: false)),
    ("all zero, no bias", lift([[0, 0], [0, 0], [0, 0]], bias: false)),
    (
        "coplanar points in R^3 with bias",
        lift([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0], [0.2, 0.3, 1], [-1, 0.5, 2], [0.7, -0.4, -1]])
    ),
    (
        "four concurrent planes in R^4",
        lift(
            [
                [1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0], [1, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 1, 1, 1],
                [0.3, -0.2, 0.9, -1.1],
            ], bias: false)
    ),
    ("random general position R^3", randomPoints(n: 8, d: 3, seed: 42)),
    ("random general position R^4", randomPoints(n: 8, d: 4, seed: 43)),
]

/// Checks the internal consistency of an enumeration; returns problems found.
func consistencyProblems(_ a: Arrangement) -> [String] {
    var problems: [String] = []
    let d = a.dimension
    let n = a.points.count
    var signs: [SignVector] = []
    var seen: Set<SignVector> = []
    for k in 0..<a.numberOfRegions {
        let s = a.signVector(ofRegion: k)
        signs.append(s)
        if !seen.insert(s).inserted { problems.append("region \(k) repeats a sign vector") }
        for j in 0..<n where norm(a.points[point: j]) == 0 && s[j] {
            problems.append("zero point \(j) active in region \(k)")
        }
    }
    // traversal tree
    if a.parent.first != -1 { problems.append("parent[0] != -1") }
    for k in 1..<max(a.numberOfRegions, 1) {
        let p = Int(a.parent[k])
        guard p >= 0 && p < k else {
            problems.append("parent[\(k)] = \(p)")
            continue
        }
        var s = signs[p]
        for e in a.changeStart[k]..<a.changeStart[k + 1] {
            let j = Int(a.changePoint[e])
            if s[j] == a.changeTurnsOn[e] { problems.append("change of point \(j) in region \(k) does not change it") }
            s[j] = a.changeTurnsOn[e]
        }
        if s != signs[k] { problems.append("region \(k) differs from parent plus changes") }
    }
    // rays: unit, satisfy the sign constraints, on at least r−1 distinct hyperplanes, span the region
    for k in 0..<a.numberOfRegions {
        var regionRays: [[Double]] = []
        for i in a.rayIndices(ofRegion: k).map(Int.init) {
            let ray = a.ray(i)
            regionRays.append(Array(ray))
            if abs(norm(ray) - 1) > 1e-12 { problems.append("ray \(i) not unit") }
            var classesOn: Set<Int32> = []
            for j in 0..<n {
                let x = a.points[point: j]
                let nx = norm(x)
                guard nx > 0 else { continue }
                let value = dotProduct(ray, x) / nx
                if abs(value) <= 1e-9 {
                    classesOn.insert(a.pointClass[j])
                    continue
                }
                if (value > 0) != signs[k][j] { problems.append("ray \(i) violates sign of point \(j) in region \(k)") }
            }
            if classesOn.count < a.rank - 1 { problems.append("ray \(i) on \(classesOn.count) hyperplanes < r−1") }
        }
        if a.rank >= 1 && numericalRank(regionRays) != a.rank {
            problems.append("rays of region \(k) span \(numericalRank(regionRays)) dims, rank is \(a.rank)")
        }
        // a strict interior point: the mean of the rays
        if a.rank >= 1 {
            var mean = [Double](repeating: 0, count: d)
            for ray in regionRays { for i in 0..<d { mean[i] += ray[i] } }
            for j in 0..<n {
                let x = a.points[point: j]
                guard norm(x) > 0 else { continue }
                let value = dotProduct(mean[...], x)
                if value == 0 || (value > 0) != signs[k][j] {
                    problems.append("ray mean not strictly inside region \(k) for point \(j)")
                }
            }
        }
        // facets: flipping a facet's hyperplane gives another region
        for j in a.facets(ofRegion: k) {
            var t = signs[k]
            for l in 0..<n where a.pointClass[l] == a.pointClass[j] { t[l].toggle() }
            if !seen.contains(t) { problems.append("facet \(j) of region \(k) has no neighbour") }
        }
    }
    return problems
}
