import Foundation
import ReLULP
import TestSupport
import Testing

/// `AtomRegime`: the sampled λ_max is a lower estimate of the exact maximum over the sphere, the regime follows
/// λ against it, and `auto`'s choices follow the regime with the same certified optimum.
@Suite struct AtomRegimeTests {
    /// max over the circle of |Σ_j g_j σ(⟨w, x̃_j⟩)| by a grid of 200,000 angles (1-D data with the bias: d = 2).
    static func gridMaximum(_ points: LiftedData, _ g: [Double]) -> Double {
        (0..<200_000).reduce(0.0) { best, k in
            let t = 2 * Double.pi * Double(k) / 200_000
            let (c, s) = (cos(t), sin(t))
            var sum = 0.0
            for j in 0..<points.count {
                let z = c * points.values[2 * j] + s * points.values[2 * j + 1]
                if z > 0 { sum += g[j] * z }
            }
            return max(best, abs(sum))
        }
    }

    /// The estimate never exceeds the exact λ_max (the grid's, up to its resolution) and comes within ten per
    /// cent of it, for the three losses, with weights.
    @Test(arguments: [Loss.l1, .squared, .hinge])
    func theEstimateIsALowerEstimate(loss: Loss) throws {
        var data = try Fixtures.teacher(n: 40, m: 1, neurons: 3, noise: 0.1, seed: 11)
        if loss == .hinge { data.labels = data.labels.map { $0 > 0 ? 1 : -1 } }
        let points = data.lifted(bias: true)
        let weights = (0..<data.count).map { 0.5 + Double($0 % 3) }
        var options = TrainingOptions(lambda: 0.01, loss: loss)
        options.sampleWeights = weights
        let v = weights.map { Double(weights.count) * $0 / weights.reduce(0, +) }
        let g = data.labels.indices.map { j in
            v[j] * (loss == .l1 ? (data.labels[j] > 0 ? 1.0 : -1.0) : data.labels[j]) / Double(data.count)
        }
        let exact = Self.gridMaximum(points, g)
        let estimate = AtomRegime.lambdaMaxEstimate(points: points, labels: data.labels, options: options)
        #expect(estimate <= exact * (1 + 1e-4), "\(loss): \(estimate) above the exact \(exact)")
        #expect(estimate >= 0.9 * exact, "\(loss): \(estimate) far below the exact \(exact)")
    }

    @Test func theRegimeFollowsLambda() throws {
        let data = try Fixtures.teacher(n: 40, m: 2, neurons: 3, noise: 0.1, seed: 12)
        let points = data.lifted(bias: true)
        let lambdaMax = AtomRegime.lambdaMaxEstimate(
            points: points, labels: data.labels, options: TrainingOptions(lambda: 1))
        #expect(lambdaMax > 0)
        let regime = { (lambda: Double) in
            AtomRegime(points: points, labels: data.labels, options: TrainingOptions(lambda: lambda))
        }
        #expect(regime(lambdaMax / 10) == .few)
        #expect(regime(lambdaMax / (2 * AtomRegime.manyAtomsRatio)) == .many)
        var interpolation = TrainingOptions(lambda: 1)
        interpolation.problem = .interpolation
        #expect(AtomRegime(points: points, labels: data.labels, options: interpolation) == .many)
        // Many atoms raise `auto`'s enumeration limit (plane n = 1000: 999,002 regions), never above maxRegions.
        #expect(PricingMode.auto.enumerates(points: 1000, dimension: 3, atoms: .many))
        #expect(!PricingMode.auto.enumerates(points: 1000, dimension: 3, maxRegions: 500_000, atoms: .many))
    }

    /// 1000 points on a line: `auto` takes the dual master for few atoms and the primal one for many, and each
    /// certifies the optimum that the other form certifies.
    @Test func autoMasterFollowsTheRegime() throws {
        let data = try Fixtures.teacher(n: 1000, m: 1, neurons: 3, noise: 0.1, seed: 13)
        let trainer = try ExactTrainer(data: data)
        let lambdaMax = AtomRegime.lambdaMaxEstimate(
            points: trainer.points, labels: data.labels, options: TrainingOptions(lambda: 1))
        for (lambda, form) in [(lambdaMax / 10, MasterForm.dual), (lambdaMax / 1000, .primal)] {
            var options = TrainingOptions(lambda: lambda)
            let chosen = try trainer.train(options)
            options.master = form == .dual ? .primal : .dual
            let other = try trainer.train(options)
            #expect(chosen.master == form, "λ = \(lambda): \(chosen.master)")
            #expect(chosen.status == .optimal && other.status == .optimal)
            #expect(
                abs(chosen.objective - other.objective) <= 1e-8 * chosen.objective,
                "λ = \(lambda): \(chosen.objective) against \(other.objective)")
        }
    }
}
