/// A problem with the input data, located as precisely as known.
///
/// `description` is one line, `FILE:LINE:COLUMN: message`, leaving out the parts that are unknown
/// (`FILE: message` for a file that cannot be read, `FILE:LINE: message` for a row-level problem).
/// Lines and columns are 1-based; the column is the field number within the CSV row.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var location: [String] = []
        if let file { location.append(file) }
        if let line {
            location.append(String(line))
            if let column { location.append(String(column)) }
        }
        return location.isEmpty ? message : location.joined(separator: ":") + ": " + message
    }
}

/// Text from an input file as it appears in a one-line message: control characters and line separators
/// escaped (`\r`, `\u{0}`), and at most `limit` characters of it.
func printable(_ text: some StringProtocol, limit: Int = 60) -> String {
    var out = ""
    for (i, c) in text.unicodeScalars.enumerated() {
        if i == limit {
            out += "…"
            break
        }
        switch c {
        case "\r": out += "\\r"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case _ where c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c == "\u{2028}" || c == "\u{2029}":
            out += "\\u{\(String(c.value, radix: 16))}"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}
