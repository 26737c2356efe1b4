import LinearProgramming
import Testing

/// CLP's runs in stretches of iterations (the wall-clock time limit, `CLPSolver.run`): a stretched solve must
/// reach the optimum of an unstretched one, and a stretch ending on its own iteration limit must not be
/// reported as the caller's.
@Suite struct CLPStretchTests {
    /// The L1 regression with ½ r² on its residual columns: min ½ Σ (r⁺² + r⁻²) + λ Σ |x|, a convex QP
    /// (ridge-like squared loss with an L1 penalty); its columns are x⁺, x⁻ (n each), r⁺, r⁻ (m each).
    func squaredRegression(rows m: Int, features n: Int, seed: UInt64) -> (LinearProgram, [Double]) {
        let program = L1Regression(rows: m, features: n, seed: seed).program
        let residuals = Array((2 * n)..<(2 * n + 2 * m))
        return (program, residuals.map(Double.init))
    }

    func solver(stretch: Int?, options: LPOptions = LPOptions()) -> CLPSolver {
        let solver = CLPSolver(options: options)
        solver.stretchOverride = stretch
        return solver
    }

    /// First-order optimality of the QP from the model data: d_j = c_j + q_j x_j − (Aᵀy)_j ≥ 0 at x_j = 0 and
    /// = 0 for x_j > 0 (all columns have bounds [0, ∞)), and A x = b.
    func qpViolations(_ lp: LinearProgram, quadratic: [Double], _ r: LPResult, tol: Double = 1e-6) -> [String] {
        var problems: [String] = []
        var activity = [Double](repeating: 0, count: lp.numberOfRows)
        for (j, column) in lp.columns.enumerated() {
            var d = column.cost + quadratic[j] * r.primal[j]
            for (i, v) in zip(column.rows, column.values) {
                d -= v * r.rowDuals[i]
                activity[i] += v * r.primal[j]
            }
            if d < -tol || (r.primal[j] > tol && abs(d) > tol) { problems.append("column \(j): d = \(d)") }
        }
        for i in 0..<lp.numberOfRows where abs(activity[i] - lp.rowLower[i]) > tol {
            problems.append("row \(i): Ax = \(activity[i]) ≠ b = \(lp.rowLower[i])")
        }
        return problems
    }

    /// `solver` holding the 40 × 60 L1 regression's residual columns, solved (cold: the dual simplex, which is
    /// never stretched), then given the 120 feature columns, so that its next solve is a warm primal pass.
    func warmLP(_ solver: CLPSolver) throws -> LinearProgram {
        let regression = L1Regression(rows: 40, features: 60, seed: 11)
        try solver.load(LinearProgram(equalityRows: regression.b, columns: regression.residualColumns()))
        _ = try solver.solve().requireOptimal()
        let features =
            (0..<60).map { regression.featureColumn($0, sign: 1) }
            + (0..<60).map { regression.featureColumn($0, sign: -1) }
        try solver.addColumns(features)
        return LinearProgram(equalityRows: regression.b, columns: regression.residualColumns() + features)
    }

    /// The warm primal re-solve of a 40 × 60 L1 regression, in stretches of 7 iterations, reaches the
    /// unstretched optimum, with the same objective as GLPK and a valid KKT point; the unstretched re-solve
    /// needs more than 7 iterations, so the stretched one really resumed.
    @Test func stretchedLPReachesTheUnstretchedOptimum() throws {
        let plain = solver(stretch: nil)
        _ = try warmLP(plain)
        let reference = try plain.solve().requireOptimal()
        #expect(reference.iterations > 7)
        let stretched = solver(stretch: 7)
        let lp = try warmLP(stretched)
        let r = try stretched.solve().requireOptimal()
        #expect(close(r.objective, reference.objective, tol: 1e-9))
        #expect(kktViolations(lp, r).isEmpty)
        let glpk = GLPKSolver(options: LPOptions())
        try glpk.load(lp)
        #expect(close(try glpk.solve().requireOptimal().objective, r.objective, tol: 1e-9))
    }

    /// CLP's quadratic primal stops at a stretch's iteration limit and resumes from there: stretches of 3
    /// iterations reach the unstretched optimum of a 30 × 20 squared-loss regression, checked by its KKT
    /// conditions from the model data.
    @Test func stretchedQPReachesTheUnstretchedOptimum() throws {
        let (lp, residualColumns) = squaredRegression(rows: 30, features: 20, seed: 3)
        let columns = residualColumns.map { Int($0) }
        var quadratic = [Double](repeating: 0, count: lp.numberOfColumns)
        for j in columns { quadratic[j] = 1 }
        let plain = solver(stretch: nil)
        try plain.load(lp)
        try plain.setQuadraticCosts(columns.map { _ in 1 }, columns: columns)
        let reference = try plain.solve().requireOptimal()
        #expect(reference.iterations > 3)
        #expect(qpViolations(lp, quadratic: quadratic, reference).isEmpty)
        let stretched = solver(stretch: 3)
        try stretched.load(lp)
        try stretched.setQuadraticCosts(columns.map { _ in 1 }, columns: columns)
        let r = try stretched.solve().requireOptimal()
        #expect(close(r.objective, reference.objective, tol: 1e-8))
        #expect(qpViolations(lp, quadratic: quadratic, r).isEmpty)
    }

    /// The caller's iteration limit, reached in the middle of a run of stretches, is reported as
    /// `iterationLimit` (not as a time stop, not resumed past), for a warm LP re-solve and a QP, with fixed stretches and
    /// with the time-limited (wall-clock sized) ones.
    @Test(arguments: [5, nil] as [Int?]) func iterationLimitInTheMiddleOfStretches(_ stretch: Int?) throws {
        let options = LPOptions(iterationLimit: 12, timeLimit: 1e6)
        let linear = solver(stretch: stretch, options: LPOptions(timeLimit: 1e6))
        _ = try warmLP(linear)
        linear.options = options
        let r = try linear.solve()
        #expect(r.status == .iterationLimit)
        #expect(r.iterations <= 12)
        let (qp, residualColumns) = squaredRegression(rows: 30, features: 20, seed: 3)
        let quadratic = solver(stretch: stretch, options: options)
        try quadratic.load(qp)
        try quadratic.setQuadraticCosts(residualColumns.map { _ in 1 }, columns: residualColumns.map { Int($0) })
        let q = try quadratic.solve()
        #expect(q.status == .iterationLimit)
        #expect(q.iterations <= 12)
    }

    /// A time limit of ~0 ends a large QP (100 rows, 800 columns) as a time stop.
    @Test(arguments: [0, 1e-4]) func tinyTimeLimitEndsALargeQP(_ seconds: Double) throws {
        let (qp, residualColumns) = squaredRegression(rows: 100, features: 300, seed: 5)
        let quadratic = solver(stretch: nil, options: LPOptions(timeLimit: seconds))
        try quadratic.load(qp)
        try quadratic.setQuadraticCosts(residualColumns.map { _ in 1 }, columns: residualColumns.map { Int($0) })
        let q = try quadratic.solve()
        #expect(q.status == .timeLimit)
        #expect(q.primal.isEmpty)
    }
}
