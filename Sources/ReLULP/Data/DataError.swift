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
