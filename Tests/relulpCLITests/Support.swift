import Foundation
import Testing

// What the command-line tests add to TestSupport: running the built binary.

/// The built `relulp` binary of this test build's configuration (`.build/release/relulp` for `swift test -c
/// release`, `.build/debug/relulp` otherwise), found by walking up from this file to the package root.
func relulpBinary() -> String? {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
    }
    #if DEBUG
        let configurations = ["debug", "release"]
    #else
        let configurations = ["release", "debug"]
    #endif
    return configurations.map { url.appendingPathComponent(".build/\($0)/relulp").path }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built binary with `arguments`; with `memoryLimitKiB` its address space is limited (`ulimit -v`,
/// through `/bin/sh`), so an allocation beyond it aborts the binary instead of swapping the machine. A missing
/// binary is recorded as an issue and ends the test.
func runRelulp(_ arguments: [String], memoryLimitKiB: Int? = nil) throws -> Run {
    guard let binary = relulpBinary() else {
        Issue.record("the relulp binary is missing: build it before running the tests")
        throw CancellationError()
    }
    let process = Process()
    if let memoryLimitKiB {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v \(memoryLimitKiB) && exec \"$0\" \"$@\"", binary] + arguments
    } else {
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}
