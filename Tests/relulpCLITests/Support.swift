import Foundation

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

func runRelulp(_ arguments: [String]) throws -> Run {
    guard let binary = relulpBinary() else { throw CancellationError() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
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

/// `runRelulp` with the process's address space limited to `memoryLimitKiB` (`ulimit -v`, through `/bin/sh`): an
/// allocation beyond it aborts the binary instead of swapping the machine, so a test can show that a run needs
/// little memory.
func runRelulp(_ arguments: [String], memoryLimitKiB: Int) throws -> Run {
    guard let binary = relulpBinary() else { throw CancellationError() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "ulimit -v \(memoryLimitKiB) && exec \"$0\" \"$@\"", binary] + arguments
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
