#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing an output file (model, predictions, reports, pictures, sweep outputs) atomically: the bytes go to a
/// temporary file in the same folder, which is flushed to disk and then renamed over the target. An interrupted
/// or failed write never leaves half a file, and an earlier file at the path stays intact until the rename; a
/// SIGINT or SIGTERM while the temporary exists removes it before the process ends (`TemporaryFiles`).
///
/// What exists at the path is respected as `cp` does: a symbolic link is followed (its target is written), a
/// character device or FIFO (`/dev/null`, a named pipe) is written through, not replaced, a write-protected file
/// is refused, and any other kind of file (a block device, a socket) is refused.
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
        let target = try resolve(path)
        if target.writeThrough {
            try writeThrough(target, body)
        } else {
            try writeAtomically(target, body)
        }
    }

    /// A regular file (or a new one): a temporary file beside the target, renamed over it when complete.
    private static func writeAtomically(_ target: Target, _ body: (Writer) -> Void) throws(OutputFileError) {
        func fail(_ message: String) -> OutputFileError { OutputFileError(path: target.given, message: message) }
        let folder = target.folder
        let pattern = "\(folder == "/" ? "" : folder)/.\(baseName(of: target.path)).tmp-XXXXXX"
        let (fd, temporary, slot) = TemporaryFiles.create(pattern)
        guard fd >= 0 else {
            let code = errno
            if code == EACCES || code == EPERM {
                throw fail("permission denied: cannot create a file in the folder '\(folder)'")
            }
            throw fail("cannot create a file in the folder '\(folder)': \(InputFile.reason(code))")
        }
        let writer = Writer(fd: fd)
        body(writer)
        // mkstemp creates the file 0600: give it the mode an ordinary new file would have (0666 less the umask).
        let mask = umask(0o022)
        umask(mask)
        if writer.error == 0, fchmod(fd, 0o666 & ~mask) != 0 { writer.error = errno }
        if writer.error == 0, fsync(fd) != 0 { writer.error = errno }
        if close(fd) != 0, writer.error == 0 { writer.error = errno }
        if writer.error != 0 {
            TemporaryFiles.finish(slot) { unlink(temporary) }
            throw fail("cannot write: \(InputFile.reason(writer.error))")
        }
        var code: Int32 = 0
        TemporaryFiles.finish(slot) {
            if rename(temporary, target.path) != 0 {
                code = errno
                unlink(temporary)
            }
        }
        guard code == 0 else {
            if code == EACCES || code == EPERM { throw fail("permission denied") }
            throw fail("cannot write: \(InputFile.reason(code))")
        }
    }

    /// A character device or FIFO: written through, as `cp` does. A FIFO without a reader is refused at once
    /// (opening it would wait for one forever).
    private static func writeThrough(_ target: Target, _ body: (Writer) -> Void) throws(OutputFileError) {
        func fail(_ message: String) -> OutputFileError { OutputFileError(path: target.given, message: message) }
        let fd = open(target.path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENXIO { throw fail("is a FIFO (named pipe) that no process reads; start the reader first") }
            if code == EACCES || code == EPERM { throw fail("permission denied") }
            throw fail("cannot open for writing: \(InputFile.reason(code))")
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        let writer = Writer(fd: fd)
        body(writer)
        if close(fd) != 0, writer.error == 0 { writer.error = errno }
        if writer.error != 0 { throw fail("cannot write: \(InputFile.reason(writer.error))") }
    }

    /// Checks what can be checked before writing `path`: a file name, not a directory, in a folder that exists,
    /// not write-protected and not one of `others` (the run's inputs, or its other outputs, each with a name for
    /// the message such as "the data file"): same path after following symbolic links, or same device and inode.
    /// Returns the folder the file is written in. Commands call it for every output before any work, so that a
    /// bad path fails at once and one bad path does not leave the others written.
    @discardableResult
    public static func check(_ path: String, notSameAs others: [(path: String, role: String)] = [])
        throws(OutputFileError) -> String
    {
        let target = try resolve(path)
        for other in others where target.isSameFile(as: other.path) {
            throw OutputFileError(
                path: path,
                message: "is the same file as \(other.role) '\(other.path)'; writing it would destroy that file: "
                    + "choose another name")
        }
        return target.folder
    }

    /// Where an output goes: `path` (as given, for messages) with its symbolic links followed.
    struct Target {
        var given: String
        /// The file written: `given` with its symbolic links followed.
        var path: String
        var folder: String
        /// A character device or FIFO, written through instead of replaced.
        var writeThrough: Bool

        /// Same file as `other`: the same device and inode, or, for files that do not exist yet, the same
        /// resolved path in the same folder.
        func isSameFile(as other: String) -> Bool {
            var mine = stat()
            var theirs = stat()
            let (exists, otherExists) = (stat(path, &mine) == 0, stat(other, &theirs) == 0)
            if exists, otherExists {
                return mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino
                    && (mine.st_mode & S_IFMT) != S_IFCHR
            }
            guard !exists, !otherExists, let resolved = try? OutputFile.resolve(other) else { return false }
            return canonicalFolder(folder) == canonicalFolder(resolved.folder)
                && baseName(of: path) == baseName(of: resolved.path)
        }
    }

    /// Follows `path`'s symbolic links and checks the file and its folder (see `check`).
    static func resolve(_ path: String) throws(OutputFileError) -> Target {
        func fail(_ message: String) -> OutputFileError { OutputFileError(path: path, message: message) }
        guard !path.isEmpty else { throw fail("empty file name") }
        var info = stat()
        // A device or FIFO as the kernel resolves it (also through links such as /dev/stdout → /proc/self/fd/1
        // → "pipe:[…]", which name no file): written through by its own name.
        if stat(path, &info) == 0, [S_IFCHR, S_IFIFO].contains(info.st_mode & S_IFMT) {
            return Target(given: path, path: path, folder: folderName(of: path), writeThrough: true)
        }
        let resolved = try followLinks(path)
        var writeThrough = false
        if stat(resolved, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw fail(
                    "is a directory; give the name of a file (for example "
                        + "\(path.hasSuffix("/") ? path : path + "/")NAME)")
            case S_IFREG:
                // As cp: a file the user may not write is refused; as rm, a file without any write bit is
                // write-protected even for root, who may write anything.
                if access(resolved, W_OK) != 0 || info.st_mode & 0o222 == 0 {
                    throw fail(
                        "the file is write-protected (permission denied); make it writable (chmod u+w) or "
                            + "choose another name")
                }
            case S_IFCHR, S_IFIFO: writeThrough = true
            default: throw fail("exists and is neither a regular file, a character device nor a FIFO")
            }
        }
        let folder = folderName(of: resolved)
        if stat(folder, &info) != 0 {
            if errno == ENOENT { throw fail("the folder '\(folder)' does not exist") }
            throw fail("cannot use the folder '\(folder)': \(InputFile.reason(errno))")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw fail("'\(folder)' is not a folder") }
        return Target(given: path, path: resolved, folder: folder, writeThrough: writeThrough)
    }

    /// `path` with its symbolic links followed (a link to a missing file gives that file's path, which is then
    /// created, as `cp` does); a loop of links is refused.
    static func followLinks(_ path: String) throws(OutputFileError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count >= 0 else {
                throw OutputFileError(path: path, message: "cannot read the link: \(InputFile.reason(errno))")
            }
            let link = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let base = folderName(of: current)
            current = link.hasPrefix("/") || base == "." ? link : (base == "/" ? "" : base) + "/" + link
        }
        throw OutputFileError(path: path, message: "too many levels of symbolic links")
    }

    /// The folder's absolute path with its links resolved (`realpath`), or the folder as given.
    static func canonicalFolder(_ folder: String) -> String {
        guard let resolved = realpath(folder, nil) else { return folder }
        defer { free(resolved) }
        return String(cString: resolved)
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

/// The temporary files of `OutputFile` that exist right now, so that SIGINT and SIGTERM remove them before the
/// process ends (the default action of those signals would leave them behind, half written).
///
/// The paths live in fixed slots allocated once, which the signal handler reads without locks or allocation
/// (it calls only `unlink`, `signal` and `raise`, which are async-signal-safe), then ends the process by the
/// signal's default action, so the exit status still says which signal it was. The signals are blocked while
/// a temporary file is created and registered, and while it is renamed and unregistered, so none is missed. A
/// signal the process ignores (a job started with SIGINT ignored, `nohup`) stays ignored.
enum TemporaryFiles {
    /// Simultaneous writes tracked; a write beyond them works as before, without the clean-up on a signal.
    static let capacity = 16
    /// Bytes per path (PATH_MAX and its terminating zero).
    static let length = Int(PATH_MAX) + 1

    /// The slots' paths; `used[i] != 0` while slot `i` holds a temporary file.
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity * length)
        buffer.initialize(repeating: 0, count: capacity * length)
        return buffer
    }()
    nonisolated(unsafe) static let used: UnsafeMutablePointer<sig_atomic_t> = {
        let flags = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: capacity)
        flags.initialize(repeating: 0, count: capacity)
        return flags
    }()
    /// Guards the claiming of slots between threads.
    nonisolated(unsafe) static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        return lock
    }()

    /// Installs the handlers the first time a temporary file is made.
    static let installed: Bool = {
        _ = (paths, used, lock, length, deferral)  // initialised before a handler can read them
        claimSignals()
        return true
    }()

    /// Makes `removeAndRaise` the handler of SIGINT and SIGTERM, except where the process ignores the signal. Done
    /// again at the start of every deferral: a C library may have replaced it (CLP's initial solve installs its own
    /// handler for the solve and restores what it saw, which a solve on another thread can make stale).
    private static func claimSignals() {
        for signalNumber in [SIGINT, SIGTERM] {
            let previous = signal(signalNumber, removeAndRaise)
            if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                _ = signal(signalNumber, SIG_IGN)
            }
        }
    }

    /// `Interruption`'s flags: `[0] != 0` while a first signal is deferred, `[1] != 0` once one came.
    nonisolated(unsafe) static let deferral: UnsafeMutablePointer<sig_atomic_t> = {
        let flags = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 2)
        flags.initialize(repeating: 0, count: 2)
        return flags
    }()

    /// Turns the deferral of a first signal on (clearing an old request) or off; on, the signals are unblocked in
    /// this thread (a process started from a Dispatch thread inherits them blocked).
    static func deferSignals(_ on: Bool) {
        _ = installed
        if on {
            claimSignals()
            deferral[1] = 0
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            sigaddset(&set, SIGTERM)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
        }
        deferral[0] = on ? 1 : 0
    }

    /// The handler: while deferring, the first signal only sets the request (`Interruption`); otherwise removes
    /// every registered temporary file, then lets the signal end the process.
    static let removeAndRaise: @convention(c) (Int32) -> Void = { signalNumber in
        if TemporaryFiles.deferral[0] != 0 && TemporaryFiles.deferral[1] == 0 {
            TemporaryFiles.deferral[1] = 1
            return
        }
        for slot in 0..<TemporaryFiles.capacity where TemporaryFiles.used[slot] != 0 {
            unlink(TemporaryFiles.paths + slot * TemporaryFiles.length)
        }
        _ = signal(signalNumber, SIG_DFL)
        raise(signalNumber)
    }

    /// Creates a temporary file from the `mkstemp` `pattern` and registers it: its descriptor (−1 with `errno`
    /// set on failure), its path and its slot (nil when every slot is taken).
    static func create(_ pattern: String) -> (fd: Int32, path: String, slot: Int?) {
        _ = installed
        var template = Array(pattern.utf8CString)
        let blocked = blockSignals()
        defer { restoreSignals(blocked) }
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else {
                errno = EINVAL
                return -1
            }
            return mkstemp(base)
        }
        guard fd >= 0 else { return (fd, pattern, nil) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard template.count <= length else { return (fd, path, nil) }
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        guard let slot = (0..<capacity).first(where: { used[$0] == 0 }) else { return (fd, path, nil) }
        template.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            (paths + slot * length).update(from: base, count: source.count)
        }
        used[slot] = 1
        return (fd, path, slot)
    }

    /// Runs `body` (the rename or removal of the temporary file) with the signals blocked, then frees `slot`.
    static func finish(_ slot: Int?, _ body: () -> Void) {
        let blocked = blockSignals()
        defer { restoreSignals(blocked) }
        body()
        if let slot {
            pthread_mutex_lock(lock)
            used[slot] = 0
            pthread_mutex_unlock(lock)
        }
    }

    /// Blocks SIGINT and SIGTERM in this thread; returns the previous mask.
    private static func blockSignals() -> sigset_t {
        var set = sigset_t()
        var previous = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, &previous)
        return previous
    }

    private static func restoreSignals(_ previous: sigset_t) {
        var previous = previous
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
}
