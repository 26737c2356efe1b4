// Runs the InputFuzz harness (the CSV and model-file readers) for a bounded time; see benchmarks/fuzz/README.md.
//
//   fuzz-benchmark [--seconds S] [--seed N] [--state FILE] [--save DIR]   run cases 0, 1, … for S seconds
//   fuzz-benchmark --replay I [--seed N] [--save DIR]                     re-create case I (after a crash)
//
// Cases that break the property are written to DIR (default Tests/Fixtures/fuzz) as <kind>-seed-N-case-I.csv
// or .json. With --state the index of the case about to run is written to FILE first, so that a crash (which
// ends the process) can be replayed and recorded.
import Foundation
import InputFuzz

var seconds = 60.0
var seed: UInt64 = 1
var state: String? = nil
var save = "Tests/Fixtures/fuzz"
var replay: UInt64? = nil
var arguments = CommandLine.arguments.dropFirst()
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("fuzz-benchmark: \(message)\n".utf8))
    exit(2)
}
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else { fail("\(flag) needs a value") }
    switch flag {
    case "--seconds":
        guard let s = Double(value), s > 0 else { fail("--seconds: not a positive number: \(value)") }
        seconds = s
    case "--seed":
        guard let s = UInt64(value) else { fail("--seed: not an unsigned integer: \(value)") }
        seed = s
    case "--state": state = value
    case "--save": save = value
    case "--replay":
        guard let i = UInt64(value) else { fail("--replay: not a case index: \(value)") }
        replay = i
    default: fail("unknown option \(flag)")
    }
}

@MainActor func record(index: UInt64, kind: InputFuzz.Kind, bytes: [UInt8]) -> String {
    try? FileManager.default.createDirectory(atPath: save, withIntermediateDirectories: true)
    let path = "\(save)/\(kind.rawValue)-seed-\(seed)-case-\(index).\(kind == .csv ? "csv" : "json")"
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fail("cannot write \(path)") }
    return path
}

if let replay {
    let input = InputFuzz.makeCase(seed: seed, index: replay)
    let path = record(index: replay, kind: input.kind, bytes: input.bytes)
    print("case \(replay) of seed \(seed) (\(input.kind), \(input.bytes.count) bytes) written to \(path)")
    print("outcome: \(InputFuzz.check(input))")
    exit(0)
}

let stateHandle: Int32? = state.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
let report = InputFuzz.run(seed: seed, seconds: seconds) { index in
    guard let fd = stateHandle, fd >= 0 else { return }
    let text = Array(String(format: "%20llu\n", index).utf8)
    _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
}
print(
    String(
        format:
            "seed %llu: %d cases in %.1f s (%.0f cases/s), %d accepted, %d rejected with a located message, %d findings; slowest case %llu: %.2f ms",
        seed, report.cases, seconds, Double(report.cases) / seconds, report.accepted,
        report.cases - report.accepted - report.findings.count, report.findings.count, report.slowest.index,
        report.slowest.seconds * 1000))
for finding in report.findings {
    print(
        "finding: case \(finding.index) (\(finding.kind)): \(finding.problem) -> \(record(index: finding.index, kind: finding.kind, bytes: finding.bytes))"
    )
}
exit(report.findings.isEmpty ? 0 : 1)
