import ArgumentParser
import Foundation
import ReLULP

/// Runs a library call and turns its typed error into a one-line `CLIFailure`, prefixed with the file the
/// failure is about when there is one (`file: message`).
func cli<T, E: Error>(file: String? = nil, _ body: () throws(E) -> T) throws -> T {
    do { return try body() } catch { throw CLIFailure(message: (file.map { "\($0): " } ?? "") + "\(error)") }
}

/// Loads the CSV named on the command line, with `--features a,b` as a list.
func loadDataset(_ path: String, target: String, features: String?, maxBytes: Int) throws -> Dataset {
    let names = features.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    return try cli { () throws(DataError) in try Dataset.load(csv: path, target: target, features: names, maxBytes: maxBytes) }
}

/// Progress lines on stderr, silenced by `--quiet`.
struct Log: Sendable {
    var quiet: Bool
    func line(_ text: String) {
        guard !quiet else { return }
        writeStandardError(text + "\n")
    }

    /// The line a long region enumeration prints once a second.
    func enumeration(_ p: EnumerationProgress) {
        line(p.description)
    }
}

/// The example shipped in `models/`, found from the working directory or next to the executable.
enum BundledExample {
    static let relativePath = "models/teacher2d_n30/data.csv"

    static func locate() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 { candidates.append(dir.path); dir.deleteLastPathComponent() }
        return candidates.map { $0 + "/" + relativePath }.first { FileManager.default.fileExists(atPath: $0) }
    }
}
