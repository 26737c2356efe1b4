import Foundation
import LinearProgramming
import Testing

/// The stop hook (`LPSolver.stopHook`, issue 22): polled between stretches of iterations of every simplex pass
/// (CLP's primal and dual, GLPK's), it ends a solve with status `interrupted` when it returns true, and changes
/// nothing while it returns false. Stretches are fixed at a few iterations (`stretchOverride`), so the LPs need
/// several and the counts below do not depend on time.
@Suite struct StopHookTests {
    /// The two ways a solve runs: cold (the dual simplex for both backends) and warm after new columns (the
    /// primal simplex).
    enum Start: CaseIterable { case cold, warm }

    static let stretch = 5

    /// A solver of `backend` with fixed stretches holding the 40 × 60 L1 regression, ready for the solve of
    /// `start`: the whole LP loaded (cold), or its residual columns solved and the feature columns added (warm).
    func prepared(_ backend: LPBackend, _ start: Start) throws -> any LPSolver {
        let solver = backend.makeSolver()
        switch solver {
        case let clp as CLPSolver: clp.stretchOverride = Self.stretch
        case let glpk as GLPKSolver: glpk.stretchOverride = Self.stretch
        default: Issue.record("unknown backend \(backend)")
        }
        let regression = L1Regression(rows: 40, features: 60, seed: 11)
        switch start {
        case .cold:
            try solver.load(regression.program)
        case .warm:
            try solver.load(LinearProgram(equalityRows: regression.b, columns: regression.residualColumns()))
            _ = try solver.solve().requireOptimal()
            try solver.addColumns(
                (0..<60).map { regression.featureColumn($0, sign: 1) }
                    + (0..<60).map { regression.featureColumn($0, sign: -1) })
        }
        return solver
    }

    /// A hook that fires at its first call: one call, status interrupted, no values, fewer iterations than the
    /// same solve without a hook (which is optimal and needs more than one stretch). The next solve without the
    /// hook reaches the same optimum.
    @Test(arguments: LPBackend.allCases, Start.allCases)
    func aHookThatFiresEndsTheSolve(_ backend: LPBackend, _ start: Start) throws {
        let reference = try prepared(backend, start).solve().requireOptimal()
        #expect(reference.iterations > 2 * Self.stretch, "\(reference.iterations) iterations")
        let solver = try prepared(backend, start)
        var calls = 0
        solver.stopHook = {
            calls += 1
            return true
        }
        let stopped = try solver.solve()
        #expect(stopped.status == .interrupted)
        #expect(stopped.status.category == .limit)
        #expect(stopped.primal.isEmpty && stopped.rowDuals.isEmpty)
        #expect(calls == 1)
        #expect(stopped.iterations < reference.iterations, "\(stopped.iterations) of \(reference.iterations)")
        solver.stopHook = nil
        let resumed = try solver.solve().requireOptimal()
        #expect(close(resumed.objective, reference.objective, tol: 1e-9))
    }

    /// A hook that never fires is polled (more than once: the solve has several stretches) and changes nothing:
    /// optimal, the unhooked objective, a KKT point of the LP.
    @Test(arguments: LPBackend.allCases, Start.allCases)
    func aHookThatNeverFiresChangesNothing(_ backend: LPBackend, _ start: Start) throws {
        let reference = try prepared(backend, start).solve().requireOptimal()
        let solver = try prepared(backend, start)
        var calls = 0
        solver.stopHook = {
            calls += 1
            return false
        }
        let r = try solver.solve().requireOptimal()
        #expect(calls > 1, "\(calls) calls")
        #expect(close(r.objective, reference.objective, tol: 1e-9))
        let regression = L1Regression(rows: 40, features: 60, seed: 11)
        let lp =
            start == .cold
            ? regression.program
            : LinearProgram(
                equalityRows: regression.b,
                columns: regression.residualColumns() + (0..<60).map { regression.featureColumn($0, sign: 1) }
                    + (0..<60).map { regression.featureColumn($0, sign: -1) })
        #expect(kktViolations(lp, r).isEmpty)
    }

    /// A column generation under a hook that never fires (and under a time limit it never reaches), with the
    /// stretches sized by the backend: columns added
    /// in four batches, each warm re-solve ends at the optimum of the LP so far, checked by its KKT conditions and
    /// by a cold solve of a fresh solver.
    @Test(arguments: LPBackend.allCases, [false, true])
    func hookedReSolvesAfterNewColumnsReachTheColdOptimum(_ backend: LPBackend, timeLimited: Bool) throws {
        let regression = L1Regression(rows: 40, features: 60, seed: 12)
        let solver = backend.makeSolver()
        solver.stopHook = { false }
        if timeLimited { solver.options.timeLimit = 1000 }
        try solver.load(LinearProgram(equalityRows: regression.b, columns: regression.residualColumns()))
        _ = try solver.solve().requireOptimal()
        var columns = regression.residualColumns()
        for batch in 0..<4 {
            let features = (15 * batch)..<(15 * batch + 15)
            let new =
                features.map { regression.featureColumn($0, sign: 1) }
                + features.map { regression.featureColumn($0, sign: -1) }
            try solver.addColumns(new)
            columns += new
            let warm = try solver.solve().requireOptimal()
            let lp = LinearProgram(equalityRows: regression.b, columns: columns)
            let cold = backend.makeSolver()
            try cold.load(lp)
            #expect(kktViolations(lp, warm).isEmpty, "batch \(batch)")
            #expect(close(warm.objective, try cold.solve().requireOptimal().objective, tol: 1e-9), "batch \(batch)")
        }
    }

    /// The interior-point methods have no stretches: a hook that fires is read once, before they start.
    @Test(arguments: LPBackend.allCases)
    func theBarrierReadsTheHookBeforeItStarts(_ backend: LPBackend) throws {
        let solver = try prepared(backend, .cold)
        solver.options.algorithm = .barrier(crossover: false)
        var calls = 0
        solver.stopHook = {
            calls += 1
            return true
        }
        let r = try solver.solve()
        #expect(r.status == .interrupted)
        #expect(calls == 1)
    }
}

/// Stretches with their lengths left to the solver (no `stretchOverride`) are a function of the model, not of the
/// clock: the warm primal re-solve of a 300 × 3000 L1 regression (1.8·10⁶ entries: stretches of about 1100
/// iterations; about 2000 in all) under a time limit and a stop hook that returns
/// false takes the same iterations to the same vertex on a quiet core and beside two threads that keep both cores
/// busy. (With lengths from the measured rate, a slower stretch moved the restarts, and with them the pivoting
/// path and the vertex of a degenerate master: scikit-learn fits of the same data differed at CI's load.)
@Suite struct ReproducibleStretchTests {
    func warmSolve(_ backend: LPBackend) throws -> LPResult {
        var options = LPOptions()
        options.timeLimit = 600
        let solver = backend.makeSolver(options: options)
        solver.stopHook = { false }
        let regression = L1Regression(rows: 300, features: 3000, seed: 21)
        try solver.load(LinearProgram(equalityRows: regression.b, columns: regression.residualColumns()))
        _ = try solver.solve().requireOptimal()
        try solver.addColumns(
            (0..<3000).map { regression.featureColumn($0, sign: 1) }
                + (0..<3000).map { regression.featureColumn($0, sign: -1) })
        return try solver.solve().requireOptimal()
    }

    @Test(arguments: LPBackend.allCases) func aStretchedSolveIsTheSameAtAnyLoad(_ backend: LPBackend) throws {
        let quiet = try warmSolve(backend)
        let spinning = Spinners(count: 2)
        defer { spinning.stop() }
        let loaded = try warmSolve(backend)
        #expect(quiet.iterations > 1200, "one stretch only: \(quiet.iterations) iterations")
        #expect(loaded.iterations == quiet.iterations)
        #expect(loaded.primal == quiet.primal)
    }
}

/// Threads that keep cores busy until `stop`.
final class Spinners: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true

    init(count: Int) {
        for _ in 0..<count {
            Thread {
                var x = 0.0
                while self.isRunning { for i in 0..<100_000 { x += Double(i).squareRoot() } }
                if x < 0 { print(x) }
            }.start()
        }
    }

    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    func stop() {
        lock.lock()
        running = false
        lock.unlock()
    }
}
