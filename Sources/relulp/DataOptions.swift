import ArgumentParser
import ReLULP
#if canImport(Glibc)
import Glibc
#endif

/// The data file and how to read it; shared by every subcommand that reads data.
struct DataOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The CSV data file: a header row, then one numeric row per point.", valueName: "data"))
    var data: String

    @Option(help: "The name of the label column.")
    var target: String = "y"

    @Option(help: ArgumentHelp("The feature columns, comma-separated (default: every column but the target).", valueName: "a,b,c"))
    var features: String?

    @Flag(name: .customLong("no-bias"), help: "Use the raw features as points (default: lift to (x, 1)).")
    var noBias: Bool = false

    @OptionGroup var inputLimit: InputLimitOption

    var bias: Bool { !noBias }

    var featureList: [String]? {
        features.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() } }
    }

    /// Loads the data set or throws a `CLIFailure` with the one-line message.
    func load() throws -> Dataset {
        do {
            return try Dataset.load(csv: data, target: target, features: featureList, maxBytes: inputLimit.maxInputBytes)
        } catch {
            throw CLIFailure(message: error.description)
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

/// `--max-input-bytes`: the size limit on every file a subcommand reads (data, model, teacher, sweep outputs).
struct InputLimitOption: ParsableArguments {
    @Option(name: .customLong("max-input-bytes"), help: "Refuse an input file or stream larger than this many bytes (default 1 GiB).")
    var maxInputBytes: Int = InputFile.defaultMaxBytes
}

/// A failure to report as one line `error: …` on stderr with exit code 1.
struct CLIFailure: Error {
    var message: String
}

/// Runs a subcommand body, turning `CLIFailure` into the one-line report and a non-zero exit.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CLIFailure {
        writeStandardError("error: \(failure.message)\n")
        throw ExitCode(1)
    }
}

func writeStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if written <= 0 { break }
        offset += written
    }
}
