import ArgumentParser
import Foundation
import ReLULP

#if canImport(Glibc)
    import Glibc
#endif

/// A failure to report as one line `error: …` on stderr with exit code 1 (a bad command line is refused by
/// ArgumentParser before `run()`, with its usage and exit code 64).
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

/// Writes `text` to stderr unbuffered, so progress lines and the error line keep their order.
func writeStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if written <= 0 { break }
        offset += written
    }
}

/// Runs a library call and turns its typed error into a one-line `CLIFailure`, prefixed with the file the
/// failure is about when there is one (`file: message`).
func cli<T, E: Error>(file: String? = nil, _ body: () throws(E) -> T) throws -> T {
    do { return try body() } catch { throw CLIFailure(message: (file.map { "\($0): " } ?? "") + "\(error)") }
}

/// Prints a report: its JSON to stdout for `--json -`, else its text to stdout and, with `--json FILE`, its JSON
/// to FILE (written whole or not at all).
func printReport(text: () -> String, json: () -> Data, to jsonPath: String?) throws {
    if jsonPath == "-" {
        FileHandle.standardOutput.write(json())
        print("")
    } else {
        print(text())
        if let jsonPath {
            try cli { () throws(OutputFileError) in try OutputFile.write(bytes: [UInt8](json()), to: jsonPath) }
        }
    }
}

/// Progress lines on stderr, silenced by `--quiet`.
struct Log: Sendable {
    var quiet: Bool
    func line(_ text: String) {
        guard !quiet else { return }
        writeStandardError(text + "\n")
    }

    /// Anytime mode's note: the estimate, why certification is unlikely and the budget; said even with --quiet
    /// when the budget is the default one (the user did not choose it).
    func anytime(_ trainer: ExactTrainer, maxSearchRegions: Int, timeLimit: Double?) {
        guard trainer.anytime else { return }
        let estimate = Arrangement.generalPositionBound(
            points: trainer.points.count, dimension: trainer.points.dimension)
        let shown = estimate == Int.max ? "more than \(Int.max)" : "up to \(estimate)"
        let budget =
            timeLimit.map { "--time-limit \($0) s" }
            ?? "a default budget of \(Int(PricingMode.defaultAnytimeBudget)) s (set it with --time-limit)"
        let text =
            "anytime mode: \(shown) regions (general-position bound), above --max-search-regions \(maxSearchRegions): "
            + "the exact search is unlikely to finish, so certification is unlikely; each round's search is cut and "
            + "its open nodes bound the certificate. Budget: \(budget); the model gets the best network, lower bound "
            + "and gap."
        if timeLimit == nil { writeStandardError(text + "\n") } else { line(text) }
    }

    /// The regime of a run's `options` on `dataset` (`AtomRegime`), in a line when it moves `auto`'s choices.
    func atoms(_ dataset: Dataset, bias: Bool, options: TrainingOptions) -> AtomRegime {
        let lambdaMax = AtomRegime.lambdaMaxEstimate(
            points: dataset.lifted(bias: bias), labels: dataset.labels, options: options)
        let atoms = AtomRegime(problem: options.problem, lambdaMax: lambdaMax)
        if atoms == .many && (options.pricing == .auto || options.master == .auto) {
            let why =
                options.problem == .interpolation
                ? "the interpolation"
                : String(
                    format: "λ = %g is below λ_max/%g (λ_max ≥ %.3g, sampled)", options.lambda,
                    AtomRegime.manyAtomsRatio, lambdaMax)
            line(
                "atoms: many expected (\(why)): auto enumerates up to \(PricingMode.manyAtomsEnumerationLimit) "
                    + "regions and takes the primal master")
        }
        return atoms
    }

    /// The line a long region enumeration prints once a second.
    func enumeration(_ p: EnumerationProgress) {
        line(p.description)
    }
}

/// The example shipped in `models/`, found from the working directory or next to the executable.
enum BundledExample {
    static let relativePath = "models/teacher2d_n30/data.csv"
    /// λ when `solve` runs the example without DATA and without --lambda.
    static let lambda = 0.01

    static func locate() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.path)
            dir.deleteLastPathComponent()
        }
        return candidates.map { $0 + "/" + relativePath }.first { FileManager.default.fileExists(atPath: $0) }
    }
}
