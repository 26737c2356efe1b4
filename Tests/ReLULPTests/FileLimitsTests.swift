import Foundation
import ReLULP
import TestSupport
import Testing

/// Reading with a size limit (`InputFile`) and writing atomically with clear errors (`OutputFile`), through the
/// library (the command line's side: relulpCLITests/CLIFileLimitsTests).
@Suite struct FileLimitsTests {
    static let csv = "x,y\n0,0\n1,1\n2,0.5\n3,2\n"

    @Test func anEndlessStreamIsRefusedAtTheLimit() throws {
        let data = #expect(throws: DataError.self) { try Dataset.load(csv: "/dev/zero", maxBytes: 1 << 16) }
        #expect(
            data?.description
                == "/dev/zero: more than 64 KiB to read (an endless stream or device?); the input limit can be raised with --max-input-bytes"
        )
        let model = #expect(throws: ModelFileError.self) { try ModelFile.load("/dev/zero", maxBytes: 1000) }
        #expect(model?.message.hasPrefix("more than 1000 bytes to read") == true, "\(String(describing: model))")
        #expect(InputFile.defaultMaxBytes == 1 << 30)
    }

    @Test func aFileAboveTheLimitIsRefusedBeforeReading() throws {
        let path = try temporaryFile(Self.csv)
        let error = #expect(throws: DataError.self) { try Dataset.load(csv: path, maxBytes: 10) }
        #expect(
            error?.message
                == "the file has \(Self.csv.utf8.count) bytes, more than the input limit of 10 bytes (raise it with --max-input-bytes)"
        )
        // At exactly its size it is read.
        #expect(try Dataset.load(csv: path, maxBytes: Self.csv.utf8.count).count == 4)
    }

    @Test func aDirectoryIsNotAnInput() throws {
        let dir = (try temporaryFile(Self.csv) as NSString).deletingLastPathComponent
        let error = #expect(throws: DataError.self) { try Dataset.load(csv: dir) }
        #expect(error?.message == "is a directory, not a file")
        let missing = #expect(throws: ModelFileError.self) { try ModelFile.load(dir + "/missing.json") }
        #expect(missing?.message == "cannot open the file: no such file or directory")
    }

    static func model() throws -> ModelFile {
        let data = try Dataset.parse(csv: csv)
        let result = try ExactTrainer(data: data).train(TrainingOptions(lambda: 0.1))
        return ModelFile(result: result, data: data, bias: true, tolerance: 1e-9)
    }

    @Test func writingIsAtomicAndFailuresSayWhatIsWrong() throws {
        let model = try Self.model()
        let dir = (try temporaryFile("", name: "placeholder") as NSString).deletingLastPathComponent
        let path = dir + "/model.json"
        try model.write(to: path)
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try ModelFile.load(path) == model)
        // Into a directory, or a folder that does not exist: a message saying so, the earlier file intact.
        let intoDirectory = #expect(throws: ModelFileError.self) { try model.write(to: dir) }
        #expect(intoDirectory?.message.hasPrefix("is a directory") == true, "\(String(describing: intoDirectory))")
        let noFolder = #expect(throws: ModelFileError.self) { try model.write(to: dir + "/no/such/model.json") }
        #expect(noFolder?.message == "the folder '\(dir)/no/such' does not exist")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == first)
        // A rewrite replaces the whole file and leaves no temporary file behind.
        try OutputFile.write("short\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "short\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["model.json", "placeholder"])
        if getuid() != 0 {  // root writes anywhere
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir) }
            let denied = #expect(throws: OutputFileError.self) { try OutputFile.write("x", to: path) }
            #expect(denied?.message.hasPrefix("permission denied") == true)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "short\n")
        }
    }

    @Test func foldersAreMadeWithTheirParents() throws {
        let dir = (try temporaryFile("", name: "file") as NSString).deletingLastPathComponent
        try OutputFile.makeFolder(dir + "/a/b/c")
        var isDirectory: ObjCBool = false
        #expect(
            FileManager.default.fileExists(atPath: dir + "/a/b/c", isDirectory: &isDirectory) && isDirectory.boolValue)
        let onAFile = #expect(throws: OutputFileError.self) { try OutputFile.makeFolder(dir + "/file") }
        #expect(onAFile?.message == "exists and is not a folder")
    }
}
