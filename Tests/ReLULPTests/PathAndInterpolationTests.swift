import Foundation
import ReLULP
import TestSupport
import Testing

/// Regularisation paths against cold solves, and the noise-free limit against its own certificate.
@Suite struct PathAndInterpolationTests {
    @Test(arguments: LPBackend.allCases)
    func warmPathMatchesColdSolves(backend: LPBackend) throws {
        let data = try Fixtures.teacher(n: 30, m: 2, neurons: 3, noise: 0.1, seed: 21)
        let trainer = try ExactTrainer(data: data)
        let lambdas = [0.003, 0.1, 0.03, 0.01, 0.001]
        let path = try trainer.path(lambdas: lambdas, options: TrainingOptions(lambda: 1, backend: backend))
        #expect(path.count == lambdas.count)
        for (lambda, warm) in zip(lambdas, path) {
            let cold = try trainer.train(TrainingOptions(lambda: lambda, backend: backend))
            #expect(warm.status == .optimal && cold.status == .optimal, "λ = \(lambda)")
            #expect(warm.lambda == lambda)
            #expect(abs(warm.objective - cold.objective) <= 1e-7 * max(1, cold.objective), "λ = \(lambda)")
            #expect(warm.lowerBound <= cold.objective + 1e-12 && cold.lowerBound <= warm.objective + 1e-12)
        }
        // Later λ reuse the neurons of earlier ones: the whole path needs fewer rounds than the cold solves.
        let coldRounds = try lambdas.map { try trainer.train(TrainingOptions(lambda: $0, backend: backend)).rounds }
            .reduce(0, +)
        #expect(path.map(\.rounds).reduce(0, +) < coldRounds)
    }

    /// Every loss and master form along a fine path (each solve after the first starts its smoothing from the last
    /// one's dual, `MasterProblem.initialCentre`): every λ certified and equal to its cold solve within the two
    /// certificates' gaps (1e-9 relative, or the gap floor 1e-10·U₀), each bound below the other's objective.
    @Test(arguments: [
        (Loss.l1, LPBackend.clp, MasterForm.primal), (.l1, .clp, .dual), (.l1, .glpk, .primal), (.l1, .glpk, .dual),
        (.hinge, .clp, .primal), (.hinge, .glpk, .dual), (.squared, .clp, .primal),
    ])
    func finePathMatchesColdSolves(loss: Loss, backend: LPBackend, master: MasterForm) throws {
        let raw = try Fixtures.teacher(n: 24, m: 2, neurons: 3, noise: 0.1, seed: 41)
        let median = raw.labels.sorted()[raw.count / 2]
        let data =
            loss == .hinge
            ? try Dataset(
                featureNames: raw.featureNames, features: raw.features,
                labels: raw.labels.map { $0 >= median ? 1 : -1 }) : raw
        let trainer = try ExactTrainer(data: data)
        let lambdas = (0..<8).map { 0.1 * pow(10, -3.5 * Double($0) / 7) }
        var options = TrainingOptions(lambda: 1, backend: backend, loss: loss)
        options.master = master
        let path = try trainer.path(lambdas: lambdas, options: options)
        #expect(path.count == lambdas.count)
        // U₀: the zero network's objective, the gap floor's scale.
        let n = Double(data.count)
        let zero =
            loss == .squared
            ? data.labels.reduce(0) { $0 + $1 * $1 } / (2 * n)
            : loss == .hinge ? 1 : data.labels.reduce(0) { $0 + abs($1) } / n
        for (lambda, warm) in zip(lambdas, path) {
            options.lambda = lambda
            #expect(warm.lambda == lambda)
            Self.expectSameOptimum(warm, cold: try trainer.train(options), zero: zero, boundSlack: 1e-12)
        }
    }

    /// A path's solve `warm` against the cold solve of its λ: both certified, their objectives equal within the two
    /// certificates' gaps (1e-9 relative, or the gap floor 1e-10·U₀, U₀ = `zero` the zero network's objective),
    /// each lower bound below the other's objective by at most `boundSlack` (nil: the same allowance).
    static func expectSameOptimum(
        _ warm: TrainingResult, cold: TrainingResult, zero: Double, boundSlack: Double? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let label = "λ = \(warm.lambda)"
        #expect(warm.status == .optimal && cold.status == .optimal, "\(label)", sourceLocation: sourceLocation)
        let allowed = 1e-9 * max(warm.objective, cold.objective) + 1e-10 * zero
        #expect(abs(warm.objective - cold.objective) <= allowed, "\(label)", sourceLocation: sourceLocation)
        let slack = boundSlack ?? allowed
        #expect(
            warm.lowerBound <= cold.objective + slack && cold.lowerBound <= warm.objective + slack, "\(label)",
            sourceLocation: sourceLocation)
    }

    @Test(arguments: [(1, UInt64(31)), (2, UInt64(33))])
    func interpolationFitsAndIsCertified(m: Int, seed: UInt64) throws {
        try checkInterpolation(try Fixtures.teacher(n: 25, m: m, neurons: 3, noise: 0, seed: seed), seed: seed)
    }

    /// The 1-D noise-free limit of the study in models/study: its LP's total variation jitters at 1e-9 once the
    /// penalty is large, and it used to end "stalled" at gap 2.4e-9 after certifying the gap rounds earlier.
    @Test func studyLimitIsCertified() throws {
        try checkInterpolation(
            TeacherGenerator(count: 40, features: 1, neurons: 3, noise: 0, seed: 1).generate().data, seed: 5)
    }

    func checkInterpolation(_ data: Dataset, seed: UInt64) throws {
        let trainer = try ExactTrainer(data: data)
        let m = trainer.points.dimension - 1
        var options = TrainingOptions(lambda: 1)
        options.problem = .interpolation
        let result = try trainer.train(options)
        #expect(result.status == .optimal)
        #expect(result.lambda == 0)
        // Exact fit, recomputed here from the atoms.
        for j in 0..<data.count {
            var f = 0.0
            for atom in result.measure.atoms {
                f += atom.amplitude * max(0, zip(atom.weights, trainer.points[point: j]).reduce(0) { $0 + $1.0 * $1.1 })
            }
            #expect(abs(f - data.labels[j]) <= 1e-9 * max(1, abs(data.labels[j])))
        }
        #expect(abs(result.objective - result.measure.totalVariation) <= 1e-12)
        #expect(result.lowerBound <= result.objective)
        // The certificate: |Σ p_j σ(⟨w, x̃_j⟩)| ≤ 1 everywhere (checked at random points), = ±1 at the Diracs.
        let p = result.certificate.dual
        var rng = Fixtures.Random(seed: seed)
        for _ in 0..<20_000 {
            #expect(abs(certificateValue(dual: p, points: trainer.points, at: rng.unitVector(m + 1))) <= 1 + 1e-7)
        }
        for atom in result.measure.atoms {
            let eta = certificateValue(dual: p, points: trainer.points, at: atom.weights)
            #expect(
                abs(eta) >= 1 - 1e-6 && (eta > 0) == (atom.amplitude > 0),
                "η = \(eta), a = \(atom.amplitude), gap \(result.gap), rounds \(result.rounds)")
        }
        // Any λ > 0 solution fits worse or pays at least as much total variation... and (P) at tiny λ
        // approaches the interpolation's total variation from below.
        let small = try trainer.train(TrainingOptions(lambda: 1e-4))
        #expect(small.objective <= 1e-4 * result.totalVariation + 1e-9)
    }

    @Test func emptyPathIsRejected() throws {
        let trainer = try ExactTrainer(data: try Fixtures.teacher(n: 10, m: 1, neurons: 1, noise: 0, seed: 2))
        #expect(throws: TrainingError.self) { try trainer.path(lambdas: [], options: TrainingOptions(lambda: 1)) }
        #expect(throws: TrainingError.self) {
            try trainer.path(lambdas: [0.1, -1], options: TrainingOptions(lambda: 1))
        }
    }
}
