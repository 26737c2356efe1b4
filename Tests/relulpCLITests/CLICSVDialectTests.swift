import Foundation
import ReLULP
import TestSupport
import Testing

/// Issue 26, item 18 on the command line: a quoted column name with a comma is one name, through `solve` and into
/// the header `predict` writes (found while trying the dialects: the header was written unquoted, one column too
/// many).
@Suite struct CLICSVDialectTests {
    @Test func predictQuotesColumnNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-dialect-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "\"a,b\",y\r1,2\r3,1\r5,7\r".write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
        let solved = try runRelulp(["solve", dir + "/d.csv", "--lambda", "0.1", "-q", "-o", dir + "/m.json"])
        try #require(solved.status == 0, "\(solved.stderr)")
        let model = try ModelFile.load(dir + "/m.json")
        #expect(model.features == ["a,b"])
        let predicted = try runRelulp(["predict", dir + "/m.json", dir + "/d.csv", "-o", dir + "/p.csv"])
        try #require(predicted.status == 0, "\(predicted.stderr)")
        let back = try Dataset.load(csv: dir + "/p.csv", target: "prediction")
        #expect(back.featureNames == ["a,b", "y"] && back.count == 3)
    }
}
