import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A seeded fuzz harness of the command line: random option values and combinations for every subcommand, run
/// as the built binary in a fresh folder with a per-case timeout. Properties checked on every case: no crash
/// (an exit by a signal), no hang (the timeout), no exit 0 when an argument is invalid, a one-line `error:` on
/// stderr for every failure and none on success, no temporary or partial file left behind, inputs unchanged.
public enum CLIFuzz {
    /// One command line: the arguments, and whether one of them is invalid (then the exit must be non-zero).
    public struct Case: Sendable {
        public var arguments: [String]
        public var invalid: Bool

        public init(arguments: [String], invalid: Bool) {
            self.arguments = arguments
            self.invalid = invalid
        }
    }

    /// A case that broke a property.
    public struct Finding: Sendable {
        public var index: Int
        public var arguments: [String]
        public var problem: String
    }

    public struct Report: Sendable {
        public var cases = 0
        /// Exit 0, and a non-zero exit, by subcommand ("sweep run" counts as "sweep").
        public var succeeded: [String: Int] = [:]
        public var failed: [String: Int] = [:]
        /// Cases with an invalid argument (all of which must fail).
        public var invalid = 0
        public var findings: [Finding] = []
        public var seconds = 0.0
    }

    /// The input files every case gets a copy of (made once per run by `prepare`).
    static let inputs = [
        "data.csv", "data2.csv", "model.json", "teacher.json", "bad.csv", "empty.csv", "latin1.csv",
    ]

    /// Runs cases 0, 1, … of `seed` until `count` cases or `seconds` have passed, each with `timeout` seconds.
    /// `work` is a scratch folder (created; cases that pass are removed, those with findings are kept).
    public static func run(
        binary: String, seed: UInt64, count: Int = .max, seconds: Double = .infinity, timeout: Double = 60,
        work: String, state: ((Int) -> Void)? = nil
    ) throws -> Report {
        let started = Date()
        let fm = FileManager.default
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        let setup = (work as NSString).appendingPathComponent("inputs")
        try prepare(binary: binary, in: setup)
        var report = Report()
        var index = 0
        while index < count, Date().timeIntervalSince(started) < seconds {
            state?(index)
            let c = generate(seed: seed, index: index)
            let folder = (work as NSString).appendingPathComponent("case-\(index)")
            try? fm.removeItem(atPath: folder)
            try fm.copyItem(atPath: setup, toPath: folder)
            try fm.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
            let outcome = try execute(binary: binary, arguments: c.arguments, in: folder, timeout: timeout)
            let name = c.arguments.first ?? "-"
            if outcome.status == 0 {
                report.succeeded[name, default: 0] += 1
            } else {
                report.failed[name, default: 0] += 1
            }
            if c.invalid { report.invalid += 1 }
            let problems = check(c, outcome, folder: folder, setup: setup)
            if problems.isEmpty {
                try? fm.removeItem(atPath: folder)
            } else {
                for p in problems { report.findings.append(Finding(index: index, arguments: c.arguments, problem: p)) }
            }
            report.cases += 1
            index += 1
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// The problems of one case run in an empty folder `work/case` (for checking the harness itself).
    public static func problems(of c: Case, binary: String, in work: String, timeout: Double = 60) -> [String] {
        let folder = (work as NSString).appendingPathComponent("case")
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        guard let outcome = try? execute(binary: binary, arguments: c.arguments, in: folder, timeout: timeout) else {
            return ["cannot run \(binary)"]
        }
        return check(c, outcome, folder: folder, setup: folder)
    }

    /// How a run ended.
    struct Outcome {
        var status: Int32
        var signalled: Bool
        var timedOut: Bool
        var stderr: String
    }

    /// Runs the binary in `folder` (stdin empty, outputs to files there), killing it after `timeout` seconds.
    static func execute(binary: String, arguments: [String], in folder: String, timeout: Double) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let errPath = folder + "/.stderr"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: folder + "/.stdout", contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/.stdout"))
        defer {
            try? err.close()
            try? out.close()
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Outcome(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, stderr: stderr)
    }

    /// The properties of one case; each problem is one line.
    static func check(_ c: Case, _ o: Outcome, folder: String, setup: String) -> [String] {
        var problems: [String] = []
        let lastLine = o.stderr.split(separator: "\n").last.map(String.init) ?? ""
        if o.timedOut {
            problems.append("hang: killed after the timeout")
        } else if o.signalled {
            problems.append("crash: signal \(o.status); stderr: \(lastLine)")
        } else if o.status == 0 {
            if c.invalid { problems.append("exit 0 with an invalid argument") }
            if o.stderr.lowercased().contains("error:") { problems.append("exit 0 but stderr reports an error") }
        } else {
            // relulp's own errors end stderr with `error: …`; the argument parser's start with `Error: …` and
            // add the usage.
            let lines = o.stderr.split(separator: "\n")
            if !(lastLine.hasPrefix("error: ") || lines.contains { $0.hasPrefix("Error: ") }) {
                problems.append("exit \(o.status) without an 'error:' line; stderr ends: \(lastLine)")
            }
            if o.stderr.contains("Fatal error") || o.stderr.contains("Stack dump") {
                problems.append("exit \(o.status) with a trap or backtrace on stderr")
            }
        }
        for name in inputs {
            let before = FileManager.default.contents(atPath: setup + "/" + name)
            if FileManager.default.contents(atPath: folder + "/" + name) != before {
                problems.append("input \(name) was changed or removed")
            }
        }
        problems += leftovers(in: folder)
        return problems
    }

    /// Temporaries anywhere in the case's folder, and incomplete output files (JSON that does not parse, SVG
    /// without its end, CSV without its last line end) in `out/`.
    static func leftovers(in folder: String) -> [String] {
        var problems: [String] = []
        let fm = FileManager.default
        for path in (fm.enumerator(atPath: folder)?.allObjects as? [String]) ?? [] {
            let name = (path as NSString).lastPathComponent
            if name.contains(".tmp") { problems.append("temporary file left: \(path)") }
            guard path.hasPrefix("out/"), let bytes = fm.contents(atPath: folder + "/" + path) else { continue }
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory), isDirectory.boolValue { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            let complete: Bool
            switch (path as NSString).pathExtension {
            case "json": complete = (try? JSONSerialization.jsonObject(with: bytes)) != nil
            case "svg": complete = text.hasSuffix("</svg>\n") || text.hasSuffix("</svg>")
            case "csv": complete = text.hasSuffix("\n")
            default: complete = true
            }
            if !complete { problems.append("incomplete output file: \(path)") }
        }
        return problems
    }

    /// The input files of every case, made with the binary itself: a one- and a two-feature data set from
    /// teachers, a model trained on the first, and hostile files (non-numeric, empty, Latin-1).
    static func prepare(binary: String, in folder: String) throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: folder)
        try fm.createDirectory(atPath: folder + "/dir", withIntermediateDirectories: true)
        let steps: [[String]] = [
            ["generate", "--n", "12", "--neurons", "2", "--seed", "3", "-o", "data.csv", "--teacher", "teacher.json"],
            ["generate", "--n", "10", "--features", "2", "--neurons", "2", "-o", "data2.csv", "--teacher", "t2.json"],
            ["solve", "data.csv", "--lambda", "0.01", "-o", "model.json", "--quiet"],
            ["sweep", "run", "data.csv", "--lambdas", "0.1,0.01", "--shard", "1/2", "-o", "sweep", "--quiet"],
            ["sweep", "run", "data.csv", "--lambdas", "0.1,0.01", "--shard", "2/2", "-o", "sweep", "--quiet"],
        ]
        for step in steps {
            let outcome = try execute(binary: binary, arguments: step, in: folder, timeout: 120)
            guard outcome.status == 0, !outcome.signalled else {
                throw CLIFuzzError(
                    message: "preparing the inputs: relulp \(step.joined(separator: " ")) failed: \(outcome.stderr)")
            }
        }
        try Data("x1,y\n1,2\n3,abc\n".utf8).write(to: URL(fileURLWithPath: folder + "/bad.csv"))
        try Data().write(to: URL(fileURLWithPath: folder + "/empty.csv"))
        try Data([0x78, 0xE9, 0x2C, 0x79, 0x0A, 0x31, 0x2C, 0x32, 0x0A, 0x33, 0x2C, 0x34, 0x0A])
            .write(to: URL(fileURLWithPath: folder + "/latin1.csv"))
        for name in [".stdout", ".stderr"] { try? fm.removeItem(atPath: folder + "/" + name) }
    }
}

/// The harness could not set up its inputs.
public struct CLIFuzzError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
