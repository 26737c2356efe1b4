import Foundation
import ReLULP
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

// What the test targets share: the fixture paths, the teacher data, temporary input files and the SVG census.

/// Paths and small deterministic data generators shared by the test targets.
public enum Fixtures {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `Tests/Fixtures`: the example data and its certified optima, kept in the repository (Tests/Fixtures/README.md).
    public static let directory = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// A missing fixture file: the test that needs it fails with this message instead of crashing the test process.
    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "test fixture \(path) is missing (the repository's Tests/Fixtures folder is incomplete)"
        }
    }

    /// The path of a fixture file in `Tests/Fixtures`, or a `Missing` error.
    public static func path(_ name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return path
    }

    /// A fixture CSV file loaded as a data set.
    public static func dataset(_ name: String) throws -> Dataset {
        try Dataset.load(csv: path(name))
    }

    /// The library's deterministic generator: the same seed gives the same test data everywhere.
    public typealias Random = SplitMix64

    /// Labels from a random teacher network with `neurons` units on uniform inputs in [−1, 1]^m, plus noise.
    public static func teacher(n: Int, m: Int, neurons: Int, noise: Double, seed: UInt64) throws -> Dataset {
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

/// The folder of this test process's temporary files, removed when the process exits (a test run had left over a
/// thousand folders in the system's temporary directory).
private let temporaryRoot: URL = {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-tests-\(getpid())")
    atexit { try? FileManager.default.removeItem(at: temporaryRoot) }
    return root
}()

/// A path named `name` in this process's temporary folder (created; the file is not).
public func temporaryPath(_ name: String) -> String {
    try? FileManager.default.createDirectory(at: temporaryRoot, withIntermediateDirectories: true)
    return temporaryRoot.appendingPathComponent(name).path
}

/// Writes `contents` to a file `name` in a new temporary folder and returns its path.
public func temporaryFile(_ contents: String, name: String = "data.csv") throws -> String {
    let dir = temporaryRoot.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Counts elements of a parsed XML document by name and class attribute.
public final class SVGCensus: NSObject, XMLParserDelegate {
    public var counts: [String: Int] = [:]
    public var root: String?
    public func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if root == nil { root = name }
        counts[name, default: 0] += 1
        if let c = attributes["class"] { counts[name + "." + c, default: 0] += 1 }
    }

    /// Parses `svg` as XML; nil (with the parser's error recorded) when it is not well formed.
    public static func parse(_ svg: String) -> SVGCensus? {
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
