import Foundation
import ReLULP
import Testing

/// `SweepSettings.noiseOverLambda`: the noise of the solve at λ is c·λ along the seed's direction (the regime of the
/// stability theorem, docs/mathematics.md §8).
@Suite struct NoiseOverLambdaTests {
    @Test func eachLambdaHasItsOwnNoiseLevel() throws {
        let generated = try TeacherGenerator(count: 12, features: 1, neurons: 1, noise: 0, seed: 3).generate()
        var settings = try SweepSettings(
            dataFile: "line.csv", dataDigest: "0", n: 12, features: ["x1"], lambdas: [1e-2, 1e-3, 1e-4],
            noiseLevels: [2], seeds: [5], loss: .squared)
        settings.noiseOverLambda = true
        let sweep = try Sweep(settings: settings, data: generated.data, cleanLabels: generated.cleanLabels)
        let outcome = try sweep.run()
        #expect(outcome.rows.count == 3 && outcome.rows.allSatisfy { $0.noise == 2 && $0.status == "optimal" })
        // Each row is the squared-loss optimum for clean labels + 2λ·g, solved here on its own.
        let trainer = try ExactTrainer(data: generated.data)
        for row in outcome.rows {
            let labels = sweep.noisyLabels(noise: 2 * row.lambda, seed: 5)
            let direct = ExactTrainer(points: trainer.points, labels: labels, pricer: trainer.pricer)
            let result = try direct.train(TrainingOptions(lambda: row.lambda, loss: .squared))
            #expect(abs(result.objective - row.objective) <= 1e-8 * max(1, abs(row.objective)), "λ = \(row.lambda)")
        }
        // Without the flag the same level is a fixed noise of 2: different labels, different objectives.
        settings.noiseOverLambda = nil
        let fixed = try Sweep(settings: settings, data: generated.data, cleanLabels: generated.cleanLabels).run()
        #expect(abs(fixed.rows[2].objective - outcome.rows[2].objective) > 1e-6)
        #expect(settings.differences(from: outcome.settings) == ["noiseOverLambda"])
    }
}
