import LinearProgramming
import Testing

/// The stop hook of the MIP backends (`MIPSolver.stopHook`, issue 22): GLPK reads it in its branch-and-cut callback
/// (`glp_ios_terminate`), CBC in a cut callback that makes the nodes infeasible. A hook that fires ends the search
/// with status `interrupted` (never optimal or infeasible), an incumbent that is feasible and a bound that still
/// holds; one that never fires changes nothing. The counts of calls do not depend on time.
@Suite struct MIPStopHookTests {
    /// max vᵀx over binaries x with W x ≤ c: a strongly correlated multi-row knapsack (values the mean weight
    /// plus a little), written as a minimisation, whose search takes hundreds of thousands of nodes in CBC and
    /// minutes in GLPK (measured: optimum −1526.4 in 40 s and 170 s), so a hook that is ignored ends at the time
    /// limit instead.
    struct Knapsack {
        var weights: [[Double]]
        var capacity: [Double]
        var cost: [Double]

        init(items: Int = 50, rows: Int = 5, seed: UInt64 = 5) {
            var rng = SplitMix64(seed: seed)
            let weights = (0..<rows).map { _ in (0..<items).map { _ in (50 * (rng.symmetric() + 1)).rounded() + 1 } }
            self.weights = weights
            cost = (0..<items).map { k in
                -(weights.reduce(0) { $0 + $1[k] } / Double(rows) + (5 * (rng.symmetric() + 1)).rounded())
            }
            capacity = weights.map { ($0.reduce(0, +) / 2).rounded() }
        }

        var program: MixedIntegerProgram {
            let columns = cost.indices.map { k in
                LPColumn(
                    cost: cost[k], lower: 0, upper: 1, rows: Array(weights.indices), values: weights.map { $0[k] })
            }
            let lp = LinearProgram(
                rowLower: [Double](repeating: -.infinity, count: capacity.count), rowUpper: capacity, columns: columns)
            return MixedIntegerProgram(linear: lp, integer: [Bool](repeating: true, count: cost.count))
        }

        /// Whether `x` is a binary point within the capacities, and its objective.
        func check(_ x: [Double]) -> (feasible: Bool, objective: Double) {
            let binary = x.allSatisfy { abs($0) < 1e-6 || abs($0 - 1) < 1e-6 }
            let fits = weights.indices.allSatisfy { i in
                zip(weights[i], x).reduce(0) { $0 + $1.0 * $1.1 } <= capacity[i] + 1e-6
            }
            return (binary && fits, zip(cost, x).reduce(0) { $0 + $1.0 * $1.1 })
        }
    }

    /// A hook that fires at its k-th call ends the search after exactly k calls with status interrupted, long
    /// before the time limit; an incumbent is feasible (checked here) and no better than the optimum, and the bound
    /// is at most the optimum (−1526.4: both backends without a hook, solved to the end).
    @Test(arguments: MIPBackend.allCases, [2, 200])
    func aHookThatFiresEndsTheSearch(_ backend: MIPBackend, _ k: Int) throws {
        let knapsack = Knapsack()
        let solver = backend.makeSolver(options: MIPOptions(timeLimit: 60))
        var calls = 0
        solver.stopHook = {
            calls += 1
            return calls >= k
        }
        let result = try solver.solve(knapsack.program, start: nil)
        #expect(result.status == .interrupted, "\(result.status) after \(calls) calls")
        #expect(calls == k)
        #expect(result.seconds < 30, "\(result.seconds) s")
        if result.hasSolution {
            let (feasible, objective) = knapsack.check(result.solution)
            #expect(feasible)
            #expect(abs(objective - result.objective) <= 1e-6 * abs(objective))
            #expect(objective >= -1526.4 - 1e-6, "\(objective) beats the optimum")
        }
        #expect(result.bestBound <= -1526.4 + 1e-6, "bound \(result.bestBound) above the optimum")
    }

    /// A hook that never fires changes nothing: the same optimum and bound as without a hook (a small cover, solved
    /// to optimality in a few nodes), and it was read.
    @Test(arguments: MIPBackend.allCases)
    func aHookThatNeverFiresChangesNothing(_ backend: MIPBackend) throws {
        let program = MIPTests.Cover(rows: 6, columns: 14, seed: 9).program
        let reference = try backend.makeSolver().solve(program, start: nil)
        #expect(reference.status == .optimal)
        let solver = backend.makeSolver()
        var calls = 0
        solver.stopHook = {
            calls += 1
            return false
        }
        let result = try solver.solve(program, start: nil)
        #expect(result.status == .optimal)
        #expect(calls > 0)
        #expect(abs(result.objective - reference.objective) <= 1e-9)
        #expect(abs(result.bestBound - reference.bestBound) <= 1e-9)
    }
}
