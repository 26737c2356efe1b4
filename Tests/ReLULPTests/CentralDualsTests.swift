import Foundation
import LinearProgramming
import ReLULP
import TestSupport
import Testing

/// Counts a run's barrier solves and records every round's lower bound (called from the run's thread only).
final class CentralLog: @unchecked Sendable {
    var barrierSolves = 0
    var lowerBounds: [Double] = []
}

/// The master solved by the barrier for central duals (`TrainingOptions.centralDuals`, docs/mathematics.md §4a):
/// the runs certify the optima of Tests/Fixtures/expected.json, and no round's bound (from an interior dual or a
/// vertex one) passes the certified optimum.
@Suite struct CentralDualsTests {
    static func options(_ lambda: Double, backend: LPBackend, log: CentralLog) -> TrainingOptions {
        var options = TrainingOptions(lambda: lambda, backend: backend)
        options.centralDuals = true
        options.solverFactory = { backend, lp in
            let solver = WrongSignSolver(backend.makeSolver(options: lp), failing: { _ in false })
            solver.onSolve = { if $0.algorithm != .simplex { log.barrierSolves += 1 } }
            return solver
        }
        options.progress = { log.lowerBounds.append($0.lowerBound) }
        return options
    }

    @Test(arguments: LPBackend.allCases)
    func certifiesTheFixtures(backend: LPBackend) throws {
        for e in try Fixtures.expected() {
            let trainer = try ExactTrainer(data: Fixtures.dataset(e.file), bias: e.bias)
            let log = CentralLog()
            let result = try trainer.train(Self.options(e.lam, backend: backend, log: log))
            let label = "\(e.file) λ=\(e.lam) \(backend)"
            #expect(result.status == .optimal, "\(label)")
            #expect(abs(result.objective - e.optimum_upper) <= 1e-7 * e.optimum_upper, "\(label): \(result.objective)")
            #expect(log.barrierSolves > 0, "\(label): no barrier solve")
            for bound in log.lowerBounds { #expect(bound <= e.optimum_upper * (1 + 1e-12), "\(label): bound \(bound)") }
        }
    }

    /// A small λ, where the master's optimal faces are large: the same certified optimum as the simplex master, and
    /// every bound of the barrier's rounds below it.
    @Test func agreesWithTheSimplexMasterAtSmallLambda() throws {
        let trainer = try ExactTrainer(data: try Fixtures.teacher(n: 40, m: 2, neurons: 3, noise: 0.1, seed: 23))
        let reference = try trainer.train(TrainingOptions(lambda: 1e-4))
        #expect(reference.status == .optimal)
        let log = CentralLog()
        let result = try trainer.train(Self.options(1e-4, backend: .clp, log: log))
        #expect(result.status == .optimal)
        #expect(abs(result.objective - reference.objective) <= 1e-8 * reference.objective)
        #expect(log.barrierSolves > 0)
        for bound in log.lowerBounds { #expect(bound <= reference.objective * (1 + 1e-12)) }
    }
}
