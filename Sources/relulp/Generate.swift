import ArgumentParser
import Foundation
import ReLULP

/// `relulp generate`: synthetic data from a sparse teacher network.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate data from a sparse teacher network (k ReLU neurons) plus Gaussian label noise.",
        discussion: """
            The teacher is a measure with k Diracs: unit weights in the lifted space (x, 1), amplitudes of \
            alternating sign with magnitudes in [0.5, 2], each neuron's kink placed between two data points so \
            that it crosses the data. The CSV holds the features x1..xm and the noisy label y only; the teacher \
            goes to --teacher as a model file (loss "interpolation", status "teacher"), from which the clean \
            labels are recomputed (`relulp predict TEACHER.json DATA.csv`). Deterministic in --seed.
            """)

    @Option(help: "Number of data points n (≥ 2; (n + k)·(m + 1) and k·n at most 10⁷).")
    var n: Int

    @Option(help: "Number of input features m (≥ 1).")
    var features: Int = 1

    @Option(help: "Number of teacher neurons k (≥ 1).")
    var neurons: Int = 3

    @Option(help: "Standard deviation of the Gaussian label noise (≥ 0).")
    var noise: Double = 0

    @Option(help: "Seed of the generator (SplitMix64).")
    var seed: UInt64 = 1

    @Option(help: "Input distribution.")
    var inputs: InputDistribution = .uniform

    @Option(name: .shortAndLong, help: "The CSV file to write (features and y).")
    var output: String

    @Option(help: "The teacher's model file (JSON) to write.")
    var teacher: String

    func run() throws {
        try reportingFailures(body)
    }

    private func body() throws {
        let generator = try cli { () throws(StudyError) in
            try TeacherGenerator(
                count: n, features: features, neurons: neurons, noise: noise, seed: seed,
                inputs: inputs)
        }
        try cli { () throws(OutputFileError) in
            try OutputFile.check(output)
            try OutputFile.check(teacher, notSameAs: [(output, "the --output file")])
        }
        let generated = try cli { () throws(StudyError) in try generator.generate() }
        let data = generated.data
        var csv = (data.featureNames + [data.targetName]).joined(separator: ",") + "\n"
        for j in 0..<data.count {
            csv += (data.features[j].map { "\($0)" } + ["\(data.labels[j])"]).joined(separator: ",") + "\n"
        }
        try cli { () throws(OutputFileError) in try OutputFile.write(csv, to: output) }
        let model = ModelFile(teacher: generated.teacher, data: data)
        try cli { () throws(ModelFileError) in try model.write(to: teacher) }
        let totalVariation = String(format: "%.6g", generated.teacher.totalVariation)
        print(
            "wrote \(output) (n = \(n), m = \(features), noise \(noise), seed \(seed), \(inputs.rawValue) inputs) "
                + "and \(teacher) (\(neurons) teacher neurons, total variation \(totalVariation))")
    }
}
