import Foundation
import ReLULP
import TestSupport
import Testing

/// The master LP's two forms (docs/mathematics.md §4, "The master's two forms"), the primal (a row per point) and
/// the dual (a row per neuron), must certify the same optimum. Each run is certified on its own (its lower bound comes from its own dual), so a
/// wrong form would show as a different objective or a gap that does not close.
@Suite struct MasterFormTests {
    /// Labels of two classes (above or below the median label) for the hinge loss.
    static func classes(_ data: Dataset) throws -> Dataset {
        let median = data.labels.sorted()[data.labels.count / 2]
        return try Dataset(
            featureNames: data.featureNames, features: data.features, labels: data.labels.map { $0 >= median ? 1 : -1 })
    }

    static func train(_ trainer: ExactTrainer, _ options: TrainingOptions, _ form: MasterForm) throws -> TrainingResult
    {
        var options = options
        options.master = form
        let result = try trainer.train(options)
        #expect(result.master == (options.loss.isQuadratic && options.problem != .interpolation ? .primal : form))
        #expect(
            result.status == .optimal,
            "\(form) \(options.backend) \(options.loss) interpolate=\(options.problem == .interpolation): \(result.status), gap \(result.gap)"
        )
        return result
    }

    static func expectSameOptimum(_ results: [TrainingResult], _ label: String) {
        guard let first = results.first else { return }
        for r in results {
            #expect(
                abs(r.objective - first.objective) <= 1e-9 * max(1, abs(first.objective)),
                "\(label): \(r.objective) against \(first.objective)")
            // Every lower bound is below every network's objective.
            for other in results { #expect(r.lowerBound <= other.objective + 1e-12, "\(label)") }
        }
    }

    /// A master of 1000 rows, where an idle neuron leaves the primal form after one round instead of three
    /// (`agingRounds`, docs/mathematics.md §4, "The master's cost"): the primal form certifies the optimum of the
    /// dual form, which ages nothing, with both backends (1-D data, 1000 noisy points, many atoms at λ = 1e-3).
    @Test func aMasterOfAThousandRowsAgesFastAndCertifiesTheSameOptimum() throws {
        let trainer = try ExactTrainer(
            data: try Fixtures.teacher(n: 1000, m: 1, neurons: 4, noise: 0.2, seed: 61))
        var results: [TrainingResult] = []
        for backend in LPBackend.allCases {
            for form in [MasterForm.primal, .dual] {
                results.append(try Self.train(trainer, TrainingOptions(lambda: 1e-3, backend: backend), form))
            }
        }
        Self.expectSameOptimum(results, "n = 1000")
    }

    /// Primal and dual form, CLP and GLPK: the same certified optimum for the L1 and hinge losses and for the
    /// interpolation, m = 1..3.
    @Test(arguments: [1, 2, 3])
    func formsAgree(features m: Int) throws {
        let data = try Fixtures.teacher(n: m == 3 ? 14 : 25, m: m, neurons: 3, noise: 0.1, seed: 40 + UInt64(m))
        for (loss, dataset) in [(Loss.l1, data), (.hinge, try Self.classes(data))] {
            let trainer = try ExactTrainer(data: dataset)
            var results: [TrainingResult] = []
            for backend in LPBackend.allCases {
                for form in [MasterForm.primal, .dual] {
                    results.append(
                        try Self.train(trainer, TrainingOptions(lambda: 0.02, backend: backend, loss: loss), form))
                }
            }
            Self.expectSameOptimum(results, "m=\(m) \(loss)")
        }
        let trainer = try ExactTrainer(
            data: try Fixtures.teacher(n: 20, m: m, neurons: 3, noise: 0, seed: 50 + UInt64(m)))
        var interpolation = TrainingOptions(lambda: 1)
        interpolation.problem = .interpolation
        Self.expectSameOptimum(
            try [MasterForm.primal, .dual].map { try Self.train(trainer, interpolation, $0) }, "m=\(m) interpolation")
    }

    /// The dual form's regularisation path (bounds change between λ, cuts are pruned) against cold solves of the
    /// primal form.
    @Test(arguments: LPBackend.allCases)
    func dualPathMatchesPrimalSolves(backend: LPBackend) throws {
        let trainer = try ExactTrainer(data: try Fixtures.teacher(n: 30, m: 2, neurons: 3, noise: 0.05, seed: 61))
        let lambdas = [0.1, 0.02, 0.004, 0.05]
        var options = TrainingOptions(lambda: 1, backend: backend)
        options.master = .dual
        let path = try trainer.path(lambdas: lambdas, options: options)
        for (lambda, result) in zip(lambdas, path) {
            #expect(result.status == .optimal)
            let cold = try Self.train(trainer, TrainingOptions(lambda: lambda, backend: backend), .primal)
            Self.expectSameOptimum([cold, result], "λ=\(lambda)")
        }
    }

    /// Degenerate data for the dual form's cuts: one feature with repeated inputs (also with different labels),
    /// unsorted, with and without bias; and the smallest data sets.
    @Test(arguments: [true, false])
    func formsAgreeOnDegenerateData(bias: Bool) throws {
        var data = try Fixtures.teacher(n: 24, m: 1, neurons: 3, noise: 0.1, seed: 71)
        data = try Dataset(
            featureNames: data.featureNames,
            features: data.features + [data.features[3], data.features[5], data.features[7], data.features[7]],
            labels: data.labels + [data.labels[3], data.labels[5] + 0.3, data.labels[7], data.labels[7]])
        for loss in [Loss.l1, .hinge] {
            let trainer = try ExactTrainer(data: loss == .hinge ? try Self.classes(data) : data, bias: bias)
            let options = TrainingOptions(lambda: 0.01, loss: loss)
            Self.expectSameOptimum(
                try [MasterForm.primal, .dual].map { try Self.train(trainer, options, $0) }, "\(loss) bias=\(bias)")
        }
        for (xs, ys) in [
            ([[0.5], [0.5]], [1.0, 2.0]), ([[-1.0], [2.0]], [1.0, -1.0]), ([[3.0], [-1.0], [3.0]], [1.0, 0.5, 1.0]),
        ] {
            let trainer = try ExactTrainer(
                data: try Dataset(featureNames: ["x1"], features: xs, labels: ys), bias: bias)
            let options = TrainingOptions(lambda: 0.05)
            Self.expectSameOptimum(
                try [MasterForm.primal, .dual].map { try Self.train(trainer, options, $0) }, "\(xs)")
        }
    }

    /// `auto` takes the dual form for the linear losses from `MasterForm.dualFromPoints` points, and the squared
    /// loss always takes the primal form; the model file records the form.
    @Test func autoChoosesByPointsAndLoss() throws {
        for n in [40, MasterForm.dualFromPoints] {
            let data = try Fixtures.teacher(n: n, m: 1, neurons: 3, noise: 0.05, seed: 81)
            let trainer = try ExactTrainer(data: data)
            for loss in [Loss.l1, .squared] {
                let result = try trainer.train(TrainingOptions(lambda: 0.05, loss: loss))
                #expect(result.status == .optimal)
                let expected: MasterForm = loss == .l1 && n >= MasterForm.dualFromPoints ? .dual : .primal
                #expect(result.master == expected, "n = \(n), \(loss)")
                #expect(
                    ModelFile(result: result, data: data, bias: true, tolerance: 1e-9).solver?.master
                        == expected.rawValue)
            }
        }
    }

    /// The entry limit (the master's memory): a run that would pass it ends with status size-limit and valid bounds
    /// in either form; a vertex LP above it is refused before it is built; a limit below 1 is refused.
    @Test func entryLimitEndsTheRunWithValidBounds() throws {
        let data = try Fixtures.teacher(n: 60, m: 1, neurons: 3, noise: 0.05, seed: 83)
        let trainer = try ExactTrainer(data: data)
        let full = try trainer.train(TrainingOptions(lambda: 0.01))
        #expect(full.status == .optimal)
        for form in [MasterForm.primal, .dual] {
            var options = TrainingOptions(lambda: 0.01)
            options.master = form
            options.maxMasterEntries = 3 * data.count
            let limited = try trainer.train(options)
            #expect(limited.status == .sizeLimit, "\(form)")
            #expect(limited.masterEntries <= options.maxMasterEntries && full.masterEntries > options.maxMasterEntries)
            #expect(limited.lowerBound <= full.objective + 1e-12 && full.lowerBound <= limited.objective + 1e-12)
            let direct = objective(
                atoms: limited.measure.atoms, points: trainer.points, labels: data.labels, lambda: 0.01)
            #expect(abs(direct - limited.objective) <= 1e-12 * max(1, direct))
        }
        var vertices = TrainingOptions(lambda: 0.01, method: .vertices)
        vertices.maxMasterEntries = 100
        #expect {
            try trainer.train(vertices)
        } throws: { error in
            guard case .masterTooLarge(let entries, let limit) = error as? TrainingError else { return false }
            return entries > limit && limit == 100
        }
        var zero = TrainingOptions(lambda: 0.01)
        zero.maxMasterEntries = 0
        #expect(throws: TrainingError.self) { try zero.validate() }
    }
}
