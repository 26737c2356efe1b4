import Foundation
import ReLULP
import Testing

/// Sizes that once crashed or hung the library (issue 26, items 11, 12 and 13): list and generator limits refused
/// before any work, and no O(d³) Newton work where the dimension is large.
@Suite struct SizeLimitsTests {
    /// A range longer than `LambdaGrid.maxCount` is refused before its values are made (10¹² once asked for
    /// 8 TB), and so is a list that grows past the limit item by item; the limit itself is accepted.
    @Test func listLimits() throws {
        #expect(LambdaGrid.maxCount == 10_000)
        for text in ["1:2:1000000000000", "1e-1:1e-2:200000", "1:2:10001", "1:2:10000,3"] {
            #expect(throws: StudyError.self) { try LambdaGrid.parse(text) }
            #expect(throws: StudyError.self) { try LambdaGrid.parseNoise(text) }
        }
        #expect(try LambdaGrid.parse("1:2:10000").count == 10_000)
        for text in ["0-18446744073709551615", "0-10000", "1-10000,0"] {
            #expect(throws: StudyError.self) { try LambdaGrid.parseSeeds(text) }
        }
        #expect(try LambdaGrid.parseSeeds("1-10000,5,1").count == 10_000)
    }

    /// De-duplication by a set keeps the first occurrence of each value in order, as before: a list of
    /// `maxCount` items written twice gives the first copy; 0 and −0 are one value.
    @Test func deduplicationKeepsFirstOccurrences() throws {
        let values = (1...5_000).map { 1 / Double($0) }
        let text = (values + values.reversed()).map { "\($0)" }.joined(separator: ",")
        #expect(try LambdaGrid.parse(text) == values)
        #expect(try LambdaGrid.parseNoise("0,-0,1e-3,0") == [0, 1e-3])
        #expect(try LambdaGrid.parseSeeds("5,3-7,1") == [5, 3, 4, 6, 7, 1])
    }

    /// `generate --n 100000000` once ran out of memory: sizes beyond `TeacherGenerator.maxValues` are refused when
    /// the generator is made, without overflow for the largest integers.
    @Test(arguments: [
        (100_000_000, 1, 3), (10, Int.max, 3), (Int.max, 1, 3), (10, 1, Int.max), (1_000_000, 1, 100),
        (5_000_000, 1, 1),
    ])
    func generatorLimits(n: Int, m: Int, k: Int) {
        #expect(throws: StudyError.self) { try TeacherGenerator(count: n, features: m, neurons: k, noise: 0, seed: 1) }
    }

    /// The data generated at the limit's scale still work (the limit refuses only beyond it).
    @Test func generatorBelowTheLimit() throws {
        #expect(TeacherGenerator.maxValues == 10_000_000)
        _ = try TeacherGenerator(count: 4_999_990, features: 1, neurons: 2, noise: 0, seed: 1)
    }

    /// Above `TrainingOptions.newtonDimensionLimit` lifted dimensions the Newton step is not tried (its face bases
    /// cost O(d³) per atom and iteration: 3 rows × 3000 features once ran past a minute), so the run is the plain
    /// column generation round for round; at and below the limit it still shortens the run.
    @Test func newtonOnlyInFewDimensions() throws {
        let limit = TrainingOptions.newtonDimensionLimit
        #expect(limit == 32)
        for (features, newtonRuns) in [(limit - 1, true), (limit, false), (40, false)] {
            let data = try TeacherGenerator(count: 3, features: features, neurons: 1, noise: 0.3, seed: 5)
                .generate().data
            let trainer = try ExactTrainer(data: data)
            var plain = TrainingOptions(lambda: 0.01)
            plain.newtonPolish = false
            let reference = try trainer.train(plain)
            let result = try trainer.train(TrainingOptions(lambda: 0.01))
            #expect(reference.status == .optimal && result.status == .optimal)
            if newtonRuns {
                #expect(result.rounds < reference.rounds, "d = \(features + 1)")
            } else {
                #expect(
                    result.rounds == reference.rounds && result.objective == reference.objective, "d = \(features + 1)")
            }
        }
    }
}
