import Foundation
import ReLULP
import Testing

/// Issue 26 (closing remark): a sweep's outputs are checked against its settings when read back (`sweep merge`):
/// a runs.csv of another run, or rows that are not those the settings and the shard call for, are refused.
@Suite struct SweepOutputCheckTests {
    private func run(lambdas: [Double], into folder: String) throws {
        let generated = try TeacherGenerator(count: 8, features: 1, neurons: 2, noise: 0, seed: 3).generate()
        let settings = try SweepSettings(
            dataFile: "d.csv", dataDigest: "1", n: 8, features: ["x1"], lambdas: lambdas, noiseLevels: [0, 0.01],
            seeds: [1])
        let sweep = try Sweep(settings: settings, data: generated.data, cleanLabels: generated.cleanLabels)
        try SweepOutput.write(try sweep.run(), to: folder)
    }

    /// The message reading `folder` gives, nil when it is read.
    private func failure(_ folder: String) -> String? {
        do {
            _ = try SweepOutput.read(folder)
            return nil
        } catch { return error.message }
    }

    /// summary.json without its runs.csv digest, as written before 0.10.0.
    private func dropDigest(_ folder: String) throws {
        let url = URL(fileURLWithPath: folder + "/summary.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(object["runsDigest"] is String)
        object["runsDigest"] = nil
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    @Test func refusesOutputsOfAnotherRun() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-sweepcheck-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try run(lambdas: [0.1, 0.01], into: root + "/a")
        try run(lambdas: [0.2, 0.02], into: root + "/b")
        #expect(failure(root + "/a") == nil)
        let runsA = try Data(contentsOf: URL(fileURLWithPath: root + "/a/runs.csv"))
        let runsB = try Data(contentsOf: URL(fileURLWithPath: root + "/b/runs.csv"))
        // b's runs.csv beside a's summary: the same number of rows, other λ.
        try runsB.write(to: URL(fileURLWithPath: root + "/a/runs.csv"))
        #expect(failure(root + "/a")?.contains("was not written with") == true, "\(failure(root + "/a") ?? "read")")
        try dropDigest(root + "/a")
        #expect(
            failure(root + "/a")?.hasSuffix(
                "runs.csv:2: the row is for λ = 0.2, noise 0.0, seed 1, but the settings in summary.json (shard 1/1) "
                    + "call for λ = 0.1, noise 0.0, seed 1 there: the outputs do not belong to these settings")
                == true, "\(failure(root + "/a") ?? "read")")
        // Rows in another order, or one row twice in place of another.
        var lines = String(decoding: runsA, as: UTF8.self).split(separator: "\n")
        lines.swapAt(1, 2)
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: root + "/a/runs.csv", atomically: true, encoding: .utf8)
        #expect(failure(root + "/a")?.contains("runs.csv:2: the row is for λ = 0.01") == true)
        lines.swapAt(1, 2)
        lines[2] = lines[1]
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: root + "/a/runs.csv", atomically: true, encoding: .utf8)
        #expect(failure(root + "/a")?.contains("runs.csv:3: the row is for λ = 0.1,") == true)
        try runsA.write(to: URL(fileURLWithPath: root + "/a/runs.csv"))
        #expect(failure(root + "/a") == nil)
    }

    /// A whole sweep's files labelled as one shard (summary.json edited) have rows the shard does not call for.
    @Test func refusesRowsOfAnotherShard() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-sweepcheck-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try run(lambdas: [0.1, 0.01], into: root + "/a")
        let url = URL(fileURLWithPath: root + "/a/summary.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        object["shard"] = ["index": 1, "count": 2]
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        #expect(
            failure(root + "/a")?.contains(
                "4 rows, but the settings in summary.json (shard 1/2) call for 2 (2 λ × 1 jobs)") == true,
            "\(failure(root + "/a") ?? "read")")
    }
}
