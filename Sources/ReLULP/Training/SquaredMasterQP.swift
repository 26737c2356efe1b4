import LinearProgramming

/// The squared loss's primal master with its residuals eliminated (docs/mathematics.md §4a):
/// `min Σ_j (q_j/2)(y_j − (M a)_j)² + cᵀa` over `a ≥ 0` (free where the column is free: the intercept), a
/// bound-constrained convex QP solved in Swift by a primal active-set method (Lawson–Hanson). It is the last recovery
/// of `MasterLP.solve`: no LP solver is involved, so CLP's numerics cannot end the run.
public struct SquaredMasterQP {
    /// `B = diag(√q) M` by columns, each scaled to unit length (`scale[k]` is the length it had), `t = √q ∘ y`.
    private var columns: [[Double]] = []
    private var scale: [Double] = []
    private var target: [Double] = []
    private var root: [Double] = []
    /// The columns' costs in the scaled variables (`c_k / scale[k]`) and whether each is free (else `a_k ≥ 0`).
    private var costs: [Double] = []
    private var free: [Bool] = []
    private let program: LinearProgram
    private let quadratic: [Double]

    /// Relative tolerances of the KKT check and of the pricing inside the active-set loop (tighter, so that a
    /// solution the loop accepts passes the check).
    static let kktTolerance = 1e-9
    static let enteringTolerance = 1e-11
    /// What remains of a unit column orthogonalised against the passive ones below which it is in their span.
    static let dependenceCutoff = 1e-9

    /// The QP of the master `program` with residual pairs `r⁺_j` (column 2j), `r⁻_j` (2j+1) of quadratic cost
    /// `quadratic[j]` each; nil unless every pair has linear cost 0 and its difference ranges over ℝ, and every other
    /// column is `≥ 0` or free.
    public init?(program: LinearProgram, quadratic: [Double]) {
        let n = program.numberOfRows
        guard quadratic.count == n, program.columns.count >= 2 * n, program.rowLower == program.rowUpper,
            quadratic.allSatisfy({ $0 >= 0 && $0.isFinite })
        else { return nil }
        for j in 0..<n {
            let (plus, minus) = (program.columns[2 * j], program.columns[2 * j + 1])
            guard plus.cost == 0, minus.cost == 0, plus.rows == [j], minus.rows == [j], plus.values == [1],
                minus.values == [-1], plus.upper == .infinity, plus.lower == -.infinity || minus.upper == .infinity
            else { return nil }
        }
        self.program = program
        self.quadratic = quadratic
        root = quadratic.map { $0.squareRoot() }
        target = zip(root, program.rowLower).map { $0 * $1 }
        for column in program.columns[(2 * n)...] {
            guard column.upper == .infinity, column.lower == 0 || column.lower == -.infinity, column.cost >= 0
            else { return nil }
            var b = [Double](repeating: 0, count: n)
            for (j, value) in zip(column.rows, column.values) { b[j] += root[j] * value }
            let length = norm(b)
            columns.append(length > 0 ? b.map { $0 / length } : b)
            scale.append(length)
            costs.append(length > 0 ? column.cost / length : 0)
            free.append(column.lower == -.infinity)
        }
    }

    /// The master's optimum as the backends report it, or nil when the active-set loop does not finish or its
    /// solution fails the KKT check (`kktTolerance`). The loop reads `deadline` before every least-squares solve
    /// and, once it has expired (time or signal), returns status `.timeLimit` without a solution, as a backend's
    /// time limit does (one solve took 100 s of a run at plane n = 300, λ = 1e-6).
    /// `warm`: columns (numbered after the residual pairs, as in `program`) of a previous solve's support, the
    /// first passive set (`warmStart`).
    public func solve(deadline: Deadline = .none, warm: [Int] = []) -> LPResult? {
        let scaled: [Double]
        let rho: [Double]
        do throws(Stopped) {
            guard let solution = try amplitudes(deadline, warm: warm) else { return nil }
            (scaled, rho) = solution
        } catch {
            return LPResult(
                status: .timeLimit, objective: .nan, primal: [], rowDuals: [], reducedCosts: [], iterations: 0,
                seconds: 0)
        }
        let a = scaled.indices.map { scale[$0] > 0 ? scaled[$0] / scale[$0] : 0 }
        return result(amplitudes: a, scaledResidual: rho)
    }

    /// The deadline ended the active-set loop.
    private struct Stopped: Error {}

    /// The factors of the last passive set, kept so that a change of the passive set costs only the Gram–Schmidt
    /// steps after it (`factor`).
    private typealias Factors = (passive: [Int], factor: GramSchmidt)

    /// The row stride of `U`, fixed for every factor of one solve so that factors can grow a column at a time: a
    /// passive set never holds more independent columns than there are rows, plus one for a span test.
    private var stride: Int { min(columns.count, target.count) + 1 }

    /// `ρ = t − B a`, the residual scaled by √q (`u = √q ∘ ρ`).
    private func residual(_ a: [Double]) -> [Double] {
        var residual = target
        for k in a.indices where a[k] != 0 {
            for j in residual.indices { residual[j] -= a[k] * columns[k][j] }
        }
        return residual
    }

    /// `g = c − Bᵀρ` in the scaled variables.
    private func gradient(_ a: [Double]) -> [Double] {
        let rho = residual(a)
        return columns.indices.map { costs[$0] - dot(columns[$0], rho) }
    }

    /// The column whose reduced cost is the most negative relative to `c_k + Σ_j |B_jk ρ_j|` (the KKT check's scale)
    /// below `−enteringTolerance` (for a free column: the largest in magnitude), with that relative value, or nil.
    private func entering(_ rho: [Double], passive: [Int], excluded: Set<Int>) -> (
        column: Int, slope: Double, relative: Double
    )? {
        var best: (column: Int, slope: Double, relative: Double)? = nil
        var bestValue = -Self.enteringTolerance
        for k in columns.indices where scale[k] > 0 && !passive.contains(k) && !excluded.contains(k) {
            let g = costs[k] - dot(columns[k], rho)
            let size = costs[k] + zip(columns[k], rho).reduce(0.0) { $0 + abs($1.0 * $1.1) }
            let value = (free[k] ? -abs(g) : g) / max(size, 1e-300)
            if value < bestValue { (best, bestValue) = ((k, g, value), value) }
        }
        return best
    }

    /// Lawson–Hanson: the column most against the gradient enters the passive set; the inner loop re-solves over
    /// the passive set, stepping back to stay feasible. A column in the span of the passive ones is a direction
    /// of zero curvature and negative slope: it enters by a ratio test that moves along it until a column leaves.
    /// An entry that leaves the objective no lower than the lowest so far (up to `1e-12` relative, its rounding)
    /// excludes its column until an entry makes progress: such pivots cycled (kink1d_n20, λ = 1e-10: four columns
    /// of slopes −8e-12 to −3e-11, rounding noise of ρ, taking turns for 500 pivots, the objective moving by 5e-11
    /// relative up and down), and a column left out this way is still judged by the KKT check of `result`. An entry
    /// after which the passive columns are numerically dependent is undone and its column excluded likewise.
    private func amplitudes(_ deadline: Deadline, warm: [Int]) throws(Stopped) -> (
        amplitudes: [Double], scaledResidual: [Double]
    )? {
        let m = columns.count
        var a = [Double](repeating: 0, count: m)
        var rho = target
        var factors: Factors? = nil
        var passive = (0..<m).filter { free[$0] && scale[$0] > 0 }
        if let start = warmStart(passive + warm.filter { $0 < m && !free[$0] && scale[$0] > 0 }, &factors) {
            (a, rho, passive) = start
        } else {
            guard try innerLoop(&a, &rho, passive: &passive, &factors, deadline) else { return nil }
        }
        var excluded = Set<Int>()
        var stalled = Set<Int>()
        var lowest = objective(a, rho)
        for _ in 0..<(10 * m + 20) {
            guard let (best, slope, _) = entering(rho, passive: passive, excluded: excluded.union(stalled))
            else { return (a, rho) }
            let before = (a, rho, passive)
            if let v = spanCoefficients(of: best, passive: passive, &factors) {
                guard pivot(&a, passive: &passive, entering: best, along: v, slope: slope) else {
                    excluded.insert(best)
                    continue
                }
            } else {
                passive.append(best)
            }
            guard try innerLoop(&a, &rho, passive: &passive, &factors, deadline) else {
                (a, rho, passive) = before
                excluded.insert(best)
                continue
            }
            excluded.removeAll()
            let next = objective(a, rho)
            if next < lowest - 1e-12 * abs(lowest) {
                stalled.removeAll()
                lowest = next
            } else {
                stalled.insert(best)
            }
        }
        return nil
    }

    /// `½‖ρ‖² + cᵀa` in the scaled variables.
    private func objective(_ a: [Double], _ rho: [Double]) -> Double {
        dot(rho, rho) / 2 + zip(a, costs).reduce(0.0) { $0 + $1.0 * $1.1 }
    }

    /// Moves along `e_k − Σ v_i e_i` (B a unchanged, slope `g_k`) until a non-negative passive amplitude reaches 0;
    /// it leaves and k enters. False when nothing blocks (the direction is rounding noise).
    private func pivot(_ a: inout [Double], passive: inout [Int], entering k: Int, along v: [Double], slope: Double)
        -> Bool
    {
        let sign = free[k] && slope > 0 ? -1.0 : 1.0
        var step = Double.infinity
        var leaving = -1
        for (t, i) in passive.enumerated() where !free[i] && sign * v[t] > 0 && a[i] / (sign * v[t]) < step {
            (step, leaving) = (a[i] / (sign * v[t]), t)
        }
        guard leaving >= 0 else { return false }
        for (t, i) in passive.enumerated() { a[i] -= step * sign * v[t] }
        a[k] += sign * step
        a[passive[leaving]] = 0
        passive.remove(at: leaving)
        passive.append(k)
        return true
    }

    /// The least squares over the passive set with the step back of Lawson–Hanson, and the scaled residual `ρ` of
    /// its solution; false when the passive columns are dependent or the loop does not end.
    private func innerLoop(
        _ a: inout [Double], _ rho: inout [Double], passive: inout [Int], _ factors: inout Factors?,
        _ deadline: Deadline
    ) throws(Stopped) -> Bool {
        for _ in 0..<(3 * columns.count + 10) {
            if deadline.expired { throw Stopped() }
            if passive.isEmpty {
                rho = target
                return true
            }
            guard let (z, residual) = subproblem(passive, &factors) else { return false }
            if passive.indices.allSatisfy({ free[passive[$0]] || z[$0] > 0 }) {
                for (t, i) in passive.enumerated() { a[i] = z[t] }
                rho = residual
                return true
            }
            var (alpha, blocking) = (1.0, -1)
            for (t, i) in passive.enumerated() where !free[i] && z[t] <= 0 && a[i] / (a[i] - z[t]) < alpha {
                (alpha, blocking) = (a[i] / (a[i] - z[t]), i)
            }
            for (t, i) in passive.enumerated() { a[i] += alpha * (z[t] - a[i]) }
            if blocking >= 0 { a[blocking] = 0 }
            passive.removeAll { !free[$0] && a[$0] <= 0 }
        }
        return false
    }

    /// A warm start: the least squares over `passive` (a previous solve's support), dropping the columns it gives a
    /// non-positive amplitude until none is left: a feasible point optimal over its passive set, where
    /// Lawson–Hanson's outer loop may start. Nil when the columns are dependent (then the cold start).
    private func warmStart(_ passive: [Int], _ factors: inout Factors?) -> (
        amplitudes: [Double], scaledResidual: [Double], passive: [Int]
    )? {
        var passive = passive
        while passive.contains(where: { !free[$0] }) {
            guard let (z, residual) = subproblem(passive, &factors) else { return nil }
            let dropped = passive.indices.filter { !free[passive[$0]] && z[$0] <= 0 }
            if dropped.isEmpty {
                var a = [Double](repeating: 0, count: columns.count)
                for (t, i) in passive.enumerated() { a[i] = z[t] }
                return (a, residual, passive)
            }
            passive = passive.indices.filter { !dropped.contains($0) }.map { passive[$0] }
        }
        return nil
    }

    /// The passive columns factored `B_P = Q R` (modified Gram–Schmidt) with room for one more; nil when one is in
    /// the span of those before. Keeps the columns of `factors` up to the first passive column that changed (Q's
    /// columns and U's depend only on the columns before them: an entering column costs one Gram–Schmidt step, a
    /// leaving one the steps after its place); `factors` then holds these.
    private func factor(_ passive: [Int], _ factors: inout Factors?) -> GramSchmidt? {
        let n = target.count
        var factor = GramSchmidt(dimension: n)
        var start = 0
        if let kept = factors {
            start = zip(kept.passive, passive).prefix { $0 == $1 }.count
            if start > 0 { factor = kept.factor }
        }
        factors = nil
        factor.reserve(columns: passive.count + 1, stride: stride)
        for s in start..<passive.count {
            for j in 0..<n { factor.q[s * n + j] = columns[passive[s]][j] }
        }
        let ok = target.withUnsafeBufferPointer { x in
            (start..<passive.count).allSatisfy {
                factor.orthogonalize(column: $0, stride: stride, cutoff: Self.dependenceCutoff, x: x)
            }
        }
        guard ok else { return nil }
        factors = (passive, factor)
        return factor
    }

    /// `argmin_z ½‖B_P z − t‖² + c_Pᵀ z`: `R z = Qᵀ t − R⁻ᵀ c_P`, then one step of iterative refinement on the
    /// exact gradient; with its residual `ρ = t − B_P z` taken from the factors, `ρ = Q R⁻ᵀ c_P + (t − Q Qᵀ t)`, not
    /// by the subtraction, which cancels at small λ (docs/mathematics.md §4a).
    private func subproblem(_ passive: [Int], _ factors: inout Factors?) -> (
        amplitudes: [Double], residual: [Double]
    )? {
        guard var factor = factor(passive, &factors) else { return nil }
        let p = passive.count
        let w = forwardSolve(factor, passive.map { costs[$0] }, stride: stride)
        let rho = residual(factor, count: p, stationary: w)
        for s in 0..<p { factor.rhs[s] -= w[s] }
        var z = [Double](repeating: 0, count: p)
        factor.solve(count: p, stride: stride, into: &z)
        var a = [Double](repeating: 0, count: columns.count)
        for (s, i) in passive.enumerated() { a[i] = z[s] }
        let g = gradient(a)
        let correction = forwardSolve(factor, passive.map { -g[$0] }, stride: stride)
        for s in 0..<p { factor.rhs[s] = correction[s] }
        var delta = [Double](repeating: 0, count: p)
        factor.solve(count: p, stride: stride, into: &delta)
        return (zip(z, delta).map { $0 + $1 }, rho)
    }

    /// `ρ = Q w + (t − Q Qᵀ t)` for the first `count` columns of `factor`: the part in their span is fixed by the
    /// stationarity `B_Pᵀ ρ = c_P` (`Qᵀ ρ = w = R⁻ᵀ c_P`), the rest is t's, projected twice; it is exactly 0 when the
    /// passive columns span every row of non-zero weight.
    private func residual(_ factor: GramSchmidt, count p: Int, stationary w: [Double]) -> [Double] {
        let n = target.count
        var rho = target
        let rank = root.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        if p >= rank {
            for j in 0..<n { rho[j] = 0 }
        } else {
            for _ in 0..<2 {
                for s in 0..<p {
                    var c = 0.0
                    for j in 0..<n { c += factor.q[s * n + j] * rho[j] }
                    for j in 0..<n { rho[j] -= c * factor.q[s * n + j] }
                }
            }
        }
        for s in 0..<p {
            for j in 0..<n { rho[j] += w[s] * factor.q[s * n + j] }
        }
        return rho
    }

    /// `w` with `Rᵀ w = c`.
    private func forwardSolve(_ factor: GramSchmidt, _ c: [Double], stride: Int) -> [Double] {
        var w = [Double](repeating: 0, count: c.count)
        for a in c.indices {
            var s = c[a]
            for b in 0..<a { s -= factor.upper[b * stride + a] * w[b] }
            w[a] = s / factor.upper[a * stride + a]
        }
        return w
    }

    /// `v` with `B_k = Σ v_i B_i` over the passive columns when B_k is (numerically) in their span, else nil.
    private func spanCoefficients(of k: Int, passive: [Int], _ factors: inout Factors?) -> [Double]? {
        guard var factor = factor(passive, &factors) else { return nil }
        let n = target.count
        let p = passive.count
        for j in 0..<n { factor.q[p * n + j] = columns[k][j] }
        let independent = target.withUnsafeBufferPointer { x in
            factor.orthogonalize(column: p, stride: stride, cutoff: Self.dependenceCutoff, x: x)
        }
        guard !independent else { return nil }
        for s in 0..<p { factor.rhs[s] = factor.upper[s * stride + p] }
        var v = [Double](repeating: 0, count: p)
        factor.solve(count: p, stride: stride, into: &v)
        return v
    }
}

extension SquaredMasterQP {
    /// The master's primal (residual pairs, then the other columns), row duals `u_j = q_j r_j`, reduced costs
    /// `c + Q x − Aᵀu` and objective for amplitudes `a` and the scaled residual `ρ` of the active-set loop
    /// (`u = √q ∘ ρ`, `r = ρ / √q`; `r = y − M a` on rows of weight 0); nil when they fail the KKT conditions: for a
    /// column of cost c_k, `g_k = c_k − ⟨M_k, u⟩ ≥ 0` (= 0 where `a_k > 0` or the column is free), to `kktTolerance`
    /// relative to `c_k + Σ_j |M_jk u_j|`, and every row `M a + r = y` to `kktTolerance` relative to `|y_j| + Σ_k |M_jk a_k|`.
    fileprivate func result(amplitudes a: [Double], scaledResidual rho: [Double]) -> LPResult? {
        let n = program.numberOfRows
        var fit = [Double](repeating: 0, count: n)
        var rowSize = program.rowLower.map(abs)
        for (k, column) in program.columns[(2 * n)...].enumerated() where a[k] != 0 {
            for (j, value) in zip(column.rows, column.values) {
                fit[j] += a[k] * value
                rowSize[j] += abs(a[k] * value)
            }
        }
        let residual = (0..<n).map { j in root[j] > 0 ? rho[j] / root[j] : program.rowLower[j] - fit[j] }
        for j in 0..<n where abs(program.rowLower[j] - fit[j] - residual[j]) > Self.kktTolerance * rowSize[j] {
            return nil
        }
        let u = (0..<n).map { j in root[j] * rho[j] }
        var primal: [Double] = []
        var reducedCosts: [Double] = []
        var objective = 0.0
        for j in 0..<n {
            let r = residual[j]
            let (plus, minus) = program.columns[2 * j].lower == -.infinity ? (r, 0) : (max(r, 0), max(-r, 0))
            primal += [plus, minus]
            reducedCosts += [quadratic[j] * plus - u[j], quadratic[j] * minus + u[j]]
            objective += quadratic[j] / 2 * (plus * plus + minus * minus)
        }
        for (k, column) in program.columns[(2 * n)...].enumerated() {
            var (g, size) = (column.cost, column.cost)
            for (j, value) in zip(column.rows, column.values) {
                g -= value * u[j]
                size += abs(value * u[j])
            }
            let tolerance = Self.kktTolerance * max(size, 1e-300)
            let stationary = column.lower == -.infinity || a[k] > 0
            guard a[k] >= 0 || column.lower == -.infinity, stationary ? abs(g) <= tolerance : g >= -tolerance
            else { return nil }
            primal.append(a[k])
            reducedCosts.append(g)
            objective += column.cost * a[k]
        }
        return LPResult(
            status: .optimal, objective: objective, primal: primal, rowDuals: u, reducedCosts: reducedCosts,
            iterations: 0, seconds: 0)
    }
}

extension MasterLP {
    /// The squared loss's primal master solved by `SquaredMasterQP` (the last recovery of `solve`) within
    /// `deadline`, or nil.
    func solveSquaredQP(deadline: Deadline) -> LPResult? {
        guard form == .primal, let q = quadratic else { return nil }
        return SquaredMasterQP(program: program(), quadratic: q)?.solve(deadline: deadline)
    }
}
