/// The least-distance program `min ½‖p‖² s.t. ⟨g_i, p⟩ ≥ h_i` (docs/mathematics.md §9), solved in Swift by
/// Lawson–Hanson's reduction to non-negative least squares: `u = argmin_{u ≥ 0} ‖E u − e‖` with the columns
/// `(g_i; h_i)` of E and `e = (0, …, 0, 1)` gives the multipliers `λ = u / (1 − hᵀu)` and `p = Σ λ_i g_i`. Dense;
/// sized for n up to a few hundred and a few thousand constraints (the least-norm dual's cutting planes).
struct LeastDistance {
    /// p with the KKT quantities that certify it on this constraint set.
    struct Solution {
        var point: [Double]
        /// λ ≥ 0, one per constraint; `point = Σ λ_i g_i` exactly (up to rounding).
        var multipliers: [Double]
        /// `max_i (h_i − ⟨g_i, p⟩)⁺ / ‖g_i‖`: primal infeasibility (0 when p is feasible).
        var infeasibility: Double
        /// `|‖p‖² − Σ λ_i h_i| / ‖p‖² = |Σ λ_i (⟨g_i, p⟩ − h_i)| / ‖p‖²`: the QP's relative duality gap (complementarity
        /// summed; single terms mislead when near-parallel cuts share large multipliers).
        var dualityGap: Double
        /// `Σ λ_i h_i / ‖p‖`: by weak duality no feasible point is shorter (⟨p, q⟩ = Σ λ_i ⟨g_i, q⟩ ≥ Σ λ_i h_i).
        var normLowerBound: Double
    }

    let dimension: Int
    private(set) var rows: [[Double]] = []
    private(set) var bounds: [Double] = []

    init(dimension: Int) { self.dimension = dimension }

    mutating func append(row: [Double], bound: Double) {
        rows.append(row)
        bounds.append(bound)
    }

    /// The solution, nil when the constraints are (numerically) infeasible or the NNLS does not finish. It is
    /// computed for `q = p / scale` (the NNLS residual is ~ 1/‖q‖², so a scale near ‖p‖ keeps it well conditioned).
    func solve(scale: Double = 1) -> Solution? {
        var columns = rows.indices.map { i in rows[i] + [bounds[i] / scale] }
        let lengths = columns.map(norm)
        for i in columns.indices where lengths[i] > 0 { columns[i] = columns[i].map { $0 / lengths[i] } }
        guard let u = Self.nonNegativeLeastSquares(columns: columns, dimension: dimension + 1) else { return nil }
        // Back to the unscaled columns, then λ = u / (1 − hᵀu).
        let unscaled = u.indices.map { lengths[$0] > 0 ? u[$0] / lengths[$0] : 0 }
        let s = 1 - zip(unscaled, bounds).reduce(0.0) { $0 + $1.0 * $1.1 / scale }
        guard s > 1e-14 else { return nil }
        let lambda = unscaled.map { $0 * scale / s }
        var p = [Double](repeating: 0, count: dimension)
        for i in lambda.indices where lambda[i] > 0 {
            for t in 0..<dimension { p[t] += lambda[i] * rows[i][t] }
        }
        return certify(point: p, multipliers: lambda)
    }

    /// The KKT quantities of `point` with `multipliers` on this constraint set.
    func certify(point p: [Double], multipliers lambda: [Double]) -> Solution {
        let pp = max(dot(p, p), 1e-300)
        var infeasibility = 0.0
        var value = 0.0
        for i in rows.indices {
            let g = norm(rows[i])
            guard g > 0 else { continue }
            infeasibility = max(infeasibility, (bounds[i] - dot(rows[i], p)) / g)
            value += lambda[i] * bounds[i]
        }
        return Solution(
            point: p, multipliers: lambda, infeasibility: infeasibility, dualityGap: abs(pp - value) / pp,
            normLowerBound: max(0, value) / pp.squareRoot())
    }

    /// Lawson–Hanson on `min_{u ≥ 0} ‖E u − e_last‖` for unit columns of length `dimension`; the least squares of
    /// each step orthogonalise the passive columns (`GramSchmidt`), as the cone projection of the pricing does.
    static func nonNegativeLeastSquares(columns: [[Double]], dimension d: Int) -> [Double]? {
        let m = columns.count
        var target = [Double](repeating: 0, count: d)
        target[d - 1] = 1
        var u = [Double](repeating: 0, count: m)
        var passive: [Int] = []
        var isPassive = [Bool](repeating: false, count: m)
        var excluded = Set<Int>()
        var residual = target.map { -$0 }  // E u − e
        var steps = 0
        while steps < 3 * m + 10 {
            steps += 1
            // The column most against the residual enters (gradient −Eᵀr).
            var best = -1
            var bestValue = 1e-13
            for i in 0..<m where !isPassive[i] && !excluded.contains(i) {
                let w = -dot(columns[i], residual)
                if w > bestValue {
                    bestValue = w
                    best = i
                }
            }
            if best < 0 { return u }
            passive.append(best)
            isPassive[best] = true
            if !innerLoop(
                columns: columns, target: target, entering: best, u: &u, passive: &passive, isPassive: &isPassive)
            {
                excluded.insert(best)
            } else {
                excluded.removeAll()
            }
            residual = target.map { -$0 }
            for i in passive {
                for t in 0..<d { residual[t] += u[i] * columns[i][t] }
            }
        }
        return nil
    }

    /// The inner loop of Lawson–Hanson: least squares over the passive set, stepping back to stay feasible; false
    /// when the entering column was rejected (dependent on the passive ones, or not positive at once).
    private static func innerLoop(
        columns: [[Double]], target: [Double], entering: Int, u: inout [Double], passive: inout [Int],
        isPassive: inout [Bool]
    ) -> Bool {
        var first = true
        for _ in 0..<(3 * columns.count + 10) {
            guard let z = leastSquares(columns: columns, passive: passive, target: target),
                !(first && (z.last ?? 0) <= 0)
            else {
                passive.removeAll { $0 == entering }
                isPassive[entering] = false
                u[entering] = 0
                return false
            }
            first = false
            if z.allSatisfy({ $0 > 0 }) {
                for (t, i) in passive.enumerated() { u[i] = z[t] }
                return true
            }
            var alpha = 1.0
            for (t, i) in passive.enumerated() where z[t] <= 0 {
                let denominator = u[i] - z[t]
                if denominator > 0 { alpha = min(alpha, u[i] / denominator) }
            }
            for (t, i) in passive.enumerated() { u[i] += alpha * (z[t] - u[i]) }
            for i in passive where u[i] <= 1e-300 {
                u[i] = 0
                isPassive[i] = false
            }
            passive.removeAll { !isPassive[$0] }
            if passive.isEmpty { return true }
        }
        return true
    }

    /// `argmin_z ‖E_P z − target‖` over the passive columns (in their order); nil when one is (numerically) in the
    /// span of those before it.
    private static func leastSquares(columns: [[Double]], passive: [Int], target: [Double]) -> [Double]? {
        let d = target.count
        let p = passive.count
        var factor = GramSchmidt(dimension: d)
        factor.reserve(columns: p, stride: p)
        for (a, i) in passive.enumerated() {
            for t in 0..<d { factor.q[a * d + t] = columns[i][t] }
        }
        var z = [Double](repeating: 0, count: p)
        let ok = target.withUnsafeBufferPointer { x in
            (0..<p).allSatisfy { factor.orthogonalize(column: $0, stride: p, cutoff: 1e-12, x: x) }
        }
        guard ok else { return nil }
        factor.solve(count: p, stride: p, into: &z)
        return z
    }
}
