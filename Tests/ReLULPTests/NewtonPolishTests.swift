import ReLULP
import TestSupport
import Testing

/// The Newton step on the LP's structure (`TrainingOptions.newtonPolish`, on by default) checked against the
/// plain column generation and against the certificate's definition.
@Suite struct NewtonPolishTests {
    static func data(m: Int, noise: Double = 0.01) throws -> Dataset {
        try TeacherGenerator(count: 40, features: m, neurons: 3, noise: noise, seed: 7).generate().data
    }

    /// Where the master LP finds the structure, the Newton proposal is the exact optimum and its dual an exact
    /// certificate: gap ≤ 1e-13 (the plain column generation stops near its 1e-9 tolerance), |η| ≤ 1 + 1e-12 at
    /// 10⁵ random points and |η| = 1 to 1e-12 with the amplitude's sign at every Dirac. The optimum is the plain
    /// column generation's, and each run's lower bound lies below the other's objective.
    @Test(arguments: [(1, 0.01), (1, 0.001), (2, 0.1), (2, 0.01), (2, 0.001)])
    func exactCertificate(m: Int, lambda: Double) throws {
        let trainer = try ExactTrainer(data: Self.data(m: m))
        var plain = TrainingOptions(lambda: lambda)
        plain.newtonPolish = false
        let reference = try trainer.train(plain)
        let result = try trainer.train(TrainingOptions(lambda: lambda))
        #expect(reference.status == .optimal && result.status == .optimal)
        // U − L at rounding level (an absolute test: the relative gap divides by U, a few hundredths here).
        let gap = result.objective - result.lowerBound
        #expect(gap <= 1e-13 * max(1, result.objective), "U − L = \(gap) after \(result.rounds) rounds")
        // Within the plain run's tolerance (absolute below 1, like the gap).
        #expect(abs(result.objective - reference.objective) <= 1e-9 * max(1, reference.objective))
        #expect(result.lowerBound <= reference.objective * (1 + 1e-12))
        #expect(reference.lowerBound <= result.objective * (1 + 1e-12))

        let p = result.certificate.dual
        var rng = Fixtures.Random(seed: 99)
        var largest = 0.0
        for _ in 0..<100_000 {
            let w = rng.unitVector(m + 1)
            largest = max(largest, abs(certificateValue(dual: p, points: trainer.points, at: w)) / lambda)
        }
        #expect(largest <= 1 + 1e-12)
        for atom in result.measure.atoms {
            let eta = certificateValue(dual: p, points: trainer.points, at: atom.weights) / lambda
            #expect(abs(abs(eta) - 1) <= 1e-12, "η = \(eta) at a Dirac")
            #expect((eta > 0) == (atom.amplitude > 0))
        }
        for value in p { #expect(abs(value) <= 1 / Double(trainer.points.count) * (1 + 1e-15)) }
    }

    /// The noise-free limit (interpolation) gets the same treatment: same optimum as without Newton, the fit
    /// exact, and a gap at rounding level.
    @Test func exactInterpolation() throws {
        let trainer = try ExactTrainer(data: Self.data(m: 1))
        var options = TrainingOptions(lambda: 1)
        options.problem = .interpolation
        var plain = options
        plain.newtonPolish = false
        let reference = try trainer.train(plain)
        let result = try trainer.train(options)
        #expect(reference.status == .optimal && result.status == .optimal)
        #expect(result.gap <= 1e-11, "gap \(result.gap)")
        #expect(abs(result.objective - reference.objective) <= 1e-9 * reference.objective)
        #expect(result.loss <= 1e-9)
    }

    /// Both backends reach the same exact optimum with Newton.
    @Test func backendsAgree() throws {
        let trainer = try ExactTrainer(data: Self.data(m: 2))
        let clp = try trainer.train(TrainingOptions(lambda: 0.01, backend: .clp))
        let glpk = try trainer.train(TrainingOptions(lambda: 0.01, backend: .glpk))
        #expect(clp.status == .optimal && glpk.status == .optimal)
        #expect(abs(clp.objective - glpk.objective) <= 1e-12 * clp.objective)
        #expect(clp.lowerBound <= glpk.objective * (1 + 1e-13) && glpk.lowerBound <= clp.objective * (1 + 1e-13))
    }

    /// Small λ, where the LP's structure is often wrong for some atoms and the Newton step fails until it is right
    /// (docs/mathematics.md §4, "The Newton step"): a warm path with Newton certifies every λ with the optimum of
    /// a cold solve without Newton (1e-9 relative, or the gap floor), each bound below the other's objective, on
    /// both backends.
    @Test(arguments: LPBackend.allCases)
    func smallLambdaPathMatchesPlainColdSolves(backend: LPBackend) throws {
        let data = try TeacherGenerator(count: 40, features: 2, neurons: 3, noise: 0.1, seed: 5).generate().data
        let trainer = try ExactTrainer(data: data)
        let lambdas = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 1e-5]
        let path = try trainer.path(lambdas: lambdas, options: TrainingOptions(lambda: 1, backend: backend))
        let zero = data.labels.reduce(0) { $0 + abs($1) } / Double(data.count)
        for (lambda, warm) in zip(lambdas, path) {
            var plain = TrainingOptions(lambda: lambda, backend: backend)
            plain.newtonPolish = false
            PathAndInterpolationTests.expectSameOptimum(warm, cold: try trainer.train(plain), zero: zero)
        }
    }
}
