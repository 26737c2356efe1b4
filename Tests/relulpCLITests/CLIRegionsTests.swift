import Foundation
import TestSupport
import Testing

@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLIRegionsTests {
    @Test(arguments: [
        ("empty", "", ":1:1:"),
        ("header only", "x,y\n", ":2:1:"),
        ("ragged row", "x,y\n1,2\n3\n", ":3:2:"),
        ("non-numeric", "x,y\n1,2\n3,abc\n", ":3:2:"),
        ("inf", "x,y\n1,2\ninf,1\n", ":3:1:"),
        ("nan", "x,y\n1,2\n2,nan\n", ":3:2:"),
        ("missing target", "x,z\n1,2\n3,4\n", ":1:"),
        ("duplicate column", "x,x,y\n1,2,3\n4,5,6\n", ":1:2:"),
        ("single data point", "x,y\n1,2\n", ":2:1:"),
    ])
    func badInputFails(name: String, contents: String, location: String) throws {
        let path = try temporaryFile(contents)
        let run = try runRelulp(["regions", path])
        #expect(run.status != 0, "\(name)")
        #expect(run.stderr.hasPrefix("error: \(path)\(location)"), "\(name): \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(name): \(run.stderr)")
    }

    @Test func missingAndUnreadableFiles() throws {
        let missing = "/nonexistent-relulp/data.csv"
        var run = try runRelulp(["regions", missing])
        #expect(run.status != 0 && run.stderr.hasPrefix("error: \(missing):"))
        // a directory cannot be read as a file (chmod does not stop root)
        let dir = (try temporaryFile("x")) + ".d"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        run = try runRelulp(["regions", dir])
        #expect(run.status != 0 && run.stderr.hasPrefix("error: \(dir):"), "\(run.stderr)")
    }

    @Test func unknownFeature() throws {
        let path = try temporaryFile("a,b,y\n1,2,3\n4,5,6\n")
        let run = try runRelulp(["regions", path, "--features", "a,c"])
        #expect(run.status != 0 && run.stderr.hasPrefix("error: \(path):1:") && run.stderr.contains("'c'"))
    }

    @Test func tooManyRegionsIsRefused() throws {
        let rows = (0..<30).map { i in "\(Double(i) * 0.37),\(Double(i * i % 7)),\(i)" }
        let path = try temporaryFile("x1,x2,y\n" + rows.joined(separator: "\n") + "\n")
        let run = try runRelulp(["regions", path, "--max-regions", "10"])
        #expect(run.status != 0 && run.stderr.contains("--max-regions") && run.stderr.contains("872"))
    }

    @Test func countsAndJSON() throws {
        let path = try temporaryFile("x1,x2,y\n0,0,1\n1,0,2\n0,1,0\n1,1,1\n2,3,1\n")
        let json = path + ".json"
        let run = try runRelulp(["regions", path, "--json", json, "--list"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("regions: 22") && run.stdout.contains("general-position bound: 22"))
        let object =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        #expect(object?["regions"] as? Int == 22)
        #expect(object?["extremeRays"] as? Int == 20)
        #expect(object?["generalPositionBound"] as? Int == 22)
        #expect(object?["dimension"] as? Int == 3 && object?["n"] as? Int == 5 && object?["bias"] as? Bool == true)
        let list = object?["regionList"] as? [[String: Any]]
        #expect(list?.count == 22)
        #expect((list?.first?["signs"] as? String)?.count == 5)
        #expect((object?["rays"] as? [[Double]])?.count == 20)
        let noBias = try runRelulp(["regions", path, "--no-bias", "--quiet"])
        #expect(noBias.status == 0 && noBias.stdout.isEmpty)
    }
}
