import ArgumentParser
import Foundation
import ReLULP

/// `relulp predict`: evaluate a trained network.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a trained network on the rows of a CSV file.",
        discussion: """
            Feature columns are matched to the model's by name, in any order; other columns (such as the labels) are \
            ignored. Writes a CSV with the model's features, the labels when present, and the prediction column \
            `prediction` (the network's output f(x)). For a hinge-loss model the prediction is the decision value and \
            a column `class` follows with the predicted label (the positive class where f(x) ≥ 0).
            """)

    @Argument(help: "A model file written by `relulp solve --output`.")
    var modelPath: String

    @Argument(help: "CSV file with (at least) the model's feature columns.")
    var data: String

    @Option(name: .shortAndLong, help: "Write the predictions here instead of stdout.")
    var output: String?

    @OptionGroup var inputLimit: InputLimitOption

    func run() throws {
        try reportingFailures(body)
    }

    private func body() throws {
        if let output {
            _ = try cli { () throws(OutputFileError) in
                try OutputFile.check(output, notSameAs: [(modelPath, "the model file"), (data, "the data file")])
            }
        }
        let model = try cli { () throws(ModelFileError) in
            try ModelFile.load(modelPath, maxBytes: inputLimit.maxInputBytes)
        }
        let dataset = try cli { () throws(DataError) in
            try Dataset.loadInputs(
                csv: data, target: model.target, features: model.features,
                maxBytes: inputLimit.maxInputBytes)
        }
        let predictions = try cli { () throws(ModelFileError) in try model.predict(dataset, dataPath: data) }
        let classes = model.classLabels(decisions: predictions)
        var csv =
            (dataset.featureNames + (dataset.hasLabels ? [model.target] : []) + ["prediction"]
            + (classes == nil ? [] : ["class"]))
            .map(Dataset.csvField).joined(separator: ",") + "\n"
        for j in 0..<dataset.count {
            var fields = dataset.features[j].map { "\($0)" }
            if dataset.hasLabels { fields.append("\(dataset.labels[j])") }
            fields.append("\(predictions[j])")
            if let classes { fields.append("\(classes[j])") }
            csv += fields.joined(separator: ",") + "\n"
        }
        if let output {
            try cli { () throws(OutputFileError) in try OutputFile.write(csv, to: output) }
        } else {
            print(csv, terminator: "")
        }
    }
}
