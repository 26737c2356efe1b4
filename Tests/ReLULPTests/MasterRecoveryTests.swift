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

    init(_ inner: any LPSolver, failing: @escaping (Int) -> Bool) {
        self.inner = inner
        self.failing = failing
    }

    convenience init(options: LPOptions) { self.init(CLPSolver(options: options), failing: { _ in false }) }

    var options: LPOptions {
        get { inner.options }
        set { inner.options = newValue }
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
}

/// λ from 1e-12 to 1 on 1-D and 2-D data: certified with both backends and both master forms for the L1 and hinge
/// losses, with CLP's primal master for the squared loss (from 1e-8); `certify` agrees.
@Suite struct LambdaRangeTests {
    static let solvers: [(backend: LPBackend, master: MasterForm, loss: Loss)] =
        [Loss.l1, .hinge].flatMap { loss in
            LPBackend.allCases.flatMap { backend in [MasterForm.primal, .dual].map { (backend, $0, loss) } }
        } + [(.clp, .primal, .squared)]

    @Test(arguments: [1, 2], solvers)
    func everyLambdaCertifies(m: Int, solver: (backend: LPBackend, master: MasterForm, loss: Loss)) throws {
        var data = try Fixtures.teacher(n: 12, m: m, neurons: 2, noise: 0.1, seed: UInt64(40 + m))
        if solver.loss == .hinge {
            let median = data.labels.sorted()[data.count / 2]
            data.labels = data.labels.map { $0 >= median ? 1 : -1 }
        }
        let trainer = try ExactTrainer(data: data)
        // The squared loss at λ = 1e-12 on the 1-D data ends in CLP's wrong-sign verdict after every CLP recovery
        // (its quadratic cost 1/(nλ) is 8e10), and `SquaredMasterQP` refuses its own answer: a rounding of the
        // amplitudes moves u = q·r by about q·ε·|a| (a reduced cost off by 6e-6 of 27 seen), so no primal master
        // is stationary to 1e-9. Left out here.
        let lambdas = solver.loss == .squared ? [1e-8, 1e-4, 1e-2, 1] : [1e-12, 1e-8, 1e-4, 1e-2, 1]
        for lambda in lambdas {
            var options = TrainingOptions(lambda: lambda, backend: solver.backend, loss: solver.loss)
            options.master = solver.master
            let result: TrainingResult
            do { result = try trainer.train(options) } catch {
                Issue.record("m = \(m), λ = \(lambda), \(solver): \(error)")
                continue
            }
            #expect(
                result.status == .optimal, "m = \(m), λ = \(lambda), \(solver): \(result.status), gap \(result.gap)")
            let model = ModelFile(result: result, data: data, bias: true, tolerance: 1e-9)
            let report = try CertificateReport.analyze(model: model, data: data)
            #expect(report.certifiedOptimal, "m = \(m), λ = \(lambda), \(solver): \(report.optimalityVerdict)")
        }
    }
}
