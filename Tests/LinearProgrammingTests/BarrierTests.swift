import LinearProgramming
import Testing

/// The barrier (`LPAlgorithm.barrier`) against the simplex and against LPs solved by hand, on both backends.
@Suite struct BarrierTests {
    /// The interior-point configurations each backend offers: CLP with and without crossover, GLPK without.
    static let configurations: [(LPBackend, Bool)] = [(.clp, false), (.clp, true), (.glpk, false)]

    /// `ContractTests.coverLP` (objective 1 at x = 1, y = 0, duals [1, 0]): a unique vertex, so the barrier must
    /// reach it too, to its tolerances.
    @Test(arguments: configurations.indices) func barrierSolvesTheCoverLP(_ index: Int) throws {
        let (backend, crossover) = Self.configurations[index]
        let solver = backend.makeSolver(options: LPOptions(algorithm: .barrier(crossover: crossover)))
        try solver.load(ContractTests.coverLP)
        let r = try solver.solve().requireOptimal()
        #expect(close(r.objective, 1, tol: 1e-6))
        #expect(close(r.primal, [1, 0], tol: 1e-6))
        #expect(close(r.rowDuals, [1, 0], tol: 1e-6))
        #expect(close(r.reducedCosts, [0, 1], tol: 1e-6))
    }

    /// min x₁ + x₂ s.t. x₁ + x₂ = 1, 0 ≤ x ≤ 1: every point of the segment is optimal (objective 1) and the row's
    /// dual is 1 (both reduced costs 1 − u = 0). The barrier without crossover ends near the centre (½, ½) of the
    /// optimal face, where the simplex ends at a vertex.
    @Test(arguments: [LPBackend.clp, .glpk]) func barrierEndsCentredOnAnOptimalFace(_ backend: LPBackend) throws {
        let lp = LinearProgram(
            equalityRows: [1],
            columns: [
                LPColumn(cost: 1, lower: 0, upper: 1, rows: [0], values: [1]),
                LPColumn(cost: 1, lower: 0, upper: 1, rows: [0], values: [1]),
            ])
        let solver = backend.makeSolver(options: LPOptions(algorithm: .barrier(crossover: false)))
        try solver.load(lp)
        let r = try solver.solve().requireOptimal()
        #expect(close(r.objective, 1, tol: 1e-6))
        #expect(close(r.primal, [0.5, 0.5], tol: 1e-3), "\(r.primal)")
        #expect(close(r.rowDuals, [1], tol: 1e-6))
    }

    /// Random L1 regressions (dual optimal faces of any dimension): the barrier's objective matches the simplex's,
    /// its duals are dual feasible (|u| ≤ 1, the residuals' cost) and prove the objective (bᵀu = objective).
    @Test(arguments: configurations.indices, [UInt64(1), 2, 3])
    func barrierMatchesTheSimplex(_ index: Int, _ seed: UInt64) throws {
        let (backend, crossover) = Self.configurations[index]
        let l1 = L1Regression(rows: 40, features: 25, seed: seed)
        let simplex = backend.makeSolver()
        try simplex.load(l1.program)
        let reference = try simplex.solve().requireOptimal()
        let solver = backend.makeSolver(options: LPOptions(algorithm: .barrier(crossover: crossover)))
        try solver.load(l1.program)
        let r = try solver.solve().requireOptimal()
        let tol = crossover ? 1e-8 : 1e-6
        #expect(close(r.objective, reference.objective, tol: tol), "\(r.objective) vs \(reference.objective)")
        #expect(r.rowDuals.allSatisfy { abs($0) <= 1 + tol }, "\(r.rowDuals.map(abs).max() ?? 0)")
        // λ ∓ aᵀu ≥ 0 for the feature columns: the duals are feasible for the columns too.
        #expect(r.reducedCosts.allSatisfy { $0 >= -tol })
        let bu = zip(l1.b, r.rowDuals).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(close(bu, reference.objective, tol: tol), "bᵀu \(bu) vs \(reference.objective)")
        if crossover { #expect(kktViolations(l1.program, r).isEmpty) }
    }

    /// After a barrier solve the model still changes and re-solves with the simplex (which starts cold).
    @Test(arguments: LPBackend.allCases) func simplexAfterTheBarrier(_ backend: LPBackend) throws {
        let l1 = L1Regression(rows: 30, features: 20, seed: 4)
        let solver = backend.makeSolver(options: LPOptions(algorithm: .barrier(crossover: false)))
        try solver.load(LinearProgram(equalityRows: l1.b, columns: l1.residualColumns()))
        _ = try solver.solve().requireOptimal()
        try solver.addColumns((0..<l1.n).flatMap { [l1.featureColumn($0, sign: 1), l1.featureColumn($0, sign: -1)] })
        solver.options.algorithm = .simplex
        let r = try solver.solve().requireOptimal()
        let full = backend.makeSolver()
        try full.load(l1.program)
        #expect(close(r.objective, try full.solve().requireOptimal().objective, tol: 1e-9))
    }

    /// GLPK has no crossover and no quadratic barrier is offered: both are refused before any C call.
    @Test func unsupportedBarriersThrow() throws {
        let glpk = LPBackend.glpk.makeSolver(options: LPOptions(algorithm: .barrier(crossover: true)))
        try glpk.load(ContractTests.coverLP)
        #expect(throws: LPError.self) { try glpk.solve() }
        let clp = LPBackend.clp.makeSolver(options: LPOptions(algorithm: .barrier(crossover: false)))
        try clp.load(ContractTests.coverLP)
        try clp.setQuadraticCosts([1, 1], columns: [0, 1])
        #expect(throws: LPError.self) { try clp.solve() }
    }
}
