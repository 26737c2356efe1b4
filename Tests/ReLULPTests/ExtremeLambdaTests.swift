import Foundation
import ReLULP
import TestSupport
import Testing

/// (P) at extreme λ on both backends, checked against what is known independently: for huge λ the optimum is
/// the zero network with objective mean |y| (p = sign(y)/n is dual feasible), for tiny λ the optimum lies
/// below λ times the interpolant's total variation; the certificate is re-checked by `CertificateReport`.
@Suite struct ExtremeLambdaTests {
    let data: Dataset
    init() throws { data = try Fixtures.teacher(n: 30, m: 2, neurons: 3, noise: 0.05, seed: 17) }
    /// Both backends, each with both forms of the master (its dual form holds the residual costs as bounds).
    static let solvers: [(backend: LPBackend, master: MasterForm)] = LPBackend.allCases.flatMap { backend in
        [MasterForm.primal, .dual].map { (backend, $0) }
    }

    static func options(_ lambda: Double, _ solver: (backend: LPBackend, master: MasterForm)) -> TrainingOptions {
        var options = TrainingOptions(lambda: lambda, backend: solver.backend)
        options.master = solver.master
        return options
    }

    func certify(_ result: TrainingResult, _ trainer: ExactTrainer) throws -> CertificateReport {
        let model = ModelFile(result: result, data: data, bias: true, tolerance: 1e-9)
        return try CertificateReport.analyze(
            model: model, points: trainer.points, labels: data.labels, arrangement: try #require(trainer.arrangement))
    }

    @Test(arguments: [1e12, 1e300, 1.7e308], solvers)
    func hugeLambdaCertifiesTheZeroNetwork(lambda: Double, solver: (backend: LPBackend, master: MasterForm)) throws {
        let trainer = try ExactTrainer(data: data)
        let result = try trainer.train(Self.options(lambda, solver))
        let n = Double(data.count)
        let meanAbs = data.labels.reduce(0) { $0 + abs($1) } / n
        #expect(result.status == .optimal, "λ = \(lambda), \(solver): \(result.status), L = \(result.lowerBound)")
        #expect(result.measure.atoms.isEmpty)
        #expect(abs(result.objective - meanAbs) <= 1e-15 * meanAbs)
        // The bound is valid (never above the zero network's objective) and matches it.
        #expect(
            result.lowerBound <= meanAbs && result.lowerBound >= meanAbs * (1 - 1e-12),
            "\(result.lowerBound) vs \(meanAbs)")
        // The stored dual is sign(y)/n: feasible, with the dual objective mean |y|.
        let p = result.certificate.dual
        #expect(p.count == data.count)
        // c = 1/(nλ) is subnormal at λ = 1.7e308.
        for (pj, y) in zip(p, data.labels) { #expect(abs(pj - (y > 0 ? 1 : -1) / n) <= 1e-13 / n) }
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let w = rng.unitVector(3)
            #expect(abs(certificateValue(dual: p, points: trainer.points, at: w)) <= lambda)
        }
        let report = try certify(result, trainer)
        #expect(report.certifiedOptimal, "\(report.optimalityVerdict)")
    }

    @Test(arguments: solvers)
    func tinyLambdaCertifiesBelowTheInterpolant(solver: (backend: LPBackend, master: MasterForm)) throws {
        let trainer = try ExactTrainer(data: data)
        var interpolation = Self.options(1, solver)
        interpolation.problem = .interpolation
        let limit = try trainer.train(interpolation)
        #expect(limit.status == .optimal)
        // 1e-12 is below the exact-penalty range (the residual cost 1/(nλ) is 3e10); 1e-300 needs the cost cap.
        for lambda in [1e-12, 1e-300] {
            let result = try trainer.train(Self.options(lambda, solver))
            #expect(result.status == .optimal, "λ = \(lambda), \(solver): \(result.status)")
            let direct = objective(
                atoms: result.measure.atoms, points: trainer.points, labels: data.labels, lambda: lambda)
            #expect(abs(direct - result.objective) <= 1e-12 * max(1, direct))
            // The interpolant is feasible with loss 0: the optimum, hence any valid bound, is below λ·TV.
            #expect(
                result.lowerBound <= lambda * limit.totalVariation * (1 + 1e-9),
                "λ = \(lambda): L = \(result.lowerBound)")
            #expect(result.lowerBound <= result.objective)
            #expect(result.objective <= 1e-9, "λ = \(lambda): U = \(result.objective)")
            let report = try certify(result, trainer)
            #expect(report.certifiedOptimal, "\(report.optimalityVerdict)")
        }
    }

    @Test func backendsAgreeAtTinyLambda() throws {
        let trainer = try ExactTrainer(data: data)
        let clp = try trainer.train(TrainingOptions(lambda: 1e-12, backend: .clp))
        let glpk = try trainer.train(TrainingOptions(lambda: 1e-12, backend: .glpk))
        #expect(clp.lowerBound <= glpk.objective && glpk.lowerBound <= clp.objective)
        #expect(abs(clp.objective - glpk.objective) <= 1e-9)
    }

    /// A certificate scan whose arithmetic overflows reports +∞, never a small maximum (a bound built on a too
    /// small max |η| would be too high: this once certified the zero network at λ = 1e-300).
    @Test func overflowingScanReportsInfinity() throws {
        let trainer = try ExactTrainer(data: data)
        let p = data.labels.map { $0 > 0 ? 1e200 : -1e200 }
        let scan = try #require(trainer.arrangement).scanCertificate(dual: p, threshold: 0.5)
        #expect(scan.maxValue == .infinity)
    }

    /// Labels of 1e200 once aborted the process inside CLP and gave a NaN objective called optimal on GLPK.
    @Test(arguments: LPBackend.allCases)
    func hugeLabelsAreRefused(backend: LPBackend) throws {
        let data = try Dataset(featureNames: ["x"], features: [[0], [1], [2]], labels: [1, 1e200, 2])
        let error = #expect(throws: TrainingError.self) {
            try ExactTrainer(data: data).train(TrainingOptions(lambda: 0.1, backend: backend))
        }
        #expect("\(error!)".hasPrefix("label 1e+200 of point 2 is beyond ±1e15"))
        // Labels of 1e12 are solved, and the optimum scales with them (the problem is homogeneous in (y, μ)).
        let unit = try Dataset(featureNames: ["x"], features: [[0], [1], [2], [3]], labels: [0, 1, -0.5, 2])
        let scaled = try Dataset(featureNames: ["x"], features: unit.features, labels: unit.labels.map { $0 * 1e12 })
        let a = try ExactTrainer(data: unit).train(TrainingOptions(lambda: 0.1, backend: backend))
        let b = try ExactTrainer(data: scaled).train(TrainingOptions(lambda: 0.1, backend: backend))
        #expect(a.status == .optimal && b.status == .optimal)
        #expect(abs(b.objective / 1e12 - a.objective) <= 1e-9 * a.objective)
    }

    @Test(arguments: [0.0, -1.0, .nan, .infinity, -.infinity])
    func meaninglessLambdaIsRefused(lambda: Double) throws {
        let trainer = try ExactTrainer(data: data)
        #expect(throws: TrainingError.self) { try trainer.train(TrainingOptions(lambda: lambda)) }
        do { _ = try trainer.train(TrainingOptions(lambda: lambda)) } catch {
            #expect("\(error)".contains("lambda must be a finite number > 0"))
        }
        #expect(throws: TrainingError.self) {
            try trainer.path(lambdas: [0.1, lambda], options: TrainingOptions(lambda: 0.1))
        }
    }
}
