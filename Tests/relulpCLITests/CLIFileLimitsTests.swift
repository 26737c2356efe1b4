import Foundation
import TestSupport
import Testing

/// The input size limit (--max-input-bytes) and the output checks of the commands: every refusal is one clear
/// line, and commands that write several files check every path before they work.
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLIFileLimitsTests {
    static let csv = "x,y\n0,0\n1,1\n2,0.5\n3,2\n"

    @Test func solveRefusesAnEndlessStream() throws {
        let run = try runRelulp(["solve", "/dev/zero", "--lambda", "0.01", "--max-input-bytes", "65536"])
        #expect(run.status != 0)
        #expect(
            run.stderr
                == "error: /dev/zero: more than 64 KiB to read (an endless stream or device?); the input limit can be raised with --max-input-bytes\n"
        )
    }

    @Test(arguments: ["predict", "certify", "plot"])
    func modelReadersRefuseAnEndlessStream(command: String) throws {
        let data = try temporaryFile(Self.csv)
        let run = try runRelulp(
            [command, "/dev/zero", data, "--max-input-bytes", "4096"]
                + (command == "plot" ? ["--output", data + ".svg"] : []))
        #expect(run.status != 0)
        #expect(run.stderr.contains("/dev/zero: more than 4 KiB to read"), "\(run.stderr)")
    }

    @Test func solveSaysWhyTheModelCannotBeWritten() throws {
        let data = try temporaryFile(Self.csv)
        let dir = (data as NSString).deletingLastPathComponent
        let intoDirectory = try runRelulp(["solve", data, "--lambda", "0.1", "--quiet", "--output", dir])
        #expect(intoDirectory.status != 0)
        #expect(intoDirectory.stderr.hasPrefix("error: \(dir): is a directory"), "\(intoDirectory.stderr)")
        let missing = try runRelulp([
            "solve", data, "--lambda", "0.1", "--quiet", "--output", dir + "/missing/model.json",
        ])
        #expect(missing.stderr == "error: \(dir)/missing/model.json: the folder '\(dir)/missing' does not exist\n")
        #expect(!missing.stderr.contains("NSCocoaErrorDomain"))
    }

    /// Commands that write several outputs check every path first: one bad path leaves nothing half written.
    @Test func generateAndSweepCheckTheirOutputsBeforeWorking() throws {
        let data = try temporaryFile(Self.csv)
        let dir = (data as NSString).deletingLastPathComponent
        let generate = try runRelulp([
            "generate", "--n", "10", "--output", dir + "/g.csv", "--teacher", dir + "/missing/t.json",
        ])
        #expect(generate.stderr == "error: \(dir)/missing/t.json: the folder '\(dir)/missing' does not exist\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/g.csv"))
        // Labels the solver refuses: had the sweep solved first, its message would be about them.
        let unsolvable = try temporaryFile("x,y\n0,0\n1,1e200\n2,1\n")
        let sweep = try runRelulp(["sweep", unsolvable, "--lambdas", "0.1", "--output", data, "--quiet"])
        #expect(sweep.status != 0)
        #expect(
            sweep.stderr == "error: \(data): exists and is not a folder\n",
            "the sweep solved before failing: \(sweep.stderr)")
    }
}
