import ArgumentParser
import ReLULP

/// The data file and how to read it; shared by every subcommand that reads data.
struct DataOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The CSV data file: a header row, then one numeric row per point.", valueName: "data"))
    var data: String

    @Option(help: "The name of the label column.")
    var target: String = "y"

    @Option(
        help: ArgumentHelp(
            "The feature columns, comma-separated (default: every column but the target).",
            valueName: "a,b,c"))
    var features: FeatureList?

    @Flag(name: .customLong("no-bias"), help: "Use the raw features as points (default: lift to (x, 1)).")
    var noBias: Bool = false

    @OptionGroup var inputLimit: InputLimitOption

    var bias: Bool { !noBias }

    /// Loads the data set or throws a `CLIFailure` with the one-line message.
    func load() throws -> Dataset {
        try loadDataset(data, target: target, features: features, maxBytes: inputLimit.maxInputBytes)
    }
}

/// `--max-input-bytes`: the size limit on every file a subcommand reads (data, model, teacher, sweep outputs).
struct InputLimitOption: ParsableArguments {
    @Option(
        name: .customLong("max-input-bytes"),
        help: "Refuse an input file or stream larger than this many bytes (default 1 GiB).")
    var maxInputBytes: Int = InputFile.defaultMaxBytes
}

/// Loads the CSV named on the command line with the `--features` list (every column but the target and the
/// `--weights` column without one).
func loadDataset(
    _ path: String, target: String, features: FeatureList?, weights: String? = nil, maxBytes: Int
) throws -> Dataset {
    try cli { () throws(DataError) in
        try Dataset.load(csv: path, target: target, features: features?.names, weights: weights, maxBytes: maxBytes)
    }
}

/// `--weights COLUMN`: sample weights for `solve` and `path`.
struct WeightsOption: ParsableArguments {
    @Option(
        name: .customLong("weights"),
        help: ArgumentHelp(
            """
            A column of sample weights (finite, ≥ 0, not all 0; not a feature): the data term becomes \
            (1/Σw) Σ w_j loss_j, so weight 2 counts a row twice and 0 removes it (docs/mathematics.md §12).
            """, valueName: "column"))
    var column: String?
}
