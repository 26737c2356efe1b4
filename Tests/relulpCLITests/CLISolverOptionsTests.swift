import Foundation
import TestSupport
import Testing

/// The solver options that `solve`, `path` and `sweep` share (one `SolverOptions` group): each command takes
/// them, and refuses a bad value with the same message (ArgumentParser's, exit 64) before it reads data or writes
/// anything.
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLISolverOptionsTests {
    /// The command line of each command on `data`, writing below `output`.
    static func command(_ name: String, data: String, output: String) -> [String] {
        switch name {
        case "solve": ["solve", data, "--lambda", "0.1", "--output", output + "/model.json"]
        case "path": ["path", data, "--lambdas", "0.1,0.01", "--output", output]
        default: ["sweep", data, "--lambdas", "0.1", "--output", output]
        }
    }

    @Test(arguments: ["solve", "path", "sweep"])
    func unknownMasterFormIsRefused(command: String) throws {
        let data = try temporaryFile(CLIPathTests.csv())
        let output = data + "-out"
        let run = try runRelulp(Self.command(command, data: data, output: output) + ["--master", "simplex", "--quiet"])
        #expect(run.status == 64)
        #expect(
            run.stderr.hasPrefix(
                "Error: The value 'simplex' is invalid for '--master <master>'. "
                    + "Please provide one of 'primal', 'dual' or 'auto'.\n"), "\(command): \(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test(arguments: [
        (
            ["--backend", "gurobi"],
            "Error: The value 'gurobi' is invalid for '--backend <backend>'. "
                + "Please provide one of 'clp' and 'glpk'.\n"
        ),
        (
            ["--loss", "huber"],
            "Error: The value 'huber' is invalid for '--loss <loss>'. "
                + "Please provide one of 'l1', 'squared' or 'hinge'.\n"
        ),
        (["--tolerance", "0"], "Error: tolerance must lie in (0, 1), got 0.0\n"),
        (["--max-rounds", "0"], "Error: the round limit must be at least 1, got 0\n"),
        (["--time-limit=-1"], "Error: the time limit must be > 0 seconds, got -1.0\n"),
        (["--max-master-entries", "0"], "Error: the master's entry limit must be at least 1, got 0\n"),
        (["--loss", "squared", "--backend", "glpk"], "Error: squared loss needs a QP backend"),
    ])
    func badSharedOptionsAreRefusedByEveryCommand(arguments: [String], message: String) throws {
        let data = try temporaryFile(CLIPathTests.csv())
        for command in ["solve", "path", "sweep"] {
            let run = try runRelulp(Self.command(command, data: data, output: data + "-out") + arguments + ["--quiet"])
            #expect(run.status == 64)
            #expect(run.stderr.hasPrefix(message), "\(command): \(run.stderr)")
            #expect(run.stdout.isEmpty && !FileManager.default.fileExists(atPath: data + "-out"), "\(command)")
        }
    }

    /// The sweep hands `--master` to its solves and records it in summary.json (auto, the default, is left out);
    /// the primal form certifies the same limit and the same objective as the default dual one.
    @Test func sweepRecordsTheMasterForm() throws {
        let data = try temporaryFile(CLIPathTests.csv())
        var values: [[Double]] = []
        for master in ["primal", "auto"] {
            let folder = (data as NSString).deletingLastPathComponent + "/sweep-" + master
            let run = try runRelulp([
                "sweep", data, "--lambdas", "0.01", "--master", master, "--output", folder, "--quiet",
            ])
            #expect(run.status == 0, "\(master): \(run.stderr)")
            let summary = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))) as? [String: Any])
            let settings = try #require(summary["settings"] as? [String: Any])
            #expect(settings["master"] as? String == (master == "auto" ? nil : master))
            let limit = try #require((summary["limit"] as? [String: Any])?["totalVariation"] as? Double)
            // runs.csv: a header, then lambda,noise,seed,status,diracs,total_variation,loss,objective,…
            let rows = try String(contentsOfFile: folder + "/runs.csv", encoding: .utf8).split(separator: "\n")
            #expect(rows.count == 2 && rows[1].split(separator: ",")[3] == "optimal")
            let objective = try #require(Double(String(rows[1].split(separator: ",")[7])))
            values.append([limit, objective])
        }
        for (primal, dual) in zip(values[0], values[1]) { #expect(abs(primal - dual) <= 2e-9 * max(1, primal)) }
    }
}
