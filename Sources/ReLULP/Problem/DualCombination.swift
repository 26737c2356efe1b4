/// The best lower bound over the segment between two dual points (docs/mathematics.md §11, "Combining duals"):
/// the dual feasible set `{p in its box, M(p) ≤ λ}` is convex and `M` is convex, so `(1 − θ) p₀ + θ p₁` with the
/// bound `(1 − θ) M̄₀ + θ M̄₁` on its `M` proves a valid lower bound for every θ ∈ [0, 1].
enum DualCombination {
    /// The θ ∈ [0, 1] of largest `bound(θ)` found by a grid of 17 points and a golden-section refinement around
    /// the best of them (the bound need not be concave in θ; every θ tried is valid), with its value.
    static func best(_ bound: (Double) -> Double) -> (theta: Double, value: Double) {
        var best = (theta: 0.0, value: bound(0))
        let steps = 16
        for i in 1...steps {
            let theta = Double(i) / Double(steps)
            let value = bound(theta)
            if value > best.value { best = (theta, value) }
        }
        var low = max(0, best.theta - 1 / Double(steps))
        var high = min(1, best.theta + 1 / Double(steps))
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<24 {
            let a = high - ratio * (high - low)
            let b = low + ratio * (high - low)
            let (va, vb) = (bound(a), bound(b))
            if va > best.value { best = (a, va) }
            if vb > best.value { best = (b, vb) }
            if va >= vb { high = b } else { low = a }
        }
        return best
    }

    /// `(1 − θ) a + θ b`.
    static func mix(_ a: [Double], _ b: [Double], _ theta: Double) -> [Double] {
        zip(a, b).map { (1 - theta) * $0 + theta * $1 }
    }
}
