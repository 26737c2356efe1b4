import Foundation
import TestSupport
import Testing

/// `relulp precertificate` end to end: the JSON keys the study reads and the verdicts of two hand-solved instances
/// (Tests/ReLULPTests/PrecertificateTests derives them).
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLIPrecertificateTests {
    @Test(arguments: [("x,y\n1,1\n-1,1\n", true), ("x,y\n1,1\n-1,0\n", false)])
    func verdictAndJSONKeys(csv: String, nonDegenerate: Bool) throws {
        let data = try temporaryFile(csv)
        let json = data + ".precert.json"
        let model = data + ".limit.json"
        let run = try runRelulp(["precertificate", data, "--json", json, "--model", model, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("verdict            \(nonDegenerate ? "non-degenerate" : "degenerate")"))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect(object["nonDegenerate"] as? Bool == nonDegenerate)
        let margin = try #require(object["margin"] as? Double)
        #expect(margin >= 0 && margin < 1)
        let diracs = try #require(object["diracs"] as? [[String: Any]])
        #expect(diracs.count == 1 && diracs[0]["interior"] as? Bool == nonDegenerate)
        // The limit with p₀ as its dual: `certify` rebuilds η₀ independently and finds it certifies the limit.
        let certify = try runRelulp(["certify", model, data, "--quiet"])
        #expect(certify.status == 0 && certify.stdout.contains("certified optimal"), "\(certify.stdout)")
    }

    @Test func missingFileIsOneErrorLine() throws {
        let run = try runRelulp(["precertificate", "/nonexistent/precert.csv", "--quiet"])
        #expect(run.status != 0 && run.stderr.hasPrefix("error:"), "\(run.stderr)")
    }
}
