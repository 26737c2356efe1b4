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

    /// Issue 26, item 3: what exists at the output path is respected as `cp` does. A symbolic link is followed
    /// (the link stays, its target gets the bytes, a dangling link creates its target), a FIFO or device is
    /// written through instead of being replaced by a regular file, and a write-protected file is refused.
    @Test func linksDevicesAndWriteProtectedFilesAreRespected() throws {
        let dir = (try temporaryFile("old\n", name: "target.txt") as NSString).deletingLastPathComponent
        let manager = FileManager.default
        func kind(_ path: String) throws -> FileAttributeType? {
            try manager.attributesOfItem(atPath: path)[.type] as? FileAttributeType
        }
        try manager.createSymbolicLink(atPath: dir + "/link.txt", withDestinationPath: "target.txt")
        try OutputFile.write("new\n", to: dir + "/link.txt")
        #expect(try kind(dir + "/link.txt") == .typeSymbolicLink)
        #expect(try String(contentsOfFile: dir + "/target.txt", encoding: .utf8) == "new\n")
        try manager.createSymbolicLink(atPath: dir + "/dangling.txt", withDestinationPath: dir + "/created.txt")
        try OutputFile.write("made\n", to: dir + "/dangling.txt")
        #expect(try kind(dir + "/dangling.txt") == .typeSymbolicLink)
        #expect(try String(contentsOfFile: dir + "/created.txt", encoding: .utf8) == "made\n")
        try manager.createSymbolicLink(atPath: dir + "/loop-a", withDestinationPath: "loop-b")
        try manager.createSymbolicLink(atPath: dir + "/loop-b", withDestinationPath: "loop-a")
        let loop = #expect(throws: OutputFileError.self) { try OutputFile.write("x", to: dir + "/loop-a") }
        #expect(loop?.message == "too many levels of symbolic links")
        // A FIFO nobody reads: refused at once (no hang), and it stays a FIFO.
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        let fifo = #expect(throws: OutputFileError.self) { try OutputFile.write("x", to: dir + "/fifo") }
        #expect(fifo?.message.contains("FIFO") == true, "\(String(describing: fifo))")
        #expect(try kind(dir + "/fifo") != .typeRegular)
        if getuid() == 0 {  // a private copy of /dev/null: written through, still a device afterwards
            #expect(mknod(dir + "/null", S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0)
            try OutputFile.write("discarded\n", to: dir + "/null")
            #expect(try kind(dir + "/null") == .typeCharacterSpecial)
        }
        // A write-protected file is refused (even for root) and stays as it was.
        try "kept\n".write(toFile: dir + "/protected.txt", atomically: false, encoding: .utf8)
        try manager.setAttributes([.posixPermissions: 0o444], ofItemAtPath: dir + "/protected.txt")
        let protected = #expect(throws: OutputFileError.self) { try OutputFile.write("x", to: dir + "/protected.txt") }
        #expect(protected?.message.hasPrefix("the file is write-protected") == true)
        #expect(try String(contentsOfFile: dir + "/protected.txt", encoding: .utf8) == "kept\n")
    }

    /// Issue 26, item 4: an output that is one of the run's inputs is refused, by path, through a link, or as
    /// another name of the same inode; a different file with the same contents is not.
    @Test func anOutputThatIsAnInputIsRefused() throws {
        let data = try temporaryFile("x,y\n0,1\n")
        let dir = (data as NSString).deletingLastPathComponent
        let input = [(path: data, role: "the data file")]
        let same = #expect(throws: OutputFileError.self) { try OutputFile.check(data, notSameAs: input) }
        #expect(
            same?.description == "\(data): is the same file as the data file '\(data)'; writing it would "
                + "destroy that file: choose another name")
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: "data.csv")
        #expect(link(data, dir + "/hard.csv") == 0)
        for other in [dir + "/link.csv", dir + "/hard.csv", dir + "/./data.csv"] {
            #expect(throws: OutputFileError.self) { try OutputFile.check(other, notSameAs: input) }
        }
        // Two outputs that do not exist yet are compared by their resolved paths.
        let outputs = [(path: dir + "/new.json", role: "the --output file")]
        #expect(throws: OutputFileError.self) {
            try OutputFile.check(dir + "/../\((dir as NSString).lastPathComponent)/new.json", notSameAs: outputs)
        }
        try "x,y\n0,1\n".write(toFile: dir + "/copy.csv", atomically: false, encoding: .utf8)
        #expect(try OutputFile.check(dir + "/copy.csv", notSameAs: input) == dir)
        #expect(try OutputFile.check(dir + "/other.json", notSameAs: outputs) == dir)
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
