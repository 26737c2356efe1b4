/// The data term of (P): `J(μ) = loss(y, f_μ) + λ ‖μ‖_TV`. It decides the master problem's residual columns,
/// the box the dual vector lives in and the dual objective; the pricing over the regions and the certificate
/// `η = (1/λ) Σ_j p_j σ(⟨w, x̃_j⟩)` are the same for every loss (docs/mathematics.md §2 and §4; the derivations are in the README, "Losses").
///
/// The master keeps the rows `Σ_k a_k σ(⟨w_k, x̃_j⟩) + r⁺_j − r⁻_j = y_j` with `r^± ≥ 0` for every loss; only the
/// residual columns' costs change:
///
/// | loss      | data term                         | cost of r⁺_j, r⁻_j     | dual box of p_j         | dual objective           |
/// |-----------|-----------------------------------|------------------------|-------------------------|--------------------------|
/// | `l1`      | (1/n) Σ \|y_j − f_j\|              | 1/n, 1/n               | \|p_j\| ≤ 1/n            | Σ p_j y_j                |
/// | `hinge`   | (1/n) Σ max(0, 1 − y_j f_j), y=±1 | 1/n on the side of y_j | p_j y_j ∈ [0, 1/n]      | Σ p_j y_j                |
/// | `squared` | (1/2n) Σ (y_j − f_j)²             | ½ r⁺_j²/n, r⁺_j free   | free                    | Σ p_j y_j − (n/2) ‖p‖²   |
///
/// (For the hinge with y_j = +1 the loss max(0, 1 − f_j) is r⁺_j; with y_j = −1 it is r⁻_j. For the squared loss
/// r⁺_j is a free column and r⁻_j is fixed at 0; see `residualBounds`.)
public enum Loss: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case l1
    case squared
    case hinge

    public var description: String { rawValue }

    /// Whether the master problem has a quadratic objective (needs a backend that `solvesQuadraticObjectives`).
    public var isQuadratic: Bool { self == .squared }

    /// The data term of outputs `f` against targets `y` (for the hinge, `y_j = ±1`), each point's loss times its
    /// normalised weight `v_j` (`normalisedWeights`; all 1 when nil).
    public func value(outputs f: [Double], targets y: [Double], weights v: [Double]? = nil) -> Double {
        let n = Double(y.count)
        var sum = 0.0
        for j in y.indices {
            let term: Double
            switch self {
            case .l1: term = abs(y[j] - f[j])
            case .squared: term = 0.5 * (y[j] - f[j]) * (y[j] - f[j])
            case .hinge: term = max(0, 1 - y[j] * f[j])
            }
            sum += (v?[j] ?? 1) * term
        }
        return sum / n
    }

    /// A derivative of one point's loss in its output `f` (a subgradient at the kinks: 0 there), for the final
    /// descent (`NetworkDescent`).
    public func derivative(output f: Double, target y: Double) -> Double {
        switch self {
        case .l1: y > f ? -1 : y < f ? 1 : 0
        case .squared: f - y
        case .hinge: y * f < 1 ? -y : 0
        }
    }

    /// Sample weights `w` normalised to `v_j = n w_j / Σ w` (mean 1), so that the data term `(1/n) Σ v_j loss_j`
    /// is `(1/Σw) Σ w_j loss_j`: weight 2 is a duplicated row and weight 0 a removed one (§12). nil stays nil.
    public static func normalisedWeights(_ w: [Double]?) -> [Double]? {
        guard let w else { return nil }
        let total = w.reduce(0, +)
        return w.map { Double(w.count) * $0 / total }
    }

    /// Linear costs of the residual columns `r⁺_j`, `r⁻_j` of target `y`, for a data term weighted by `weight`
    /// (the master scales (P) by 1/λ so that a neuron costs 1: `weight = 1/(nλ)`).
    func residualCosts(target y: Double, weight: Double) -> (plus: Double, minus: Double) {
        switch self {
        case .l1: (weight, weight)
        case .squared: (0, 0)
        case .hinge: y > 0 ? (weight, 0) : (0, weight)
        }
    }

    /// Bounds of the residual columns `r⁺_j`, `r⁻_j`. For the squared loss `r⁺_j` is free and `r⁻_j` fixed at 0:
    /// with two opposite columns of positive curvature CLP's quadratic primal cycled (10⁶ iterations on a 30-point
    /// master that a single free column solves in 20 iterations).
    var residualBounds: (plus: ClosedRange<Double>, minus: ClosedRange<Double>) {
        switch self {
        case .l1, .hinge: (0...Double.infinity, 0...Double.infinity)
        case .squared: (-Double.infinity...Double.infinity, 0...0)
        }
    }

    /// The quadratic cost `q` of both residual columns (objective ½ q r²), nil for an LP.
    func residualQuadraticCost(weight: Double) -> Double? {
        self == .squared ? weight : nil
    }

    /// The interval a dual entry `p_j` for target `y` must lie in, for a data term weighted by `weight` (1/n for
    /// (P) itself); nil when it is free.
    func dualBox(target y: Double, weight: Double) -> ClosedRange<Double>? {
        switch self {
        case .l1: -weight...weight
        case .squared: weight == 0 ? 0...0 : nil
        case .hinge: y > 0 ? 0...weight : -weight...0
        }
    }

    /// `p` moved into its dual box (the table above; point j's weight times `v_j`): a valid lower bound needs it
    /// exactly.
    func clampedDual(_ p: [Double], targets y: [Double], weight: Double, weights v: [Double]? = nil) -> [Double] {
        p.indices.map { j in
            guard let box = dualBox(target: y[j], weight: weight * (v?[j] ?? 1)) else { return p[j] }
            return min(max(p[j], box.lowerBound), box.upperBound)
        }
    }

    /// The largest distance of `p` from its dual box (0 when inside).
    func dualBoxViolation(_ p: [Double], targets y: [Double], weight: Double, weights v: [Double]? = nil) -> Double {
        p.indices.reduce(0.0) { worst, j in
            guard let box = dualBox(target: y[j], weight: weight * (v?[j] ?? 1)) else { return worst }
            return max(worst, box.lowerBound - p[j], p[j] - box.upperBound)
        }
    }

    /// The lower bound on the optimum of (P) proved by a dual vector `p` inside its box whose certificate peaks at
    /// `M = max_w |Σ_j p_j σ(⟨w, x̃_j⟩)|` over the whole sphere. `t p` is feasible for the dual
    /// for every `t ∈ [0, λ/M]` (and `t ≤ 1` to stay in a bounded box); the bound is the dual objective at the
    /// best such `t`, computed for the scaled point. In floating point it stays valid: `t` is shrunk by the
    /// relative rounding error of `M`, and the rounding error of the sums (a few `(n + d)` ulps) is subtracted.
    /// `boxExcess` is how far, relatively, `p` may stand outside its box (from the rounding of the box the caller
    /// clamped to): `p / (1 + boxExcess)` is inside, and its value differs by at most `boxExcess · Σ|p_j y_j|`.
    /// With an intercept, `interceptSlack` (`Loss.interceptSlack`) is subtracted from `Σ p_j y_j`; with weights
    /// the squared loss's conjugate is `(n/2) Σ p_j²/v_j` (p_j = 0 where v_j = 0, §12).
    public func lowerBound(
        dual p: [Double], maxCertificate M: Double, targets y: [Double], lambda: Double,
        dimension d: Int, boxExcess: Double = 0, interceptSlack: Double = 0, weights v: [Double]? = nil
    ) -> Double {
        let n = p.count
        let rounding = 8 * Double(n + d) * Double.ulpOfOne + boxExcess
        var a = 0.0
        var magnitude = 0.0
        var squares = 0.0
        for j in 0..<n {
            a += p[j] * y[j]
            magnitude += abs(p[j] * y[j])
            squares += Self.weightedSquare(p[j], v?[j])
        }
        a -= interceptSlack
        // The largest feasible scale; infinite when the certificate vanishes (then every scale is feasible).
        let tMax = M > 0 ? lambda / M * (1 - rounding) : .infinity
        switch self {
        case .l1, .hinge:
            let t = min(1, tMax)
            return t * (a - rounding * magnitude)
        case .squared:
            // g(t) = t a − t² b with b = (n/2) ‖p‖², concave: the maximiser a / (2b) clipped to [0, tMax].
            let b = 0.5 * Double(n) * squares
            guard a > 0 else { return 0 }
            let t = b > 0 ? min(a / (2 * b), tMax) : tMax
            guard t.isFinite else { return 0 }
            return t * a - t * t * b - rounding * (t * magnitude + t * t * b)
        }
    }

    /// `p²/v` (`p²` without weights; 0 for p = 0, ∞ for p ≠ 0 at v = 0: such a dual is infeasible).
    static func weightedSquare(_ p: Double, _ v: Double?) -> Double {
        guard let v else { return p * p }
        return p == 0 ? 0 : p * p / v
    }

    /// The lower bound on the least total variation of a network with `f(x_j) = y_j` (the noise-free limit, λ → 0)
    /// proved by any dual vector `p` whose certificate peaks at `M = max_w |Σ_j p_j σ(⟨w, x̃_j⟩)|` (or an upper
    /// bound on it): `p/M` is dual feasible, so the bound is `Σ p_j y_j / M`, less the rounding error of the sum.
    /// With `M = 0` the bound is 0 when `Σ p_j y_j = 0` and useless (−∞) otherwise.
    public static func interpolationLowerBound(
        dual p: [Double], maxCertificate M: Double, targets y: [Double],
        dimension d: Int
    ) -> Double {
        let n = p.count
        var value = 0.0
        var magnitude = 0.0
        for j in 0..<n {
            value += p[j] * y[j]
            magnitude += abs(p[j] * y[j])
        }
        let rounded = value - 8 * Double(n + d) * Double.ulpOfOne * magnitude
        return M > 0 ? rounded / M : (value == 0 ? 0 : -.infinity)
    }

    /// The largest `M` up to which `lowerBound` does not depend on `M` (the best scale `t` is below `λ/M`): an upper
    /// bound on `max |Σ p_j σ|` that stays below it gives the same bound as the maximum itself. L1, hinge: about λ;
    /// squared: about λ·2b/a; infinite when the bound is 0 whatever `M`.
    public func exactMaximumThreshold(
        dual p: [Double], targets y: [Double], lambda: Double, dimension d: Int, interceptSlack: Double = 0,
        weights v: [Double]? = nil
    ) -> Double {
        let n = p.count
        let rounding = 8 * Double(n + d) * Double.ulpOfOne
        switch self {
        case .l1, .hinge:
            return lambda * (1 - rounding)
        case .squared:
            var a = 0.0
            var squares = 0.0
            for j in 0..<n {
                a += p[j] * y[j]
                squares += Self.weightedSquare(p[j], v?[j])
            }
            a -= interceptSlack
            let b = 0.5 * Double(n) * squares
            guard a > 0, b > 0 else { return .infinity }
            return lambda * (1 - rounding) * (2 * b / a)
        }
    }

    /// The targets the master fits and, for the hinge, the two classes `[negative, positive]`: the labels must
    /// take exactly two values; the smaller maps to −1, the larger to +1.
    public func targets(labels: [Double]) throws(TrainingError) -> (targets: [Double], classes: [Double]?) {
        guard self == .hinge else { return (labels, nil) }
        let values = Set(labels).sorted()
        guard values.count == 2 else {
            let shown = values.prefix(5).map { "\($0)" }.joined(separator: ", ") + (values.count > 5 ? ", …" : "")
            throw .invalidOption(
                "the hinge loss needs labels of exactly two classes; the labels take \(values.count) distinct value\(values.count == 1 ? "" : "s") (\(shown))"
            )
        }
        return (labels.map { $0 == values[1] ? 1 : -1 }, values)
    }
}
