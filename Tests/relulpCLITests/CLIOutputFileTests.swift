import Foundation
import TestSupport
import Testing

/// Output files of the command line against careless and hostile paths (issue 26, items 4, 5, 14 and 15): an
/// output that is an input, a signal while writing, a bad output folder found only after the work, and the
/// numbering and leftovers of `relulp path`'s model files.
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLIOutputFileTests {
    static let csv = "x,y\n0,0\n1,1\n2,0\n3,2\n4,1\n"

    static func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// Item 4: `solve d.csv -o d.csv`, `plot m.json d.csv -o m.json`, `predict`, `certify --json` and
    /// `regions --json` onto an input, and `generate` with one name for both outputs, are refused and leave the
    /// files as they were.
    @Test func anOutputThatIsAnInputIsRefused() throws {
        let data = try temporaryFile(Self.csv)
        let dir = (data as NSString).deletingLastPathComponent
        let model = dir + "/m.json"
        #expect(try runRelulp(["solve", data, "--lambda", "0.1", "--quiet", "-o", model]).status == 0)
        let (dataBytes, modelBytes) = (Self.contents(data), Self.contents(model))
        let cases: [(arguments: [String], output: String, role: String)] = [
            (["solve", data, "--lambda", "0.1", "--quiet", "-o", data], data, "the data file"),
            (["plot", model, data, "-o", model], model, "the model file"),
            (["plot", model, data, "-o", data], data, "the data file"),
            (["predict", model, data, "-o", data], data, "the data file"),
            (["certify", model, data, "--quiet", "--json", model], model, "the model file"),
            (["regions", data, "--quiet", "--json", data], data, "the data file"),
        ]
        for (arguments, output, role) in cases {
            let run = try runRelulp(arguments)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.hasPrefix("error: \(output): is the same file as \(role)"), "\(run.stderr)")
        }
        #expect(Self.contents(data) == dataBytes && Self.contents(model) == modelBytes)
        let both = dir + "/both"
        let generate = try runRelulp(["generate", "--n", "5", "--output", both, "--teacher", both])
        #expect(generate.status == 1)
        #expect(generate.stderr.hasPrefix("error: \(both): is the same file as the --output file"))
        #expect(!FileManager.default.fileExists(atPath: both))
    }

    /// Item 14: `solve -o missing/m.json` fails before the data are read and the solve starts, not after.
    @Test func solveChecksItsOutputBeforeSolving() throws {
        let data = try temporaryFile(Self.csv)
        let output = (data as NSString).deletingLastPathComponent + "/missing/m.json"
        let run = try runRelulp(["solve", data, "--lambda", "0.1", "-o", output])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(
            run.stderr
                == "error: \(output): the folder '\((output as NSString).deletingLastPathComponent)' does not exist\n")
    }

    /// Item 5: SIGINT or SIGTERM while `regions --json --list` streams a large file ends the process by the
    /// signal and leaves neither the output nor the hidden temporary file.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalWhileWritingLeavesNoTemporaryFile(signal: Int32) throws {
        let dir = (try temporaryFile("", name: "placeholder") as NSString).deletingLastPathComponent
        let data = dir + "/data.csv"
        let generate = try runRelulp([
            "generate", "--n", "200", "--features", "2", "--output", data, "--teacher", dir + "/t.json",
        ])
        #expect(generate.status == 0, "\(generate.stderr)")
        guard let binary = relulpBinary() else { return }
        let pid = try Self.spawn(binary, ["regions", data, "--json", dir + "/regions.json", "--list", "--quiet"])
        func temporaries() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".tmp-") }
        }
        // The file is some 14 MB, written for a few seconds: wait until its temporary file has bytes.
        var status: Int32 = 0
        var ended = false
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                ended = true
                break
            }
            if let name = temporaries().first,
                let size = try? FileManager.default.attributesOfItem(atPath: dir + "/" + name)[.size] as? Int,
                size > 0
            {
                break
            }
            usleep(2000)
        }
        #expect(!ended, "the write ended before the signal could be sent")
        if !ended {
            kill(pid, signal)
            waitpid(pid, &status, 0)
        }
        #expect(status & 0x7f == signal, "wait status \(status): not ended by the signal")
        #expect(temporaries().isEmpty, "\(temporaries())")
        #expect(!FileManager.default.fileExists(atPath: dir + "/regions.json"))
    }

    /// Item 15: a λ given twice is refused (the files are numbered in the order of --lambdas), and a rerun with
    /// fewer λ removes the model files of the earlier run above its count, and nothing else.
    @Test func pathRefusesDuplicateLambdasAndRemovesStaleModels() throws {
        let data = try temporaryFile(Self.csv)
        let folder = (data as NSString).deletingLastPathComponent + "/path"
        let duplicate = try runRelulp(["path", data, "--lambdas", "0.1,0.2,0.1", "-o", folder, "--quiet"])
        #expect(duplicate.status == 1)
        #expect(
            duplicate.stderr
                == "error: λ = 0.1 appears more than once in the list '0.1,0.2,0.1'; give each value once\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/model-1.json"))
        let first = try runRelulp(["path", data, "--lambdas", "0.3,0.2,0.1", "-o", folder, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        for name in ["notes.txt", "model-07.json", "model-x.json"] {
            try "keep\n".write(toFile: folder + "/" + name, atomically: false, encoding: .utf8)
        }
        let rerun = try runRelulp(["path", data, "--lambdas", "0.05", "-o", folder])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("removed 2 model files of an earlier run with more λ"), "\(rerun.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["model-07.json", "model-1.json", "model-x.json", "notes.txt"])
    }

    /// Starts `binary` with SIGINT and SIGTERM unblocked and at their default action, as from a shell (the test
    /// runner's threads block signals, and a child inherits that mask); returns its process id.
    static func spawn(_ binary: String, _ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + arguments).map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, binary, nil, &attributes, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL) }
        return pid
    }
}
