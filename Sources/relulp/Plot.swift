import ArgumentParser
import Foundation
import ReLULP

/// `relulp plot`: SVG pictures of the certificate and of the network.
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a trained model's certificate or network as an SVG file.",
        discussion: """
            Kinds, by the model's layout (d = lifted dimension: features, plus 1 with a bias):
              certificate  d = 2: η along the circle w = (cos θ, sin θ), the ±1 band, the region boundaries and the \
            Diracs as stems with their amplitude; d = 3: η over the sphere as an equirectangular heat map with the \
            region boundaries (great circles) and the Diracs. Needs the model's dual vector.
              network      one feature: the fitted function with the data and the neurons' knots; two features: the \
            network over the input plane as a heat map with the data points and each neuron's kink line.
            The SVG is written directly (no external program) and opens in any browser.
            """)

    @Argument(help: "A model file written by `relulp solve --output`.")
    var model: String

    @Argument(help: "The CSV file the model was trained on.")
    var data: String

    @Option(name: .shortAndLong, help: "The SVG file to write.")
    var output: String

    @Option(help: "What to draw.")
    var kind: PlotKind = .certificate

    @Option(help: "Title of the picture (default: a description of the kind).")
    var title: String?

    @OptionGroup var inputLimit: InputLimitOption

    /// SVG only: a PNG name is refused before any file is read.
    func validate() throws {
        guard !output.lowercased().hasSuffix(".png") else {
            throw ValidationError(
                "\(output): relulp writes SVG only; convert it with a renderer such as "
                    + "`rsvg-convert -o FILE.png FILE.svg` (Debian package librsvg2-bin)")
        }
    }

    func run() throws {
        try reportingFailures(body)
    }

    private func body() throws {
        _ = try cli { () throws(OutputFileError) in
            try OutputFile.check(output, notSameAs: [(self.model, "the model file"), (data, "the data file")])
        }
        let model = try cli { () throws(ModelFileError) in
            try ModelFile.load(self.model, maxBytes: inputLimit.maxInputBytes)
        }
        let kinds = ModelPlot.availableKinds(for: model)
        guard kinds.contains(kind) else {
            // The library's message says which kinds exist for this model; check before reading the data.
            _ = try cli { () throws(PlotError) in
                try ModelPlot.svg(
                    kind: kind, model: model,
                    points: LiftedData(count: 0, dimension: model.dimension, values: []), labels: [])
            }
            return
        }
        let dataset = try loadModelData(
            model: model, dataPath: data, log: Log(quiet: false),
            maxBytes: inputLimit.maxInputBytes)
        _ = dataMismatch(model: model, data: dataset, dataPath: data)
        let points = try cli { () throws(ModelFileError) in try model.liftedPoints(of: dataset, dataPath: data) }
        let svg = try cli { () throws(PlotError) in
            try ModelPlot.svg(kind: kind, model: model, points: points, labels: dataset.labels, title: title)
        }
        try cli { () throws(OutputFileError) in try OutputFile.write(svg, to: output) }
        let size = svg.utf8.count / 1024
        let count = model.atoms.count
        print("\(output): \(kind.rawValue) plot, \(count) Dirac\(count == 1 ? "" : "s"), \(size) KiB")
    }
}
