import Foundation
import LinearProgramming
import Testing

/// Small LPs whose optimum and duals are derived by hand, run against every backend.
/// Conventions checked (LPResult doc): y_i = ∂obj/∂rhs_i, binding ≥ row ⇒ y ≥ 0, binding ≤ row ⇒ y ≤ 0,
/// d = c − Aᵀy, d ≥ 0 at a lower bound, d ≤ 0 at an upper bound.
@Suite struct ContractTests {
    /// min x + 2y  s.t.  r0: x + y ≥ 1,  r1: x − y ≤ 2,  x, y ≥ 0.
    /// Cheapest way to cover r0 is x = 1, y = 0 (objective 1); r1 has slack (1 < 2) so y1 = 0.
    /// Raising r0's right-hand side by δ costs δ (x = 1 + δ) ⇒ y0 = 1 (≥ row, ≥ 0).
    /// d_x = 1 − 1·1 − 1·0 = 0 (basic), d_y = 2 − 1·1 − (−1)·0 = 1 ≥ 0 (at lower bound 0).
    static let coverLP = LinearProgram(
        rowLower: [1, -.infinity], rowUpper: [.infinity, 2],
        columns: [
            LPColumn(cost: 1, rows: [0, 1], values: [1, 1]),
            LPColumn(cost: 2, rows: [0, 1], values: [1, -1]),
        ])

    @Test(arguments: LPBackend.allCases) func greaterEqualRowHasPositiveDual(_ backend: LPBackend) throws {
        let solver = backend.makeSolver()
        try solver.load(Self.coverLP)
        let r = try solver.solve().requireOptimal()
        #expect(close(r.objective, 1))
        #expect(close(r.primal, [1, 0]))
        #expect(close(r.rowDuals, [1, 0]))
        #expect(close(r.reducedCosts, [0, 1]))
        #expect(kktViolations(Self.coverLP, r).isEmpty)
        #expect(solver.numberOfRows == 2 && solver.numberOfColumns == 2)
    }

    /// The cover LP with x's cost raised from 1 to 3: now y = 1 covers r0 more cheaply (objective 2, y0 = 2,
    /// d_x = 3 − 2 − 0 = 1). Lowering it back to 1 returns to the first optimum. Both re-solves are warm.
    @Test(arguments: LPBackend.allCases) func changedCostsMoveTheOptimum(_ backend: LPBackend) throws {
        let solver = backend.makeSolver()
        try solver.load(Self.coverLP)
        _ = try solver.solve().requireOptimal()
        try solver.setCosts([3], columns: [0])
        let raised = try solver.solve().requireOptimal()
        #expect(close(raised.objective, 2))
        #expect(close(raised.primal, [0, 1]))
        #expect(close(raised.rowDuals, [2, 0]))
        #expect(close(raised.reducedCosts, [1, 0]))
        try solver.setCosts([1], columns: [0])
        let back = try solver.solve().requireOptimal()
        #expect(close(back.objective, 1) && close(back.primal, [1, 0]))
        #expect(throws: LPError.self) { try solver.setCosts([1], columns: [2]) }
        #expect(throws: LPError.self) { try solver.setCosts([.nan], columns: [0]) }
        #expect(throws: LPError.self) { try solver.setCosts([1, 2], columns: [0]) }
        #expect(throws: LPError.noModelLoaded) { try backend.makeSolver().setCosts([1], columns: [0]) }
    }

    /// The cover LP plus z (cost 1.5, in r0 only). Optimum x = 1 (objective 1), z nonbasic. Removing z keeps
    /// the optimum; removing x then leaves y = 1 (objective 2, y0 = 2), the cheapest remaining cover.
    @Test(arguments: LPBackend.allCases) func removedColumnsLeaveTheModel(_ backend: LPBackend) throws {
        var lp = Self.coverLP
        lp.columns.append(LPColumn(cost: 1.5, rows: [0], values: [1]))
        let solver = backend.makeSolver()
        try solver.load(lp)
        #expect(close(try solver.solve().requireOptimal().objective, 1))
        try solver.removeColumns([2])
        #expect(solver.numberOfColumns == 2)
        let same = try solver.solve().requireOptimal()
        #expect(close(same.objective, 1) && close(same.primal, [1, 0]))
        try solver.removeColumns([0])
        let left = try solver.solve().requireOptimal()
        #expect(close(left.objective, 2) && close(left.primal, [1]) && close(left.rowDuals, [2, 0]))
        #expect(throws: LPError.self) { try solver.removeColumns([1]) }
        #expect(throws: LPError.self) { try solver.removeColumns([0, 0]) }
        #expect(throws: LPError.noModelLoaded) { try backend.makeSolver().removeColumns([0]) }
    }

    /// min −x − y  s.t.  r0: x + 2y ≤ 4,  r1: 3x + y ≤ 6,  x, y ≥ 0.
    /// Vertices: (0,0) → 0, (2,0) → −2, (0,2) → −2, and r0 ∩ r1: y = 6 − 3x, x + 12 − 6x = 4 ⇒ x = 8/5, y = 6/5
    /// → −14/5, the optimum. Both columns basic ⇒ Aᵀy = c: y0 + 3y1 = −1, 2y0 + y1 = −1 ⇒ y0 = −2/5, y1 = −1/5
    /// (≤ rows, ≤ 0). Check: bᵀy = 4·(−2/5) + 6·(−1/5) = −14/5.
    @Test(arguments: LPBackend.allCases) func lessEqualRowsHaveNegativeDuals(_ backend: LPBackend) throws {
        let lp = LinearProgram(
            rowLower: [-.infinity, -.infinity], rowUpper: [4, 6],
            columns: [
                LPColumn(cost: -1, rows: [0, 1], values: [1, 3]),
                LPColumn(cost: -1, rows: [0, 1], values: [2, 1]),
            ])
        let solver = backend.makeSolver()
        try solver.load(lp)
        let r = try solver.solve().requireOptimal()
        #expect(close(r.objective, -14.0 / 5))
        #expect(close(r.primal, [8.0 / 5, 6.0 / 5]))
        #expect(close(r.rowDuals, [-2.0 / 5, -1.0 / 5]))
        #expect(close(r.reducedCosts, [0, 0]))
        #expect(kktViolations(lp, r).isEmpty)
    }

    /// min 2x + 3y + z  s.t.  r0: x + y + z = 10,  r1: 2 ≤ x − y ≤ 4,  0 ≤ x ≤ 5, y ≥ 0, 1 ≤ z ≤ 3.
    /// z is cheapest: z = 3 (upper); then x + y = 7 with x as large as possible: x = 5 (upper), y = 2;
    /// r1 = 3 lies inside [2, 4] ⇒ y1 = 0. Objective 10 + 6 + 3 = 19. y basic ⇒ 3 − y0 = 0 ⇒ y0 = 3.
    /// d_x = 2 − 3 = −1 ≤ 0 and d_z = 1 − 3 = −2 ≤ 0 (both at upper bounds).
    /// Dual objective: 10·3 + 5·(−1) + 3·(−2) = 19.
    @Test(arguments: LPBackend.allCases) func equalityAndRangedRowsWithBoundedColumns(_ backend: LPBackend) throws {
        let lp = LinearProgram(
            rowLower: [10, 2], rowUpper: [10, 4],
            columns: [
                LPColumn(cost: 2, lower: 0, upper: 5, rows: [0, 1], values: [1, 1]),
                LPColumn(cost: 3, rows: [0, 1], values: [1, -1]),
                LPColumn(cost: 1, lower: 1, upper: 3, rows: [0], values: [1]),
            ])
        let solver = backend.makeSolver()
        try solver.load(lp)
        let r = try solver.solve().requireOptimal()
        #expect(close(r.objective, 19))
        #expect(close(r.primal, [5, 2, 3]))
        #expect(close(r.rowDuals, [3, 0]))
        #expect(close(r.reducedCosts, [-1, 0, -2]))
        #expect(kktViolations(lp, r).isEmpty)
    }

    /// Ranged row r0: 2 ≤ x − y ≤ 4, plus r1: x + y ≤ 10, x, y ≥ 0, with two objectives:
    /// min −x + 2y: x = 4, y = 0 (objective −4; upper side binding) ⇒ c_x = y0 ⇒ y0 = −1 ≤ 0,
    ///   d_y = 2 − (−1)(−1) = 1.
    /// min  x +  y: x = 2, y = 0 (objective 2; lower side binding) ⇒ y0 = 1 ≥ 0, d_y = 1 − 1·(−1) = 2.
    @Test(arguments: LPBackend.allCases) func rangedRowDualSignFollowsTheBindingSide(_ backend: LPBackend) throws {
        func lp(_ cx: Double, _ cy: Double) -> LinearProgram {
            LinearProgram(
                rowLower: [2, -.infinity], rowUpper: [4, 10],
                columns: [
                    LPColumn(cost: cx, rows: [0, 1], values: [1, 1]),
                    LPColumn(cost: cy, rows: [0, 1], values: [-1, 1]),
                ])
        }
        let solver = backend.makeSolver()
        try solver.load(lp(-1, 2))
        let upper = try solver.solve().requireOptimal()
        #expect(close(upper.objective, -4))
        #expect(close(upper.primal, [4, 0]))
        #expect(close(upper.rowDuals, [-1, 0]))
        #expect(close(upper.reducedCosts, [0, 1]))
        try solver.load(lp(1, 1))
        let lower = try solver.solve().requireOptimal()
        #expect(close(lower.objective, 2))
        #expect(close(lower.primal, [2, 0]))
        #expect(close(lower.rowDuals, [1, 0]))
        #expect(close(lower.reducedCosts, [0, 2]))
    }

    /// x + y ≥ 3 with 0 ≤ x, y ≤ 1: at most 2 is reachable.
    @Test(arguments: LPBackend.allCases) func infeasible(_ backend: LPBackend) throws {
        let lp = LinearProgram(
            rowLower: [3], rowUpper: [.infinity],
            columns: [
                LPColumn(cost: 1, upper: 1, rows: [0], values: [1]),
                LPColumn(cost: 1, upper: 1, rows: [0], values: [1]),
            ])
        let solver = backend.makeSolver()
        try solver.load(lp)
        let r = try solver.solve()
        #expect(r.status == .infeasible)
        #expect(r.primal.isEmpty && r.rowDuals.isEmpty && r.reducedCosts.isEmpty)
        #expect(throws: LPError.notOptimal(.infeasible)) { try r.requireOptimal() }
    }

    /// min −x − y s.t. x − y ≤ 1, x, y ≥ 0: the ray (1, 1) is feasible and decreases the objective forever.
    @Test(arguments: LPBackend.allCases) func unbounded(_ backend: LPBackend) throws {
        let lp = LinearProgram(
            rowLower: [-.infinity], rowUpper: [1],
            columns: [
                LPColumn(cost: -1, rows: [0], values: [1]),
                LPColumn(cost: -1, rows: [0], values: [-1]),
            ])
        let solver = backend.makeSolver()
        try solver.load(lp)
        let r = try solver.solve()
        #expect(r.status == .unbounded)
        #expect(r.primal.isEmpty && r.rowDuals.isEmpty && r.reducedCosts.isEmpty)
    }

    /// min x + y  s.t.  0.082·y ≤ −1.56,  x ≤ 0 (in no row),  y free: y = −20 is feasible and x → −∞ lowers the
    /// objective forever. CLP with scaling called this LP primal infeasible (found by `RowTests`' random changes).
    @Test(arguments: LPBackend.allCases) func unboundedWithAnEmptyColumnIsNotInfeasible(_ backend: LPBackend) throws {
        let lp = LinearProgram(
            rowLower: [-.infinity], rowUpper: [-1.5618348328932514],
            columns: [
                LPColumn(cost: 1, lower: -.infinity, upper: 0, rows: [], values: []),
                LPColumn(cost: 1, lower: -.infinity, upper: .infinity, rows: [0], values: [0.08217090278836969]),
            ])
        let solver = backend.makeSolver()
        try solver.load(lp)
        #expect(try solver.solve().status == .unbounded)
    }

    /// Column generation on `coverLP` (optimum x = 1, objective 1):
    /// 1. add w (cost 0.5, r0 coefficient 1): covering r0 with w is cheaper ⇒ w = 1, objective 0.5, y0 = 0.5,
    ///    y1 = 0; d = (1 − 0.5, 2 − 0.5, 0) = (0.5, 1.5, 0).
    /// 2. add v (cost −1, 0 ≤ v ≤ 1, r1 coefficient 1): v = 1 (upper), r1 = 1 < 2 so y1 stays 0;
    ///    objective 0.5 − 1 = −0.5, d_v = −1 ≤ 0 at its upper bound.
    /// 3. add a free u (cost 0, coefficient 1 in both rows): u covers r0 for free while r1 allows
    ///    u + v ≤ 2 ⇒ u = 1, w = 0, v = 1, objective −1 (w > 0 would force u = 1 − w and only add 0.5w).
    @Test(arguments: LPBackend.allCases) func addColumnsAndResolve(_ backend: LPBackend) throws {
        let solver = backend.makeSolver()
        try solver.load(Self.coverLP)
        #expect(close(try solver.solve().requireOptimal().objective, 1))

        try solver.addColumns([LPColumn(cost: 0.5, rows: [0], values: [1])])
        let r1 = try solver.solve().requireOptimal()
        #expect(close(r1.objective, 0.5))
        #expect(close(r1.primal, [0, 0, 1]))
        #expect(close(r1.rowDuals, [0.5, 0]))
        #expect(close(r1.reducedCosts, [0.5, 1.5, 0]))

        try solver.addColumns([LPColumn(cost: -1, upper: 1, rows: [1], values: [1])])
        let r2 = try solver.solve().requireOptimal()
        #expect(close(r2.objective, -0.5))
        #expect(close(r2.primal, [0, 0, 1, 1]))
        #expect(close(r2.rowDuals, [0.5, 0]))
        #expect(close(r2.reducedCosts, [0.5, 1.5, 0, -1]))

        try solver.addColumns([LPColumn(cost: 0, lower: -.infinity, rows: [0, 1], values: [1, 1])])
        let r3 = try solver.solve().requireOptimal()
        #expect(close(r3.objective, -1))
        #expect(close(r3.primal, [0, 0, 0, 1, 1]))
        var full = Self.coverLP
        full.columns += [
            LPColumn(cost: 0.5, rows: [0], values: [1]),
            LPColumn(cost: -1, upper: 1, rows: [1], values: [1]),
            LPColumn(cost: 0, lower: -.infinity, rows: [0, 1], values: [1, 1]),
        ]
        #expect(kktViolations(full, r3).isEmpty)
        #expect(solver.numberOfColumns == 5)
    }

    /// A 20-row L1 regression has 20 equality rows with non-zero right-hand sides, all violated by the slack
    /// basis: no simplex method can finish in one iteration.
    @Test(arguments: LPBackend.allCases) func iterationLimitStopsTheSolve(_ backend: LPBackend) throws {
        let solver = backend.makeSolver(options: LPOptions(iterationLimit: 1))
        try solver.load(L1Regression(rows: 20, features: 10, seed: 7).program)
        let r = try solver.solve()
        #expect(r.status == .iterationLimit)
        #expect(r.iterations <= 1)
        #expect(r.primal.isEmpty && r.rowDuals.isEmpty && r.reducedCosts.isEmpty)
        // The limit is per solve: lifting it lets the next solve finish.
        solver.options.iterationLimit = nil
        #expect(try solver.solve().status == .optimal)
    }

    /// A zero time limit stops a solve that needs many iterations (100 violated equality rows) as a time
    /// stop, not an iteration stop.
    @Test(arguments: LPBackend.allCases) func timeLimitIsReportedAsSuch(_ backend: LPBackend) throws {
        let solver = backend.makeSolver(options: LPOptions(timeLimit: 0))
        try solver.load(L1Regression(rows: 100, features: 300, seed: 5).program)
        let r = try solver.solve()
        #expect(r.status == .timeLimit)
        #expect(r.primal.isEmpty)
    }

    @Test(arguments: LPBackend.allCases) func writeMPSWritesTheSections(_ backend: LPBackend) throws {
        let solver = backend.makeSolver()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-\(backend)-\(UUID()).mps").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: LPError.noModelLoaded) { try solver.writeMPS(to: path) }
        try solver.load(Self.coverLP)
        try solver.writeMPS(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for section in ["ROWS", "COLUMNS", "RHS", "ENDATA"] {
            #expect(text.contains(section), "missing \(section) in \(text)")
        }
        #expect(throws: LPError.self) { try solver.writeMPS(to: "/nonexistent-dir/x.mps") }
    }

    /// Empty models: no rows (each column sits at its cheapest bound), no columns (rows must contain 0).
    @Test(arguments: LPBackend.allCases) func emptyModels(_ backend: LPBackend) throws {
        let solver = backend.makeSolver()
        try solver.load(
            LinearProgram(
                rowLower: [], rowUpper: [],
                columns: [
                    LPColumn(cost: 1, lower: 2, upper: 3, rows: [], values: []),
                    LPColumn(cost: -1, lower: 2, upper: 3, rows: [], values: []),
                ]))
        let r = try solver.solve().requireOptimal()
        #expect(close(r.primal, [2, 3]) && close(r.objective, -1))
        try solver.load(LinearProgram(rowLower: [-1], rowUpper: [1]))
        #expect(try solver.solve().status == .optimal)
        try solver.load(LinearProgram(rowLower: [1], rowUpper: [2]))
        #expect(try solver.solve().status == .infeasible)
    }

    /// Calling `solve` before `load` is a misused call (a thrown error), not a termination status.
    @Test(arguments: LPBackend.allCases) func solveBeforeLoadThrows(_ backend: LPBackend) {
        #expect(throws: LPError.noModelLoaded) { try backend.makeSolver().solve() }
    }

    /// The statuses in MathOptInterface's three groups.
    @Test func terminationStatusCategories() {
        #expect([LPTerminationStatus.optimal, .infeasible, .unbounded].allSatisfy { $0.category == .ok })
        #expect([LPTerminationStatus.iterationLimit, .timeLimit].allSatisfy { $0.category == .limit })
        #expect(LPTerminationStatus.numericalTrouble("stalled").category == .problematic)
    }

    @Test func backendNames() throws {
        #expect(try LPBackend(named: "CLP") == .clp)
        #expect(try LPBackend(named: "glpk") == .glpk)
        #expect(LPBackend.clp.makeSolver() is CLPSolver)
        #expect(LPBackend.glpk.makeSolver() is GLPKSolver)
        #expect(throws: LPError.unknownBackend("gurobi")) { try LPBackend(named: "gurobi") }
        let message = LPError.unknownBackend("gurobi").description
        #expect(message.contains("gurobi") && message.contains("clp") && message.contains("glpk"))
    }
}

/// The quadratic objective (CLP only), on a QP solved by hand.
@Suite struct QuadraticObjectiveTests {
    /// min ½(x₁² + x₂²) s.t. x₁ + x₂ = 1, x ≥ 0: x = (½, ½), objective ¼, row dual ∂obj/∂rhs = ½.
    /// Adding x₃ with cost 0.1: min t² + 0.1(1 − 2t) at t = 0.1, x₃ = 0.8, objective 0.09 (warm re-solve).
    /// Doubling the quadratic costs: min 2t² + 0.1(1 − 2t) at t = 0.05, x₃ = 0.9, objective 0.095.
    @Test func clpSolvesADiagonalQPWarmAndAfterChanges() throws {
        let solver = LPBackend.clp.makeSolver()
        try solver.load(
            LinearProgram(
                equalityRows: [1],
                columns: [
                    LPColumn(cost: 0, rows: [0], values: [1]), LPColumn(cost: 0, rows: [0], values: [1]),
                ]))
        try solver.setQuadraticCosts([1, 1], columns: [0, 1])
        let first = try solver.solve().requireOptimal()
        #expect(close(first.objective, 0.25, tol: 1e-7) && close(first.primal, [0.5, 0.5], tol: 1e-6))
        #expect(close(first.rowDuals, [0.5], tol: 1e-6))
        try solver.addColumns([LPColumn(cost: 0.1, rows: [0], values: [1])])
        let second = try solver.solve().requireOptimal()
        #expect(close(second.objective, 0.09, tol: 1e-7) && close(second.primal, [0.1, 0.1, 0.8], tol: 1e-6))
        // Reduced costs include the quadratic term: c + q x − Aᵀy = 0 for the three positive columns.
        #expect(second.reducedCosts.allSatisfy { abs($0) <= 1e-6 })
        try solver.setQuadraticCosts([2, 2], columns: [0, 1])
        let third = try solver.solve().requireOptimal()
        #expect(close(third.objective, 0.095, tol: 1e-7) && close(third.primal, [0.05, 0.05, 0.9], tol: 1e-6))
        #expect(throws: LPError.self) { try solver.setQuadraticCosts([-1], columns: [0]) }
        #expect(throws: LPError.self) { try solver.setQuadraticCosts([1], columns: [3]) }
    }

    @Test func onlyCLPHasAQuadraticObjective() throws {
        #expect(LPBackend.clp.solvesQuadraticObjectives && !LPBackend.glpk.solvesQuadraticObjectives)
        let lp = LinearProgram(equalityRows: [1], columns: [LPColumn(cost: 0, rows: [0], values: [1])])
        for backend in LPBackend.allCases {
            let solver = backend.makeSolver()
            try solver.load(lp)
            if backend.solvesQuadraticObjectives {
                #expect(throws: Never.self) { try solver.setQuadraticCosts([1], columns: [0]) }
            } else {
                let error = #expect(throws: LPError.self) { try solver.setQuadraticCosts([1], columns: [0]) }
                guard case .unsupported = error else {
                    Issue.record("\(String(describing: error))")
                    continue
                }
            }
        }
    }
}
