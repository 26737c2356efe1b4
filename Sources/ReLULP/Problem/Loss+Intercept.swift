import Foundation

/// The unpenalised intercept `b` of (P_b), `f(x) = b + Σ a_i σ(⟨w_i, x̃⟩)` (docs/mathematics.md §12): the best `b`
/// for a network, the dual's extra condition `Σ_j p_j = 0`, and the proven bound on the optimal `|b|` that pays for
/// what rounding leaves of `Σ_j p_j`.
extension Loss {
    /// The `b` minimising the data term of `outputs + b` against `targets`: the mean residual for the squared
    /// loss; for L1 and the hinge (convex, piecewise linear, kinks at `y_j − f_j`) the best kink, found by
    /// bisection on the sorted kinks.
    /// With normalised weights `v` the weighted mean and the weighted data term.
    public func bestIntercept(outputs f: [Double], targets y: [Double], weights v: [Double]? = nil) -> Double {
        let residuals = zip(y, f).map { $0 - $1 }
        guard !residuals.isEmpty else { return 0 }
        if self == .squared {
            let total = v?.reduce(0, +) ?? Double(residuals.count)
            return residuals.indices.reduce(0.0) { $0 + (v?[$1] ?? 1) * residuals[$1] } / total
        }
        // Distinct kinks: with tied residuals (integer labels) g(kinks[i+1]) = g(kinks[i]) left of the minimum too.
        let kinks = Set(residuals).sorted()
        func g(_ i: Int) -> Double { value(outputs: f.map { $0 + kinks[i] }, targets: y, weights: v) }
        // g is linear between distinct kinks and convex, so g(kinks[i+1]) − g(kinks[i]) is nondecreasing in i: the
        // first i where it is ≥ 0 is a minimiser.
        var (low, high) = (0, kinks.count - 1)
        while low < high {
            let mid = (low + high) / 2
            if g(mid + 1) >= g(mid) { high = mid } else { low = mid + 1 }
        }
        return kinks[low]
    }

    /// `p` moved into box ∩ {Σ_j p_j = 0}: `clamp(p_j − τ)` into each box with the common shift τ found by bisection
    /// (the mean when the boxes are free). Rounding leaves a small `Σ_j p_j`, which `interceptSlack` pays for.
    /// With normalised weights `v` each box is point j's weight times `v_j` (a zero weight fixes `p_j = 0`).
    public func centredDual(_ p: [Double], targets y: [Double], weight: Double, weights v: [Double]? = nil)
        -> [Double]
    {
        let boxes = p.indices.map { dualBox(target: y[$0], weight: weight * (v?[$0] ?? 1)) }
        let free = p.indices.filter { boxes[$0] == nil }
        guard !p.isEmpty, free.isEmpty else {
            // The squared loss: entries fixed by a zero weight stay 0, the free ones share the shift.
            var q = clampedDual(p, targets: y, weight: weight, weights: v)
            let mean = q.reduce(0, +) / Double(max(free.count, 1))
            for j in free { q[j] -= mean }
            return q
        }
        func shifted(_ tau: Double) -> [Double] {
            p.indices.map { j in
                let box = boxes[j] ?? -Double.infinity...Double.infinity
                return min(max(p[j] - tau, box.lowerBound), box.upperBound)
            }
        }
        // Σ clamp(p_j − τ) falls from Σ upper bounds to Σ lower bounds as τ runs over [low, high].
        var low = p.indices.map { p[$0] - (boxes[$0]?.upperBound ?? 0) }.min() ?? 0
        var high = p.indices.map { p[$0] - (boxes[$0]?.lowerBound ?? 0) }.max() ?? 0
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            guard mid > low, mid < high else { break }
            if shifted(mid).reduce(0, +) > 0 { low = mid } else { high = mid }
        }
        let (a, b) = (shifted(low), shifted(high))
        return abs(a.reduce(0, +)) < abs(b.reduce(0, +)) ? a : b
    }

    /// A proven bound on `|b|` at every optimum of (P_b) with weight `lambda`, for lifted points of norm at most
    /// `radius` (so `|f_μ(x_j)| ≤ radius · ‖μ‖`). With `J₀` the intercept-only objective, an optimum has
    /// `λ‖μ‖ ≤ J₀` and data term ≤ J₀, whence (§12): L1 `|b| ≤ J₀ + mean|y| + R J₀/λ`; squared
    /// `|b| ≤ √(2J₀) + mean|y| + R J₀/λ`; hinge `|b| ≤ n J₀ / min(n₊, n₋) + R J₀/λ`. Inflated for rounding.
    /// With normalised weights `v` (mean 1) the means and class counts are weighted.
    public func interceptBound(targets y: [Double], lambda: Double, radius: Double, weights v: [Double]? = nil)
        -> Double
    {
        let n = Double(y.count)
        guard n > 0 else { return 0 }
        let zeros = [Double](repeating: 0, count: y.count)
        let b0 = bestIntercept(outputs: zeros, targets: y, weights: v)
        let j0 = value(outputs: zeros.map { _ in b0 }, targets: y, weights: v)
        let meanAbs = y.indices.reduce(0) { $0 + (v?[$1] ?? 1) * abs(y[$1]) } / n
        let network = radius * j0 / lambda
        let bound: Double
        switch self {
        case .l1: bound = j0 + meanAbs + network
        case .squared: bound = (2 * j0).squareRoot() + meanAbs + network
        case .hinge:
            let positive = y.indices.reduce(0.0) { $0 + (y[$1] > 0 ? v?[$1] ?? 1 : 0) }
            let smaller = min(positive, n - positive)
            bound = smaller > 0 ? n * j0 / smaller + network : .infinity
        }
        return bound.isFinite ? bound * (1 + 1e-9) + Double.leastNormalMagnitude : .infinity
    }

    /// What a dual `p` that should sum to zero costs the lower bound per unit of its scale: `B · (|Σ_j p_j| + the
    /// sum's rounding error)`, with `B` from `interceptBound` (the term `b Σ_j p_j` of the weak-duality identity).
    static func interceptSlack(dual p: [Double], interceptBound B: Double) -> Double {
        let sum = p.reduce(0, +)
        let magnitude = p.reduce(0) { $0 + abs($1) }
        let excess = abs(sum) + 8 * Double(p.count + 1) * Double.ulpOfOne * magnitude
        return excess > 0 ? B * excess : 0
    }
}
