import LinearProgramming
import Testing

/// Random L1-regression LPs: the backends must agree, and each answer must pass an independent KKT check.
@Suite struct RandomLPTests {
    static let shapes: [(rows: Int, features: Int, seed: UInt64)] = [
        (20, 10, 1), (20, 10, 2), (30, 20, 3), (40, 25, 4), (50, 30, 5), (60, 40, 6), (60, 40, 7),
    ]

    @Test(arguments: shapes.indices) func backendsAgreeAndPassKKT(_ index: Int) throws {
        let shape = Self.shapes[index]
        let l1 = L1Regression(rows: shape.rows, features: shape.features, seed: shape.seed)
        let lp = l1.program
        var objectives: [Double] = []
        for backend in LPBackend.allCases {
            let solver = backend.makeSolver()
            try solver.load(lp)
            let r = try solver.solve().requireOptimal()
            #expect(kktViolations(lp, r) == [], "\(backend) \(shape)")
            // |row dual| ≤ residual cost 1 follows from d(r⁺) = 1 − y ≥ 0 and d(r⁻) = 1 + y ≥ 0.
            #expect(r.rowDuals.allSatisfy { abs($0) <= 1 + 1e-8 }, "\(backend)")
            // Strong duality for this LP (all bounds 0 or ∞): bᵀy = objective.
            let by = zip(l1.b, r.rowDuals).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(close(by, r.objective, tol: 1e-8), "\(backend): bᵀy \(by) vs \(r.objective)")
            objectives.append(r.objective)
        }
        #expect(close(objectives[0], objectives[1], tol: 1e-9), "objectives \(objectives)")
    }

    /// Column generation from the residual columns only: price x± by reduced cost λ ∓ aⱼᵀy, add the most
    /// negative, re-solve warm; the final objective must equal the full LP's.
    @Test(arguments: LPBackend.allCases) func columnGenerationReachesTheFullOptimum(_ backend: LPBackend) throws {
        let l1 = L1Regression(rows: 40, features: 30, seed: 11)
        let full = backend.makeSolver()
        try full.load(l1.program)
        let target = try full.solve().requireOptimal().objective

        let solver = backend.makeSolver()
        var model = LinearProgram(equalityRows: l1.b, columns: l1.residualColumns())
        try solver.load(model)
        var added = Set<Int>()  // j for x⁺_j, n + j for x⁻_j
        var rounds = 0
        while true {
            let r = try solver.solve().requireOptimal()
            #expect(kktViolations(model, r) == [])
            var candidates: [(Double, Int)] = []
            for j in 0..<l1.n {
                let ay = (0..<l1.m).reduce(0) { $0 + l1.a[$1][j] * r.rowDuals[$1] }
                if !added.contains(j), l1.lambda - ay < -1e-9 { candidates.append((l1.lambda - ay, j)) }
                if !added.contains(l1.n + j), l1.lambda + ay < -1e-9 { candidates.append((l1.lambda + ay, l1.n + j)) }
            }
            if candidates.isEmpty {
                #expect(close(r.objective, target, tol: 1e-9), "\(r.objective) vs \(target)")
                break
            }
            let chosen = candidates.sorted { $0.0 < $1.0 }.prefix(5).map(\.1)
            let columns = chosen.map {
                $0 < l1.n ? l1.featureColumn($0, sign: 1) : l1.featureColumn($0 - l1.n, sign: -1)
            }
            added.formUnion(chosen)
            model.columns += columns
            try solver.addColumns(columns)
            rounds += 1
            try #require(rounds < 100)
        }
        #expect(rounds > 0)
    }

    /// The checker itself must reject wrong answers: flipped duals, a moved primal point, a wrong objective.
    @Test func kktCheckRejectsCorruptedResults() throws {
        let lp = L1Regression(rows: 20, features: 10, seed: 3).program
        let solver = LPBackend.clp.makeSolver()
        try solver.load(lp)
        let r = try solver.solve().requireOptimal()
        #expect(kktViolations(lp, r).isEmpty)
        var flipped = r
        flipped.rowDuals = r.rowDuals.map { -$0 }
        #expect(!kktViolations(lp, flipped).isEmpty)
        var moved = r
        moved.primal[0] += 1e-3
        #expect(!kktViolations(lp, moved).isEmpty)
        var wrong = r
        wrong.objective += 1e-6
        #expect(!kktViolations(lp, wrong).isEmpty)
    }
}
