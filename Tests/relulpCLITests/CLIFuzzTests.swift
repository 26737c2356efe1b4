import CLIFuzz
import Foundation
import Testing

/// The seeded fuzz harness of the command line (a bounded run; `benchmarks/fuzz/` runs it longer): random option
/// values and combinations for every subcommand, none of which may crash, hang, exit 0 on an invalid argument,
/// fail without an `error:` line, or leave a temporary or partial file.
@Suite(.serialized) struct CLIFuzzTests {
    @Test func seededRunFindsNothing() throws {
        let binary = try #require(relulpBinary(), "build the relulp binary first")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-cli-fuzz-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let report = try CLIFuzz.run(binary: binary, seed: 1, count: 40, seconds: 60, timeout: 60, work: work)
        #expect(report.cases >= 10)
        #expect(
            report.findings.isEmpty,
            "\(report.findings.prefix(3).map { "case \($0.index) \($0.arguments): \($0.problem)" })")
        // Both outcomes occur, and some cases carry an invalid argument.
        #expect(report.succeeded.values.reduce(0, +) > 0 && report.failed.values.reduce(0, +) > 0)
        #expect(report.invalid > 0)
    }

    /// The harness sees what it is meant to see: a case whose command line is invalid and exits 0, a crash, and
    /// a temporary left behind are findings (checked on a stand-in binary, /bin/sh).
    @Test func harnessDetectsFailures() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-cli-fuzz-self-\(getpid())")
            .path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let invalid = CLIFuzz.Case(arguments: ["-c", "exit 0"], invalid: true)
        #expect(CLIFuzz.problems(of: invalid, binary: "/bin/sh", in: work).contains("exit 0 with an invalid argument"))
        let crash = CLIFuzz.Case(arguments: ["-c", "kill -SEGV $$"], invalid: false)
        #expect(CLIFuzz.problems(of: crash, binary: "/bin/sh", in: work).contains { $0.hasPrefix("crash") })
        let hang = CLIFuzz.Case(arguments: ["-c", "exec sleep 5"], invalid: false)
        #expect(CLIFuzz.problems(of: hang, binary: "/bin/sh", in: work, timeout: 0.3).contains { $0.hasPrefix("hang") })
        let temp = CLIFuzz.Case(
            arguments: ["-c", "echo x > out/.m.json.tmp-1; echo 'error: no' >&2; exit 1"], invalid: true)
        #expect(
            CLIFuzz.problems(of: temp, binary: "/bin/sh", in: work).contains { $0.hasPrefix("temporary file left") })
        let partial = CLIFuzz.Case(arguments: ["-c", "printf '{\"a\":' > out/m.json"], invalid: false)
        #expect(
            CLIFuzz.problems(of: partial, binary: "/bin/sh", in: work).contains { $0.hasPrefix("incomplete output") })
        let silent = CLIFuzz.Case(arguments: ["-c", "exit 3"], invalid: true)
        #expect(CLIFuzz.problems(of: silent, binary: "/bin/sh", in: work).contains { $0.contains("without an") })
        let fine = CLIFuzz.Case(arguments: ["-c", "echo 'error: bad value' >&2; exit 64"], invalid: true)
        #expect(CLIFuzz.problems(of: fine, binary: "/bin/sh", in: work).isEmpty)
    }
}
