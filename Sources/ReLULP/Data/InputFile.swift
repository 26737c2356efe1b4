#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading an input file (data CSV, model JSON, sweep outputs) whole, with a size limit: an endless stream
/// (`/dev/zero`, a pipe that never closes) or a huge file is refused with a message instead of filling memory.
public enum InputFile {
    /// The default limit on the size of one input file: 1 GiB.
    public static let defaultMaxBytes = 1 << 30

    /// The bytes of the file at `path`, at most `maxBytes` of them; a directory, an unreadable file or a
    /// larger file or stream throws a `DataError` naming the file.
    public static func read(_ path: String, maxBytes: Int = defaultMaxBytes) throws(DataError) -> [UInt8] {
        guard maxBytes >= 0 else {
            throw DataError(file: path, message: "the input size limit must be ≥ 0 bytes, got \(maxBytes)")
        }
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw DataError(file: path, message: "is a directory, not a file") }
            if (info.st_mode & S_IFMT) == S_IFREG, info.st_size > maxBytes {
                throw DataError(
                    file: path,
                    message:
                        "the file has \(info.st_size) bytes, more than the input limit of \(describe(bytes: maxBytes)) (raise it with --max-input-bytes)"
                )
            }
        }
        guard let handle = fopen(path, "rb") else {
            throw DataError(file: path, message: "cannot open the file: \(reason(errno))")
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if got > 0 {
                // A regular file can grow while it is read, and a stream has no size: check as the bytes come.
                guard bytes.count + got <= maxBytes else {
                    throw DataError(
                        file: path,
                        message:
                            "more than \(describe(bytes: maxBytes)) to read (an endless stream or device?); the input limit can be raised with --max-input-bytes"
                    )
                }
                bytes.append(contentsOf: buffer[0..<got])
            }
            if got < buffer.count {
                if ferror(handle) != 0 {
                    throw DataError(file: path, message: "cannot read the file: \(reason(errno))")
                }
                break
            }
        }
        return bytes
    }

    /// `1 GiB`, `512 MiB`, `100 bytes`: a limit in the largest binary unit that divides it.
    static func describe(bytes: Int) -> String {
        for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")]
        where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) byte\(bytes == 1 ? "" : "s")"
    }

    /// The C library's reason for `code`, in lower case as the rest of the message ("permission denied").
    static func reason(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
