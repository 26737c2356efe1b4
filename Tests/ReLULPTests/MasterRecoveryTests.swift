import Foundation
import LinearProgramming
import ReLULP
import TestSupport
import Testing

/// A real backend behind the LP protocol that, on the solves listed in `failing`, answers as CLP does for a
/// non-optimal basis it calls optimal (the wrong-sign check of `CLPSolver` turns it into numerical trouble).
final class WrongSignSolver: LPSolver {
    static let name = "wrong-sign"
    static let status = LPTerminationStatus.numericalTrouble(
        "CLP reported optimal with reduced costs of the wrong sign")
    let inner: any LPSolver
    let failing: (Int) -> Bool
    private(set) var calls = 0
    /// Called with the options of every solve (the time limit a recovery's solve was given).
    var onSolve: ((LPOptions) -> Void)? = nil

    init(_ inner: any LPSolver, failing: @escaping (Int) -> Bool) {
        self.inner = inner
        self.failing = failing
    }

    convenience init(options: LPOptions) { self.init(CLPSolver(options: options), failing: { _ in false }) }

    var options: LPOptions {
        get { inner.options }
        set { inner.options = newValue }
    }
    var stopHook: LPStopHook? {
        get { inner.stopHook }
        set { inner.stopHook = newValue }
    }
    func load(_ problem: LinearProgram) throws(LPError) { try inner.load(problem) }
    func addColumns(_ columns: [LPColumn]) throws(LPError) { try inner.addColumns(columns) }
    func setCosts(_ costs: [Double], columns: [Int]) throws(LPError) { try inner.setCosts(costs, columns: columns) }
    func removeColumns(_ columns: [Int]) throws(LPError) { try inner.removeColumns(columns) }
    func addRows(_ rows: [LPRow]) throws(LPError) { try inner.addRows(rows) }
    func removeRows(_ rows: [Int]) throws(LPError) { try inner.removeRows(rows) }
    func setBounds(lower: [Double], upper: [Double], columns: [Int]) throws(LPError) {
        try inner.setBounds(lower: lower, upper: upper, columns: columns)
    }
    func setQuadraticCosts(_ costs: [Double], columns: [Int]) throws(LPError) {
        try inner.setQuadraticCosts(costs, columns: columns)
    }
    func solve() throws(LPError) -> LPResult {
        calls += 1
        onSolve?(inner.options)
        let result = try inner.solve()
        guard failing(calls) else { return result }
        return LPResult(
            status: Self.status, objective: .nan, primal: [], rowDuals: [], reducedCosts: [],
            iterations: result.iterations, seconds: result.seconds)
    }
    var numberOfRows: Int { inner.numberOfRows }
    var numberOfColumns: Int { inner.numberOfColumns }
    func writeMPS(to path: String) throws(LPError) { try inner.writeMPS(to: path) }
}

/// Counts the solvers a run makes (the factory is called from the run's thread only).
final class SolverCount: @unchecked Sendable {
    var made = 0
}

/// The master never ends a run on numerics: a solve reported in numerical trouble is recovered from by rebuilding
/// the master on a fresh solver, and the run ends with the optimum of an undisturbed run; when every solver fails,
/// the error says what the user can do.
@Suite struct MasterRecoveryTests {
    let data: Dataset
    init() throws { data = try Fixtures.teacher(n: 20, m: 2, neurons: 3, noise: 0.05, seed: 5) }

    static let cases: [(form: MasterForm, loss: Loss)] = [(.primal, .l1), (.dual, .l1), (.primal, .squared)]

    @Test(arguments: cases)
    func wrongSignOptimumIsRecovered(form: MasterForm, loss: Loss) throws {
        let trainer = try ExactTrainer(data: data)
        var options = TrainingOptions(lambda: 1e-3, loss: loss)
        options.master = form
        // The squared loss's CLP master, which the active-set QP in Swift otherwise solves first.
        options.activeSetSquaredMaster = false
        let reference = try trainer.train(options)
        #expect(reference.status == .optimal)
        // The first solver fails its second and every later solve; the fresh ones of the recovery do not.
        let count = SolverCount()
        options.solverFactory = { backend, lp in
            count.made += 1
            let first = count.made == 1
            return WrongSignSolver(backend.makeSolver(options: lp), failing: { first && $0 >= 2 })
        }
        let result = try trainer.train(options)
        #expect(count.made >= 2, "no recovery happened")
        #expect(result.status == .optimal, "\(result.status)")
        #expect(
            abs(result.objective - reference.objective) <= 1e-9 * reference.objective,
            "\(result.objective) vs \(reference.objective)")
        #expect(result.lowerBound <= reference.objective * (1 + 1e-12))
    }

    @Test func failureOnEveryBackendSaysWhatToDo() throws {
        let trainer = try ExactTrainer(data: data)
        var options = TrainingOptions(lambda: 1e-3)
        let count = SolverCount()
        options.solverFactory = { backend, lp in
            count.made += 1
            return WrongSignSolver(backend.makeSolver(options: lp), failing: { _ in true })
        }
        do {
            _ = try trainer.train(options)
            Issue.record("a run whose every solve fails returned a result")
        } catch {
            guard case .solverFailed = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect("\(error)".contains("--master"))
        }
        // The run's solver, a fresh one of every backend, then the rescaled master on the run's backend.
        #expect(count.made == 2 + LPBackend.allCases.count)
    }

    /// Under a time limit every solve of the recovery gets what is left of it, not no limit (a recovery's cold CLP
    /// QP ran 8 minutes past a 300 s limit on plane n = 300 at λ = 1e-6).
    @Test(arguments: [Loss.l1, .squared])
    func recoverySolvesGetTheTimeLeft(loss: Loss) throws {
        let trainer = try ExactTrainer(data: data)
        var options = TrainingOptions(lambda: 1e-3, loss: loss)
        options.timeLimit = 100
        options.activeSetSquaredMaster = false
        let limits = LimitLog()
        options.solverFactory = { backend, lp in
            let solver = WrongSignSolver(backend.makeSolver(options: lp), failing: { _ in true })
            solver.onSolve = { limits.seen.append($0.timeLimit) }
            return solver
        }
        // L1 fails on every backend; the squared loss ends in the Swift QP: either way every solve was timed.
        _ = try? trainer.train(options)
        #expect(limits.seen.count >= 3, "\(limits.seen)")
        #expect(limits.seen.allSatisfy { $0 != nil && $0! <= 100 }, "\(limits.seen)")
    }
}

/// λ from 1e-12 to 1 on 1-D and 2-D data, all three losses: certified by every master solver of the loss, `certify`
/// agrees, and the solvers' bounds cross-check each other.
@Suite struct LambdaRangeTests {
    /// The master solvers of a loss: both backends with both master forms for the linear losses; for the squared
    /// loss (GLPK has no QP, its master is always primal) CLP's QP and `SquaredMasterQP` (every CLP solve failing).
    static func solvers(_ loss: Loss) -> [(name: String, options: (inout TrainingOptions) -> Void)] {
        guard loss == .squared else {
            return LPBackend.allCases.flatMap { backend in
                [MasterForm.primal, .dual].map { form in
                    (
                        "\(backend) \(form)",
                        {
                            $0.backend = backend
                            $0.master = form
                        }
                    )
                }
            }
        }
        return [
            ("clp QP", { $0.activeSetSquaredMaster = false }),
            (
                "SquaredMasterQP",
                {
                    $0.solverFactory = { backend, lp in
                        WrongSignSolver(backend.makeSolver(options: lp), failing: { _ in true })
                    }
                }
            ),
        ]
    }

    /// Every cell of λ ∈ [1e-12, 1] × {1-D, 2-D} × loss × master solver certifies, `certify` confirms it, and every
    /// solver's lower bound lies below every other's objective (so all reach the same optimum to their gaps).
    @Test(arguments: [1, 2], [Loss.l1, .hinge, .squared])
    func everyLambdaCertifies(m: Int, loss: Loss) throws {
        var data = try Fixtures.teacher(n: 12, m: m, neurons: 2, noise: 0.1, seed: UInt64(40 + m))
        if loss == .hinge {
            let median = data.labels.sorted()[data.count / 2]
            data.labels = data.labels.map { $0 >= median ? 1 : -1 }
        }
        let trainer = try ExactTrainer(data: data)
        for lambda in [1e-12, 1e-8, 1e-4, 1e-2, 1] {
            var results: [(name: String, result: TrainingResult)] = []
            for solver in Self.solvers(loss) {
                var options = TrainingOptions(lambda: lambda, loss: loss)
                solver.options(&options)
                let cell = "m = \(m), λ = \(lambda), \(loss), \(solver.name)"
                let result: TrainingResult
                do { result = try trainer.train(options) } catch {
                    Issue.record("\(cell): \(error)")
                    continue
                }
                #expect(result.status == .optimal, "\(cell): \(result.status), gap \(result.gap)")
                let model = ModelFile(result: result, data: data, bias: true, tolerance: 1e-9)
                let report = try CertificateReport.analyze(model: model, data: data)
                #expect(report.certifiedOptimal, "\(cell): \(report.optimalityVerdict)")
                results.append((solver.name, result))
            }
            for a in results {
                for b in results where a.name != b.name {
                    #expect(
                        a.result.lowerBound <= b.result.objective + 1e-12 * abs(b.result.objective),
                        "m = \(m), λ = \(lambda), \(loss): L of \(a.name) \(a.result.lowerBound) > U of \(b.name) \(b.result.objective)"
                    )
                }
            }
        }
    }
}

/// The time limits the solves of a run were given, in order.
final class LimitLog: @unchecked Sendable {
    var seen: [Double?] = []
}
