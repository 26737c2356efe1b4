import Foundation
import ReLULP
import TestSupport
import Testing

/// (P) is homogeneous in (y, μ) for the L1 loss: labels s·y have the optimum s·J*(y) at the same λ. The squared loss
/// is homogeneous of degree 2 with λ scaled along: J*(s·y, s·λ) = s²·J*(y, λ). Checked on `models/kink1d_n20` at
/// s = 1e-9 and 1e9 against the unscaled solve, on both backends, with `certify` on the result; and the zero network,
/// whose relative gap is large at every scale, must never be called optimal (labels of 1e-9 once made it "optimal").
@Suite struct ScaleInvarianceTests {
    let data: Dataset
    init() throws {
        data = try Dataset.load(csv: Fixtures.packageRoot.appendingPathComponent("models/kink1d_n20/data.csv").path)
    }

    func scaled(_ s: Double) throws -> Dataset {
        try Dataset(
            featureNames: data.featureNames, targetName: data.targetName, features: data.features,
            labels: data.labels.map { s * $0 })
    }

    static let cases: [(scale: Double, backend: LPBackend, loss: Loss)] = [1e-9, 1e9].flatMap { s in
        [(s, LPBackend.clp, Loss.l1), (s, .glpk, .l1), (s, .clp, .squared)]
    }

    @Test(arguments: cases)
    func scaledLabelsGiveTheScaledOptimum(scale s: Double, backend: LPBackend, loss: Loss) throws {
        let lambda = 0.01
        let trainer = try ExactTrainer(data: data)
        let reference = try trainer.train(TrainingOptions(lambda: lambda, backend: backend, loss: loss))
        #expect(reference.status == .optimal)
        // The squared loss: J*(s·y, s·λ) = s²·J*(y, λ).
        let (scaledLambda, power) = loss == .squared ? (s * lambda, 2.0) : (lambda, 1.0)
        let expected = pow(s, power) * reference.objective
        let scaledData = try scaled(s)
        let scaledTrainer = try ExactTrainer(data: scaledData)
        let result = try scaledTrainer.train(TrainingOptions(lambda: scaledLambda, backend: backend, loss: loss))
        #expect(result.status == .optimal, "s = \(s): \(result.status)")
        #expect(
            abs(result.objective - expected) <= 1e-9 * expected,
            "s = \(s): U = \(result.objective), expected \(expected)")
        #expect(result.lowerBound <= expected * (1 + 1e-12), "s = \(s): L = \(result.lowerBound) > \(expected)")
        #expect(result.lowerBound >= expected * (1 - 1e-9), "s = \(s): L = \(result.lowerBound)")
        #expect(result.measure.atoms.count == reference.measure.atoms.count)
        // `certify` agrees.
        let model = ModelFile(result: result, data: scaledData, bias: true, tolerance: 1e-9)
        let report = try CertificateReport.analyze(model: model, data: scaledData)
        #expect(report.certifiedOptimal, "s = \(s): \(report.optimalityVerdict)")
        // The zero network with the same dual: its objective is far above the bound at every scale.
        var zero = model
        zero.atoms = []
        let zeroReport = try CertificateReport.analyze(model: zero, data: scaledData)
        #expect(!zeroReport.certifiedOptimal, "s = \(s): the zero network \(zeroReport.optimalityVerdict)")
        #expect(zeroReport.optimality.relativeGap > 1e-3)
    }

    /// The noise-free limit is homogeneous too: labels s·y need s times the total variation, and the zero network
    /// fits labels of 1e-9 only to their own size, so it is never certified.
    @Test(arguments: [1e-9, 1e9])
    func scaledInterpolation(scale s: Double) throws {
        var options = TrainingOptions(lambda: 1)
        options.problem = .interpolation
        let reference = try ExactTrainer(data: data).train(options)
        let scaledData = try scaled(s)
        let result = try ExactTrainer(data: scaledData).train(options)
        #expect(result.status == .optimal, "s = \(s): \(result.status)")
        let expected = s * reference.objective
        #expect(abs(result.objective - expected) <= 1e-9 * expected, "s = \(s): \(result.objective) vs \(expected)")
        let model = ModelFile(result: result, data: scaledData, bias: true, tolerance: 1e-9)
        let report = try CertificateReport.analyze(model: model, data: scaledData)
        #expect(report.certifiedOptimal, "s = \(s): \(report.optimalityVerdict)")
        var zero = model
        zero.atoms = []
        #expect(!(try CertificateReport.analyze(model: zero, data: scaledData)).certifiedOptimal)
    }

    /// The reported gap is `(U − L)/U` until the gap is within the absolute accuracy `ε·U₀`; the floored
    /// denominator `max(|U|, ε·U₀/tol)` had made a 60 s anytime run on teacher10 print 0.189 for a gap of 0.465.
    /// The verdict `gap ≤ tol` must still be `U − L ≤ max(tol·|U|, ε·U₀)`.
    @Test func anUncertifiedGapIsThePlainRelativeGap() {
        let (tolerance, u0) = (1e-9, 0.43)
        let floor = RelativeGap.absoluteAccuracy * u0 / tolerance
        let plain = RelativeGap.of(upper: 0.0175, lower: 0.0094, floor: floor, tolerance: tolerance)
        #expect(abs(plain - (0.0175 - 0.0094) / 0.0175) < 1e-15)
        for upper in [1e-14, 1e-12, 3e-11, 1e-9, 1e-6, 0.01, 0.0175, 0.5, 3.0] {
            let threshold = max(tolerance * upper, RelativeGap.absoluteAccuracy * u0)
            for factor in [0.0, 0.1, 0.5, 2.0, 10.0, 1e3, 1e6] {
                let gap = RelativeGap.of(
                    upper: upper, lower: upper - factor * threshold, floor: floor, tolerance: tolerance)
                #expect((gap <= tolerance) == (factor <= 1), "U = \(upper), U − L = \(factor) × threshold")
                if factor > 1 { #expect(abs(gap - factor * threshold / upper) <= 1e-6 * gap) }
            }
        }
    }
}
