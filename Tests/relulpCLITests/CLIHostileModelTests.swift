import Foundation
import ReLULP
import TestSupport
import Testing

/// Issue 26 on the command line: `certify` takes its tolerance from the command line only, `certify` and `plot`
/// read only the columns a model uses, `predict` never prints a non-finite number, and a NUL byte in a cell or a
/// feature named twice in a model is reported where it is.
@Suite(.serialized) struct CLIHostileModelTests {
    static let kinkData = Fixtures.packageRoot.appendingPathComponent("models/kink1d_n20/data.csv").path
    static let kinkModel = Fixtures.packageRoot.appendingPathComponent("models/kink1d_n20/model.json").path

    static func temporary(_ name: String) -> String { temporaryPath("hostile-model-" + name) }

    /// The kink model with `change` applied, written to a temporary file.
    static func editedModel(_ name: String, _ change: (inout [String: Any]) -> Void) throws -> String {
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kinkModel)))
                as? [String: Any])
        change(&object)
        let path = temporary(name)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A model without atoms and `"tolerance": 0.9` is not certified (exit 1); the default and `--tolerance` are
    /// what the report shows.
    @Test func certifyIgnoresTheModelFilesTolerance() throws {
        let lax = try Self.editedModel("lax.json") {
            $0["tolerance"] = 0.9
            $0["atoms"] = [[String: Any]]()
        }
        let result = try runRelulp(["certify", lax, Self.kinkData, "--quiet"])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("tolerance 1.0e-09") && result.stdout.contains("verdict: not certified optimal"))
        let good = try runRelulp(["certify", Self.kinkModel, Self.kinkData, "--quiet", "--tolerance", "1e-6"])
        #expect(good.status == 0 && good.stdout.contains("tolerance 1.0e-06"), "\(good.stdout) \(good.stderr)")
        let bad = try Self.editedModel("bad-tolerance.json") { $0["tolerance"] = 5 }
        let refused = try runRelulp(["certify", bad, Self.kinkData, "--quiet"])
        #expect(
            refused.status == 1
                && refused.stderr == "error: \(bad): \"tolerance\" must be finite and in (0, 1), got 5.0\n",
            "\(refused.stderr)")
    }

    /// A text column the model does not use is noted, not refused, by `certify` and `plot`.
    @Test func unusedTextColumnsAreNotRead() throws {
        let lines = try String(contentsOfFile: Self.kinkData, encoding: .utf8).split(separator: "\n")
        let text =
            (["note," + lines[0]] + lines.dropFirst().enumerated().map { "row \($0.offset)," + $0.element })
            .joined(separator: "\n") + "\n"
        let data = Self.temporary("noted.csv")
        try text.write(toFile: data, atomically: true, encoding: .utf8)
        let certified = try runRelulp(["certify", Self.kinkModel, data])
        #expect(certified.status == 0, "\(certified.stderr)")
        #expect(certified.stderr.contains("column note not used by the model"), "\(certified.stderr)")
        let svg = Self.temporary("noted.svg")
        let plotted = try runRelulp(["plot", Self.kinkModel, data, "--output", svg, "--kind", "network"])
        #expect(plotted.status == 0 && FileManager.default.fileExists(atPath: svg), "\(plotted.stderr)")
        // A text cell in a column the model does use is still refused.
        let used = Self.temporary("used.csv")
        try text.replacingOccurrences(of: "row 3,", with: "row 3,abc").write(
            toFile: used, atomically: true, encoding: .utf8)
        let refused = try runRelulp(["certify", Self.kinkModel, used])
        #expect(refused.status == 1 && refused.stderr.contains("\(used):5:2: non-numeric value"), "\(refused.stderr)")
    }

    /// `predict` exits 1 without printing nan or inf: amplitudes whose sum overflows are refused with the model,
    /// outputs that overflow on the data with the row.
    @Test func predictNeverPrintsNonFiniteValues() throws {
        let cancelling = try Self.editedModel("cancelling.json") { object in
            var atoms = object["atoms"] as? [[String: Any]] ?? []
            atoms[0]["amplitude"] = 1e308
            atoms[1]["amplitude"] = -1e308
            atoms[2]["amplitude"] = 1e308
            object["atoms"] = atoms
        }
        let refused = try runRelulp(["predict", cancelling, Self.kinkData])
        #expect(refused.status == 1 && refused.stdout.isEmpty, "\(refused.stdout)")
        #expect(refused.stderr.hasPrefix("error: \(cancelling): the atoms' amplitudes sum"), "\(refused.stderr)")
        let large = try Self.editedModel("large.json") { object in
            var atoms = object["atoms"] as? [[String: Any]] ?? []
            atoms[0]["amplitude"] = 1e308
            object["atoms"] = atoms
        }
        let data = Self.temporary("far.csv")
        try "x1\n1\n1e300\n".write(toFile: data, atomically: true, encoding: .utf8)
        let overflow = try runRelulp(["predict", large, data])
        #expect(overflow.status == 1 && overflow.stdout.isEmpty, "\(overflow.stdout)")
        #expect(overflow.stderr.hasPrefix("error: \(data): the network's output on data row 2 is inf"))
        #expect(!overflow.stdout.contains("nan") && !overflow.stdout.contains("inf"))
    }

    /// A NUL byte inside a number is refused with file, line and column (it used to end the number: `1\0 99` = 1).
    @Test func nulByteInACellIsRefused() throws {
        let lines = try String(contentsOfFile: Self.kinkData, encoding: .utf8).split(separator: "\n").map(String.init)
        var bytes = Array((lines[0..<3].joined(separator: "\n") + "\n").utf8)
        bytes +=
            Array("1".utf8) + [0] + Array(" 99,2\n".utf8) + Array((lines[3...].joined(separator: "\n") + "\n").utf8)
        let data = Self.temporary("nul.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: data))
        for arguments in [["solve", data, "--lambda", "0.01", "--quiet"], ["predict", Self.kinkModel, data]] {
            let result = try runRelulp(arguments)
            #expect(result.status == 1, "\(arguments[0]): \(result.stdout)")
            #expect(
                result.stderr.hasPrefix("error: \(data):4:1: NUL byte in column 'x1'"),
                "\(arguments[0]): \(result.stderr)")
        }
    }

    /// A model naming a feature twice is refused as the model's error, not the data file's.
    @Test func duplicateFeatureNamesAreBlamedOnTheModel() throws {
        let twice = try Self.editedModel("twice.json") { object in
            object["features"] = ["x1", "x1"]
            var atoms = object["atoms"] as? [[String: Any]] ?? []
            for i in atoms.indices { atoms[i]["weights"] = [0.6, 0.0, 0.8] }
            object["atoms"] = atoms
        }
        for command in ["certify", "predict"] {
            let result = try runRelulp([command, twice, Self.kinkData])
            #expect(
                result.status == 1
                    && result.stderr == "error: \(twice): feature name 'x1' appears twice in \"features\"\n",
                "\(command): \(result.stderr)")
        }
    }
}
