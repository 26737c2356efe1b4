import Foundation
import ReLULP
import TestSupport
import Testing

/// Sample weights (docs/mathematics.md §12) against their definition: weight 2 is the row duplicated and weight 0
/// the row removed, exactly (the other data set is solved on its own, with its own regions); bad weights are
/// refused with file, line and column; certify re-checks a weighted model.
@Suite struct SampleWeightTests {
    static let base = """
        x,w,y
        -1.0,1,0.3
        -0.6,2,-0.2
        -0.1,0,1.7
        0.3,1,0.9
        0.5,2,0.1
        0.9,1,-0.4
        1.2,1,0.8
        1.6,0,-2.0
        """

    static func train(_ data: Dataset, loss: Loss, intercept: Bool, weights: [Double]?) throws -> TrainingResult {
        var options = TrainingOptions(lambda: 0.02, loss: loss)
        options.intercept = intercept
        options.sampleWeights = weights
        return try ExactTrainer(data: data).train(options)
    }

    /// The weighted file against the file with the weight-2 rows written twice and the weight-0 rows left out.
    @Test(arguments: [(Loss.l1, false), (.squared, false), (.l1, true), (.squared, true)])
    func weightsAreRows(loss: Loss, intercept: Bool) throws {
        let weighted = try Dataset.parse(csv: Self.base, weights: "w")
        let w = try #require(weighted.sampleWeights)
        #expect(weighted.featureNames == ["x"] && w == [1, 2, 0, 1, 2, 1, 1, 0])
        var rows: [[Double]] = []
        var labels: [Double] = []
        for j in 0..<weighted.count {
            for _ in 0..<Int(w[j]) {
                rows.append(weighted.features[j])
                labels.append(weighted.labels[j])
            }
        }
        let expanded = try Dataset(featureNames: ["x"], features: rows, labels: labels)
        let a = try Self.train(weighted, loss: loss, intercept: intercept, weights: w)
        let b = try Self.train(expanded, loss: loss, intercept: intercept, weights: nil)
        #expect(a.status == .optimal && b.status == .optimal)
        #expect(abs(a.objective - b.objective) <= 1e-8 * b.objective, "\(a.objective) vs \(b.objective)")
        #expect(a.lowerBound <= b.objective * (1 + 1e-12) && b.lowerBound <= a.objective * (1 + 1e-12))
        var model = ModelFile(result: a, data: weighted, bias: true, tolerance: 1e-9)
        model.weightColumn = "w"
        let report = try CertificateReport.analyze(model: model, data: weighted)
        #expect(report.optimality.certifiedOptimal)
        #expect(abs(report.optimality.objective - a.objective) <= 1e-12 * a.objective)
        var unweighted = weighted
        unweighted.sampleWeights = nil
        #expect(throws: CertificateError.self) { try CertificateReport.analyze(model: model, data: unweighted) }
    }

    /// Every bad weight column is refused, naming the file, line and column.
    @Test func badWeightsAreRefused() throws {
        let cases: [(csv: String, weights: String, features: [String]?, says: String)] = [
            ("x,w,y\n1,1,2\n2,-1,3\n", "w", nil, "data.csv:3:2: negative sample weight"),
            ("x,w,y\n1,1,2\n2,inf,3\n", "w", nil, "data.csv:3:2: non-finite value"),
            ("x,w,y\n1,0,2\n2,0,3\n", "w", nil, "data.csv:1:2: every weight in column 'w' is 0"),
            ("x,w,y\n1,1,2\n2,1,3\n", "y", nil, "data.csv:1:3: column 'y' is the target"),
            ("x,w,y\n1,1,2\n2,1,3\n", "w", ["x", "w"], "data.csv:1:2: column 'w' holds the sample weights"),
            ("x,w,y\n1,1,2\n2,1,3\n", "v", nil, "data.csv:1:1: no weight column 'v'"),
            ("x,w,y\n1,1,2\n2,,3\n", "w", nil, "data.csv:3:2: empty cell"),
        ]
        for c in cases {
            do {
                _ = try Dataset.parse(csv: c.csv, file: "data.csv", features: c.features, weights: c.weights)
                Issue.record("accepted: \(c.csv)")
            } catch {
                #expect("\(error)".contains(c.says), "\(error)")
            }
        }
        let data = try Dataset.parse(csv: "x,y\n1,2\n2,3\n")
        var options = TrainingOptions(lambda: 0.1)
        options.sampleWeights = [1, -1]
        #expect(throws: TrainingError.self) { try ExactTrainer(data: data).train(options) }
        options.sampleWeights = [1, 1]
        options.problem = .interpolation
        #expect(throws: TrainingError.self) { try ExactTrainer(data: data).train(options) }
    }
}
