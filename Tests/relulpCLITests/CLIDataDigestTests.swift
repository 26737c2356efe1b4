import Foundation
import TestSupport
import Testing

/// Issue 26, item 16: `certify` and `plot` say when the data are not those the model was trained on — the same
/// rows in another order, or other numbers — instead of only "not certified optimal".
@Suite(.serialized) struct CLIDataDigestTests {
    static let kink = Fixtures.packageRoot.appendingPathComponent("models/kink1d_n20/data.csv").path

    @Test func namesReorderedAndChangedRows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-digest-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = dir + "/m.json"
        let solved = try runRelulp(["solve", Self.kink, "--lambda", "0.01", "-o", model, "--quiet"])
        try #require(solved.status == 0, "\(solved.stderr)")
        let same = try runRelulp(["certify", model, Self.kink, "--quiet"])
        #expect(same.status == 0 && !same.stderr.contains("warning"), "\(same.stderr)")

        let lines = try String(contentsOfFile: Self.kink, encoding: .utf8).split(separator: "\n")
        let reversed = dir + "/reversed.csv"
        try ([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\n").write(
            toFile: reversed, atomically: true, encoding: .utf8)
        let r = try runRelulp(["certify", model, reversed, "--quiet"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("holds the rows the model was trained on in another order"), "\(r.stderr)")

        var fields = lines[1].split(separator: ",").map(String.init)
        fields[fields.count - 1] = String((Double(fields[fields.count - 1]) ?? 0) + 0.5)
        let changed = dir + "/changed.csv"
        try ([lines[0], Substring(fields.joined(separator: ","))] + lines.dropFirst(2)).joined(separator: "\n")
            .write(toFile: changed, atomically: true, encoding: .utf8)
        let c = try runRelulp(["certify", model, changed, "--quiet"])
        #expect(c.status != 0)
        #expect(c.stderr.contains("is not the data the model was trained on"), "\(c.stderr)")

        let plot = try runRelulp(["plot", model, reversed, "-o", dir + "/p.svg"])
        #expect(plot.status == 0 && plot.stderr.contains("in another order"), "\(plot.stderr)")
    }
}
