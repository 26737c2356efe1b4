import Foundation
import ReLULP
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

// What the command-line tests share: running the built binary, temporary inputs, and (as in ReLULPTests, whose
// support a test target cannot import) the fixture paths, the teacher data and the SVG census.

/// The built `relulp` binary of this test build's configuration (`.build/release/relulp` for `swift test -c
/// release`, `.build/debug/relulp` otherwise), found by walking up from this file to the package root.
func relulpBinary() -> String? {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
    }
    #if DEBUG
        let configurations = ["debug", "release"]
    #else
        let configurations = ["release", "debug"]
    #endif
    return configurations.map { url.appendingPathComponent(".build/\($0)/relulp").path }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

func runRelulp(_ arguments: [String]) throws -> Run {
    guard let binary = relulpBinary() else { throw CancellationError() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

func temporaryFile(_ contents: String, name: String = "data.csv") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Paths and small deterministic data shared by the command-line tests (a subset of ReLULPTests' `Fixtures`).
enum Fixtures {
    /// The package root (the folder holding Package.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `Tests/Fixtures`: the example data kept in the repository (Tests/Fixtures/README.md).
    static let directory = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// A missing fixture file: the test that needs it fails with this message instead of crashing the test process.
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "test fixture \(path) is missing (the repository's Tests/Fixtures folder is incomplete)"
        }
    }

    /// The path of a fixture file in `Tests/Fixtures`, or a `Missing` error.
    static func path(_ name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return path
    }

    /// A fixture CSV file loaded as a data set.
    static func dataset(_ name: String) throws -> Dataset {
        try Dataset.load(csv: path(name))
    }

    /// The library's deterministic generator: the same seed gives the same test data everywhere.
    typealias Random = SplitMix64

    /// Labels from a random teacher network with `neurons` units on uniform inputs in [−1, 1]^m, plus noise.
    static func teacher(n: Int, m: Int, neurons: Int, noise: Double, seed: UInt64) throws -> Dataset {
        var rng = Random(seed: seed)
        let teacher = (0..<neurons).map { i in
            (amplitude: (i % 2 == 0 ? 1.0 : -1.0) * rng.uniform(0.5, 2), w: rng.unitVector(m + 1))
        }
        var xs: [[Double]] = []
        var ys: [Double] = []
        for _ in 0..<n {
            let x = (0..<m).map { _ in rng.uniform(-1, 1) }
            let lifted = x + [1]
            var y = 0.0
            for t in teacher { y += t.amplitude * max(0, zip(t.w, lifted).reduce(0) { $0 + $1.0 * $1.1 }) }
            xs.append(x)
            ys.append(y + noise * rng.gaussian())
        }
        return try Dataset(featureNames: (1...m).map { "x\($0)" }, targetName: "y", features: xs, labels: ys)
    }
}

/// Counts elements of a parsed XML document by name and class attribute.
final class SVGCensus: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var root: String?
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if root == nil { root = name }
        counts[name, default: 0] += 1
        if let c = attributes["class"] { counts[name + "." + c, default: 0] += 1 }
    }

    /// Parses `svg` as XML; nil (with the parser's error recorded) when it is not well formed.
    static func parse(_ svg: String) -> SVGCensus? {
        let census = SVGCensus()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = census
        guard parser.parse() else {
            Issue.record("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")")
            return nil
        }
        return census
    }
}
