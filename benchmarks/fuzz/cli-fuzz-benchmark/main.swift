// Runs the CLIFuzz harness (every subcommand of the built relulp binary) for a bounded time; see
// benchmarks/fuzz/README.md.
//
//   cli-fuzz-benchmark [--binary PATH] [--seconds S] [--seed N] [--timeout T] [--work DIR]
//   cli-fuzz-benchmark --print I [--seed N]          the command line of case I
//
// Prints the counts by subcommand and outcome and every finding (the case folder is kept in DIR); exits 1 when
// there are findings.
import CLIFuzz
import Foundation

var binary = ".build/release/relulp"
var seconds = 60.0
var seed: UInt64 = 1
var timeout = 60.0
var work = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-cli-fuzz-\(getpid())").path
var printCase: Int? = nil
var arguments = CommandLine.arguments.dropFirst()
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("cli-fuzz-benchmark: \(message)\n".utf8))
    exit(2)
}
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else { fail("\(flag) needs a value") }
    switch flag {
    case "--binary": binary = value
    case "--work": work = value
    case "--seconds":
        guard let s = Double(value), s > 0 else { fail("--seconds: not a positive number: \(value)") }
        seconds = s
    case "--timeout":
        guard let s = Double(value), s > 0 else { fail("--timeout: not a positive number: \(value)") }
        timeout = s
    case "--seed":
        guard let s = UInt64(value) else { fail("--seed: not an unsigned integer: \(value)") }
        seed = s
    case "--print":
        guard let i = Int(value), i >= 0 else { fail("--print: not a case index: \(value)") }
        printCase = i
    default: fail("unknown option \(flag)")
    }
}
if let printCase {
    let c = CLIFuzz.generate(seed: seed, index: printCase)
    print("relulp " + c.arguments.map { "'\($0)'" }.joined(separator: " ") + (c.invalid ? "   # invalid" : ""))
    exit(0)
}
do {
    let report = try CLIFuzz.run(binary: binary, seed: seed, seconds: seconds, timeout: timeout, work: work)
    print(
        String(
            format: "seed %llu: %d cases in %.0f s (%.2f s per case), %d with an invalid argument", seed,
            report.cases, report.seconds, report.seconds / Double(max(1, report.cases)), report.invalid))
    for name in Set(report.succeeded.keys).union(report.failed.keys).sorted() {
        print("  \(name): \(report.succeeded[name] ?? 0) exit 0, \(report.failed[name] ?? 0) refused or failed")
    }
    print("findings: \(report.findings.count)")
    for f in report.findings {
        print("  case \(f.index): relulp \(f.arguments.map { "'\($0)'" }.joined(separator: " ")): \(f.problem)")
    }
    if report.findings.isEmpty { try? FileManager.default.removeItem(atPath: work) }
    exit(report.findings.isEmpty ? 0 : 1)
} catch {
    fail("\(error)")
}
