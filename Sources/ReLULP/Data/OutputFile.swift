#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing an output file (model, predictions, reports, pictures, sweep outputs) atomically: the bytes go to a
/// temporary file in the same folder, which is flushed to disk and then renamed over the target. An interrupted
/// or failed write never leaves half a file, and an earlier file at the path stays intact until the rename.
public enum OutputFile {
    /// Writes `text` (UTF-8) to `path`.
    public static func write(_ text: String, to path: String) throws(OutputFileError) {
        try write(to: path) { $0.write(text) }
    }

    /// Writes `bytes` to `path`.
    public static func write(bytes: [UInt8], to path: String) throws(OutputFileError) {
        try write(to: path) { $0.write(bytes) }
    }

    /// Streams the file: `body` appends to the writer (for outputs too large to build in memory first).
    public static func write(to path: String, _ body: (Writer) -> Void) throws(OutputFileError) {
        func fail(_ message: String) -> OutputFileError { OutputFileError(path: path, message: message) }
        let folder = try check(path)
        var template = Array("\(folder == "/" ? "" : folder)/.\(baseName(of: path)).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else {
                errno = EINVAL
                return -1
            }
            return mkstemp(base)
        }
        guard fd >= 0 else {
            let code = errno
            if code == EACCES || code == EPERM {
                throw fail("permission denied: cannot create a file in the folder '\(folder)'")
            }
            throw fail("cannot create a file in the folder '\(folder)': \(InputFile.reason(code))")
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let writer = Writer(fd: fd)
        body(writer)
        // mkstemp creates the file 0600: give it the mode an ordinary new file would have (0666 less the umask).
        let mask = umask(0o022)
        umask(mask)
        if writer.error == 0, fchmod(fd, 0o666 & ~mask) != 0 { writer.error = errno }
        if writer.error == 0, fsync(fd) != 0 { writer.error = errno }
        if close(fd) != 0, writer.error == 0 { writer.error = errno }
        if writer.error != 0 {
            unlink(temporary)
            throw fail("cannot write: \(InputFile.reason(writer.error))")
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            if code == EACCES || code == EPERM { throw fail("permission denied") }
            throw fail("cannot write: \(InputFile.reason(code))")
        }
    }

    /// Checks what can be checked before writing `path`: a file name, not a directory, in a folder that exists.
    /// Returns the folder. Commands that write several files call it for each first, so that one bad path does
    /// not leave the others written.
    @discardableResult
    public static func check(_ path: String) throws(OutputFileError) -> String {
        func fail(_ message: String) -> OutputFileError { OutputFileError(path: path, message: message) }
        guard !path.isEmpty else { throw fail("empty file name") }
        let folder = folderName(of: path)
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw fail(
                "is a directory; give the name of a file (for example \(path.hasSuffix("/") ? path : path + "/")NAME)")
        }
        if stat(folder, &info) != 0 {
            if errno == ENOENT { throw fail("the folder '\(folder)' does not exist") }
            throw fail("cannot use the folder '\(folder)': \(InputFile.reason(errno))")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw fail("'\(folder)' is not a folder") }
        return folder
    }

    /// Creates the folder `path` and any missing parents (an existing folder is fine).
    public static func makeFolder(_ path: String) throws(OutputFileError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw OutputFileError(path: path, message: "exists and is not a folder")
            }
            return
        }
        let parent = folderName(of: path)
        if parent != path, parent != "." { try makeFolder(parent) }
        guard mkdir(path, 0o777) == 0 || errno == EEXIST else {
            let code = errno
            if code == EACCES || code == EPERM {
                throw OutputFileError(path: path, message: "permission denied: cannot create the folder in '\(parent)'")
            }
            throw OutputFileError(path: path, message: "cannot create the folder: \(InputFile.reason(code))")
        }
    }

    /// Appends bytes to the temporary file; the first error is kept and reported by `write(to:_:)`.
    public final class Writer {
        let fd: Int32
        var error: Int32 = 0

        init(fd: Int32) { self.fd = fd }

        public func write(_ text: String) {
            var text = text
            text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
        }

        public func write(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { write($0) }
        }

        func write(_ buffer: UnsafeRawBufferPointer) {
            guard let base = buffer.baseAddress else { return }  // an empty buffer may have none
            var offset = 0
            while error == 0, offset < buffer.count {
                let written = systemWrite(fd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno != EINTR { error = errno }
                } else {
                    offset += written
                }
            }
        }
    }

    /// The folder part of `path` ("." for a bare name).
    static func folderName(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    static func baseName(of path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.last.map(String.init) ?? "output"
    }
}

/// `write(2)`, named apart from the writer's own `write` methods.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}

/// An output file that could not be written, with the file and what is wrong.
public struct OutputFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
