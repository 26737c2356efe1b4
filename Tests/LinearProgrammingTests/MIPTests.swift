import LinearProgramming
import Testing

/// The MIP layer: both backends against brute force on small random knapsack-cover programs, statuses, the start,
/// and input refused before any C call.
@Suite struct MIPTests {
    /// min cᵀx over binaries x with A x ≥ b (A, b, c ≥ 0 random): a covering program, enumerated exactly.
    struct Cover {
        var a: [[Double]]
        var b: [Double]
        var c: [Double]

        init(rows: Int, columns: Int, seed: UInt64) {
            var rng = SplitMix64(seed: seed)
            a = (0..<rows).map { _ in (0..<columns).map { _ in (rng.symmetric() + 1) * 2 } }
            b = (0..<rows).map { _ in (rng.symmetric() + 1) * 3 + 1 }
            c = (0..<columns).map { _ in ((rng.symmetric() + 1) * 5).rounded() + 1 }
        }

        var program: MixedIntegerProgram {
            let columns = c.indices.map { k in
                LPColumn(cost: c[k], lower: 0, upper: 1, rows: Array(a.indices), values: a.map { $0[k] })
            }
            let lp = LinearProgram(
                rowLower: b, rowUpper: [Double](repeating: .infinity, count: b.count), columns: columns)
            return MixedIntegerProgram(linear: lp, integer: [Bool](repeating: true, count: c.count))
        }

        /// The least cost over all 2^n binary points (∞ when none is feasible).
        var bruteForce: Double {
            var best = Double.infinity
            for mask in 0..<(1 << c.count) {
                let on = c.indices.filter { mask >> $0 & 1 == 1 }
                let feasible = a.indices.allSatisfy { i in on.reduce(0) { $0 + a[i][$1] } >= b[i] - 1e-9 }
                if feasible { best = min(best, on.reduce(0) { $0 + c[$1] }) }
            }
            return best
        }
    }

    @Test(arguments: MIPBackend.allCases)
    func randomCoversMatchBruteForce(backend: MIPBackend) throws {
        for seed in UInt64(1)...8 {
            let cover = Cover(rows: 4, columns: 10, seed: seed)
            let result = try backend.makeSolver().solve(cover.program, start: nil)
            let expected = cover.bruteForce
            #expect(result.status == .optimal, "seed \(seed)")
            #expect(abs(result.objective - expected) <= 1e-6, "seed \(seed): \(result.objective) vs \(expected)")
            #expect(abs(result.bestBound - expected) <= 1e-6, "seed \(seed)")
            // The incumbent is binary and feasible.
            #expect(result.solution.allSatisfy { abs($0) < 1e-6 || abs($0 - 1) < 1e-6 })
        }
    }

    @Test(arguments: MIPBackend.allCases)
    func infeasibleProgram(backend: MIPBackend) throws {
        // x binary, x ≥ 2.
        let lp = LinearProgram(
            rowLower: [2], rowUpper: [.infinity], columns: [LPColumn(cost: 1, upper: 1, rows: [0], values: [1])])
        let result = try backend.makeSolver().solve(MixedIntegerProgram(linear: lp, integer: [true]), start: nil)
        #expect(result.status == .infeasible)
        #expect(!result.hasSolution)
    }

    @Test(arguments: MIPBackend.allCases)
    func integralityMatters(backend: MIPBackend) throws {
        // min x subject to 2x = 3 has x = 1.5 as an LP, no integer solution; with y continuous, 2x + y = 3, y ≤ 0.5.
        let lp = LinearProgram(
            equalityRows: [3],
            columns: [
                LPColumn(cost: 1, lower: 0, upper: 10, rows: [0], values: [2]),
                LPColumn(cost: 0, lower: 0, upper: 0.5, rows: [0], values: [1]),
            ])
        let result = try backend.makeSolver().solve(
            MixedIntegerProgram(linear: lp, integer: [true, false]), start: nil)
        #expect(result.status == .infeasible)
        let relaxed = try backend.makeSolver().solve(
            MixedIntegerProgram(linear: lp, integer: [false, false]), start: nil)
        #expect(relaxed.status == .optimal && abs(relaxed.objective - 1.25) < 1e-9)
    }

    @Test(arguments: MIPBackend.allCases)
    func startIsAcceptedAndNeverWorsens(backend: MIPBackend) throws {
        let cover = Cover(rows: 3, columns: 8, seed: 42)
        let all = [Double](repeating: 1, count: 8)
        let result = try backend.makeSolver().solve(cover.program, start: all)
        #expect(result.status == .optimal)
        #expect(abs(result.objective - cover.bruteForce) <= 1e-6)
    }

    @Test(arguments: MIPBackend.allCases)
    func badInputIsRefusedBeforeC(backend: MIPBackend) throws {
        let cover = Cover(rows: 2, columns: 3, seed: 7)
        var wrongFlags = cover.program
        wrongFlags.integer = [true]
        #expect(throws: LPError.self) { try backend.makeSolver().solve(wrongFlags, start: nil) }
        #expect(throws: LPError.self) { try backend.makeSolver().solve(cover.program, start: [0, .nan, 1]) }
        #expect(throws: LPError.self) { try backend.makeSolver().solve(cover.program, start: [0, 1]) }
        var nanRow = cover.program
        nanRow.linear.rowLower[0] = .nan
        #expect(throws: LPError.self) { try backend.makeSolver().solve(nanRow, start: nil) }
        let solver = backend.makeSolver(options: MIPOptions(timeLimit: -1))
        #expect(throws: LPError.self) { try solver.solve(cover.program, start: nil) }
        #expect(throws: LPError.self) { try MIPBackend(named: "gurobi") }
    }

    /// A solve cut short by its time limit must never read as infeasible. The program is a set cover like the
    /// sparsest interpolant's master (100 dense random cuts over 424 pairs, two of which cover all), feasible; CBC once
    /// reported it "finished, relaxation infeasible" when the limit struck inside its first LP, and the sparsest
    /// interpolant took that for a proof.
    @Test(arguments: MIPBackend.allCases)
    func timeLimitIsNeverInfeasibility(backend: MIPBackend) throws {
        var rng = SplitMix64(seed: 41)
        let pairs = 424
        let cuts = (0..<100).map { c in (0..<pairs).filter { $0 == c % 2 || rng.symmetric() > 0 } }
        var rowsOfPair = [[Int]](repeating: [], count: pairs)
        for (c, cut) in cuts.enumerated() { for p in cut { rowsOfPair[p].append(c) } }
        let columns = rowsOfPair.map { rows in
            LPColumn(cost: 1, lower: 0, upper: 1, rows: rows + [cuts.count], values: rows.map { _ in 1 } + [1])
        }
        let lp = LinearProgram(
            rowLower: [Double](repeating: 1, count: cuts.count) + [-.infinity],
            rowUpper: [Double](repeating: .infinity, count: cuts.count) + [60], columns: columns)
        let program = MixedIntegerProgram(linear: lp, integer: [Bool](repeating: true, count: pairs))
        // Where the limit strikes depends on the machine's load: sweep it through the first LP and beyond. (On the
        // old code this failed in about one run of three.)
        for limit in (1...60).map({ 5e-4 * Double($0) }) {
            let result = try backend.makeSolver(options: MIPOptions(timeLimit: limit)).solve(program, start: nil)
            #expect(result.status != .infeasible, "time limit \(limit) s: \(result.status)")
            #expect(result.bestBound <= 60, "time limit \(limit) s: bound \(result.bestBound)")
        }
    }
}
