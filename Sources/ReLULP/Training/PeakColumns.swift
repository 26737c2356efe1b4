/// Column selection by the certificate's peaks (docs/mathematics.md §4a, "Peaks first"): on region s the
/// certificate is linear, `±⟨v_s, w⟩`, and its extreme point is `±v_s/‖v_s‖` itself exactly when that direction lies
/// in the region (`‖Π_{R_s}(±v_s)‖ = ‖v_s‖`): a local maximum of ±η on the sphere, a peak of its own. Sides whose
/// extreme point lies on the region's boundary climb toward a neighbour's peak, and the largest of them cluster
/// around the few highest peaks, while at small λ the optimum has hundreds of atoms.
extension PricingResult {
    /// `sides` (largest first) with the largest kept first, then the other peaks, then the others, each part in the
    /// given order; unchanged without region vectors (the search) or for sides without a region.
    public func peaksFirst(_ sides: [RegionSide], dimension d: Int) -> [RegionSide] {
        let v = regionVectors
        guard !v.isEmpty else { return sides }
        let peak = sides.map { side -> Bool in
            guard let k = side.region, (k + 1) * d <= v.count else { return false }
            let norm = v[(k * d)..<(k * d + d)].reduce(0.0) { $0 + $1 * $1 }.squareRoot()
            return side.value >= (1 - 1e-9) * norm
        }
        // The most violated side stays first whatever it is (the classic choice, which the convergence rests on).
        guard !sides.isEmpty else { return [] }
        let rest = sides.indices.dropFirst()
        return ([0] + rest.filter { peak[$0] } + rest.filter { !peak[$0] }).map { sides[$0] }
    }
}

extension PricedPoint {
    /// The violated sides in the order they become columns: the peaks first (`PricingResult.peaksFirst`).
    func peaksFirst(dimension d: Int) -> [RegionSide] { pricing.peaksFirst(violated, dimension: d) }
}

extension Pricer {
    /// Violated sides (largest first, values in the units where `threshold` is η = 1) with their extreme points w,
    /// in steepest-edge order (docs/mathematics.md §4a, "Small λ, part 4"): the first stays first (the classic
    /// choice, which the convergence rests on), then the others by `(value − threshold)/‖σ(X w)‖`, the violation
    /// per unit of the column's norm, ties in their given order. Sides without an extreme point are left out, and
    /// so are the sides not reached when `deadline` expires (`extremePoints`).
    public func steepestEdge(
        _ sides: [RegionSide], in pricing: PricingResult, threshold: Double, deadline: Deadline = .none
    ) -> [(side: RegionSide, w: [Double])] {
        let columns = extremePoints(of: sides, in: pricing, deadline: deadline)
        guard let first = columns.first else { return [] }
        let rest = Array(columns.dropFirst())
        let score = rest.map { c -> Double in
            var square = 0.0
            for j in 0..<points.count {
                let z = zip(points[point: j], c.w).reduce(0.0) { $0 + $1.0 * $1.1 }
                if z > 0 { square += z * z }
            }
            return (c.side.value - threshold) / max(square.squareRoot(), .leastNormalMagnitude)
        }
        let order = rest.indices.sorted { score[$0] > score[$1] || (score[$0] == score[$1] && $0 < $1) }
        return [first] + order.map { rest[$0] }
    }

    /// The sides with their extreme points, in order, computed while `deadline` has not expired: the projections
    /// are what takes time (88,754 sides of the plane at n = 300 took minutes, and a signal waited for them).
    func extremePoints(of sides: some Sequence<RegionSide>, in pricing: PricingResult, deadline: Deadline) -> [(
        side: RegionSide, w: [Double]
    )] {
        var columns: [(side: RegionSide, w: [Double])] = []
        for side in sides {
            if deadline.expired { break }
            if let w = extremePoint(of: side, in: pricing) { columns.append((side, w)) }
        }
        return columns
    }
}
