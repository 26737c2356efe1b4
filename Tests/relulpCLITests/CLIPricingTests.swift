import Foundation
import TestSupport
import Testing

/// `--pricing` end to end through the built binary.
@Suite struct CLIPricingTests {
    /// `relulp solve --pricing branch-and-bound` end to end: the same certified objective as `--pricing enumerate`,
    /// and the search's statistics in the round log.
    @Test(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
    func commandLine() throws {
        let data = try Fixtures.teacher(n: 20, m: 2, neurons: 3, noise: 0.05, seed: 12)
        let csv =
            "x1,x2,y\n"
            + (0..<data.count).map { j in
                (data.features[j] + [data.labels[j]]).map { "\($0)" }.joined(separator: ",")
            }.joined(separator: "\n") + "\n"
        let path = try temporaryFile(csv)
        func objective(_ run: Run) -> Double? {
            run.stdout.split(separator: "\n").first { $0.hasPrefix("objective") }.flatMap {
                Double($0.split(separator: " ").last!)
            }
        }
        let searched = try runRelulp(["solve", path, "--lambda", "0.02", "--pricing", "branch-and-bound"])
        let scanned = try runRelulp(["solve", path, "--lambda", "0.02", "--pricing", "enumerate", "--quiet"])
        #expect(searched.status == 0 && scanned.status == 0, "\(searched.stderr) \(scanned.stderr)")
        #expect(searched.stdout.contains("status            optimal") && searched.stdout.contains("not enumerated"))
        #expect(
            searched.stderr.contains("branch and bound") && searched.stderr.contains(" nodes, "), "\(searched.stderr)")
        let a = try #require(objective(searched))
        let b = try #require(objective(scanned))
        #expect(abs(a - b) <= 1e-9 * max(1, b))
    }
}
