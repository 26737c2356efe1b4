#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A labelled data set: `n` points `x_j ∈ R^m` with labels `y_j`.
public struct Dataset: Sendable, Equatable {
    public var featureNames: [String]
    public var targetName: String
    /// n rows, each with m values.
    public var features: [[Double]]
    /// n labels (zeros when `hasLabels` is false).
    public var labels: [Double]
    /// False for inputs read for prediction from a file without the label column.
    public var hasLabels = true
    /// The sample weights read from a weight column (`load(csv:…weights:)`), each finite and ≥ 0, not all 0;
    /// nil for none (docs/mathematics.md §12).
    public var sampleWeights: [Double]? = nil

    /// n, the number of points.
    public var count: Int { labels.count }
    /// m, the number of features.
    public var featureCount: Int { featureNames.count }

    /// Validates the shapes (`features.count == labels.count`, every row of length `featureNames.count`),
    /// finiteness of every value and `n ≥ 2`.
    public init(
        featureNames: [String], targetName: String = "y", features: [[Double]],
        labels: [Double]
    ) throws(DataError) {
        guard features.count == labels.count else {
            throw DataError(message: "\(features.count) feature rows but \(labels.count) labels")
        }
        guard labels.count >= 2 else {
            throw DataError(message: "\(labels.count) data point\(labels.count == 1 ? "" : "s"); at least 2 are needed")
        }
        for (j, row) in features.enumerated() {
            guard row.count == featureNames.count else {
                throw DataError(message: "row \(j) has \(row.count) features, expected \(featureNames.count)")
            }
            if let i = row.firstIndex(where: { !$0.isFinite }) {
                throw DataError(message: "row \(j), feature '\(featureNames[i])' is not finite (\(row[i]))")
            }
        }
        if let j = labels.firstIndex(where: { !$0.isFinite }) {
            throw DataError(message: "row \(j), label '\(targetName)' is not finite (\(labels[j]))")
        }
        self.featureNames = featureNames
        self.targetName = targetName
        self.features = features
        self.labels = labels
    }

    private init(unchecked featureNames: [String], targetName: String, features: [[Double]], labels: [Double]) {
        self.featureNames = featureNames
        self.targetName = targetName
        self.features = features
        self.labels = labels
    }

    /// Lifted points `x̃_j = (x_j, 1)` with bias, `x_j` without; row-major `n × d`.
    public func lifted(bias: Bool) -> LiftedData {
        let m = featureCount
        let d = bias ? m + 1 : m
        var values: [Double] = []
        values.reserveCapacity(count * d)
        for row in features {
            values.append(contentsOf: row)
            if bias { values.append(1) }
        }
        return LiftedData(count: count, dimension: d, values: values)
    }

    /// Loads a CSV file: a header row of column names, then one row per point, all used cells numeric.
    ///
    /// The label is the column `target`; the features are the columns named in `features` (in that order)
    /// or, by default, every other column in file order. The dialect is RFC 4180: fields separated by commas, a
    /// field in double quotes may hold commas, line ends and doubled quotes; lines end with LF, CRLF or CR;
    /// surrounding whitespace is ignored and blank lines are skipped. A quoted number with a comma (`"1,000"`) is
    /// refused, as are UTF-16 and UTF-32 files, bytes that are not UTF-8 and control bytes in the header or a
    /// used cell.
    /// Duplicate points are valid. Every problem throws a `DataError` naming file, line and column.
    /// Files above `maxBytes` (and endless streams) are refused.
    /// `weights` names a column of sample weights (finite, ≥ 0, not all 0; neither the target nor a feature, and
    /// left out of the default features), read into `sampleWeights`.
    public static func load(
        csv path: String, target: String = "y", features: [String]? = nil, weights: String? = nil,
        maxBytes: Int = InputFile.defaultMaxBytes
    ) throws(DataError) -> Dataset {
        let bytes = try InputFile.read(path, maxBytes: maxBytes)
        return try parse(
            csv: bytes, file: path, target: target, features: features, weights: weights, forPrediction: false)
    }

    /// Loads inputs to evaluate a network on: like `load`, but the label column may be absent (then
    /// `hasLabels` is false) and a single row is enough.
    public static func loadInputs(
        csv path: String, target: String = "y", features: [String],
        maxBytes: Int = InputFile.defaultMaxBytes
    ) throws(DataError) -> Dataset {
        let bytes = try InputFile.read(path, maxBytes: maxBytes)
        return try parse(csv: bytes, file: path, target: target, features: features, forPrediction: true)
    }

    /// Parses CSV text already in memory; `file` is only used in error messages.
    public static func parse(
        csv text: String, file: String = "<input>", target: String = "y",
        features: [String]? = nil, weights: String? = nil
    ) throws(DataError) -> Dataset {
        try parse(
            csv: Array(text.utf8), file: file, target: target, features: features, weights: weights,
            forPrediction: false)
    }

    /// Parses CSV bytes already in memory (any bytes: invalid UTF-8 is replaced, never trapped on); `weights` as in
    /// `load`.
    public static func parse(
        csv bytes: [UInt8], file: String = "<input>", target: String = "y",
        features: [String]? = nil, weights: String? = nil
    ) throws(DataError) -> Dataset {
        try parse(csv: bytes, file: file, target: target, features: features, weights: weights, forPrediction: false)
    }

    private static func parse(
        csv bytes: [UInt8], file: String, target: String,
        features requested: [String]?, weights weightColumn: String? = nil, forPrediction: Bool
    ) throws(DataError) -> Dataset {
        var header: CSVHeader? = nil
        var rows: [[Double]] = []
        var labels: [Double] = []
        var weights: [Double] = []
        var lastDataLine = 0
        if let encoding = unreadableEncoding(of: bytes) {
            throw DataError(
                file: file, line: 1, column: 1,
                message: "the file is \(encoding) text; relulp reads UTF-8 (or ASCII) CSV files: convert it first, "
                    + "e.g. iconv -f \(encoding.split(separator: " ")[0]) -t UTF-8")
        }
        var records = CSVRecords(bytes, file: file)
        while let (lineNumber, fields) = try records.next() {
            guard let header else {
                var names: [String] = []
                for field in fields {
                    names.append(try text(of: field, line: lineNumber, file: file, in: "the header"))
                }
                header = try CSVHeader(
                    names, line: lineNumber, file: file, target: target,
                    features: requested, weights: weightColumn, forPrediction: forPrediction)
                continue
            }
            let (row, label) = try header.values(of: fields, line: lineNumber, file: file)
            rows.append(row)
            labels.append(label)
            if let w = try header.weight(of: fields, line: lineNumber, file: file) { weights.append(w) }
            lastDataLine = lineNumber
        }
        guard let header else {
            throw DataError(file: file, line: 1, column: 1, message: "empty file; expected a header row and data rows")
        }
        guard !rows.isEmpty else {
            throw DataError(file: file, line: header.line + 1, column: 1, message: "header only; no data rows")
        }
        guard rows.count >= 2 || forPrediction else {
            throw DataError(
                file: file, line: lastDataLine, column: 1,
                message: "a single data point; at least 2 are needed")
        }
        let featureNames = header.featureIndices.map { header.names[$0] }
        if forPrediction {
            // Shapes and finiteness were checked cell by cell above; n ≥ 2 is a training requirement only.
            var inputs = Dataset(unchecked: featureNames, targetName: target, features: rows, labels: labels)
            inputs.hasLabels = header.targetIndex >= 0
            return inputs
        }
        var data = try Dataset(featureNames: featureNames, targetName: target, features: rows, labels: labels)
        if header.weightIndex >= 0 {
            guard weights.contains(where: { $0 > 0 }) else {
                throw DataError(
                    file: file, line: header.line, column: header.weightIndex + 1,
                    message: "every weight in column '\(printable(weightColumn ?? ""))' is 0: nothing to fit")
            }
            data.sampleWeights = weights
        }
        return data
    }

    /// The column names of CSV bytes' header row (the first non-blank record), as the reader sees them; empty
    /// for a file without one or one the reader refuses. For matching a model's columns before the data are read.
    public static func columnNames(csv bytes: [UInt8]) -> [String] {
        guard unreadableEncoding(of: bytes) == nil else { return [] }
        var records = CSVRecords(bytes, file: "")
        return ((try? records.next())??.fields ?? []).map(cell)
    }

    /// The encoding of text that is UTF-16 or UTF-32 (by its byte order mark, or by the zero bytes ASCII text
    /// has in them), e.g. "UTF-16LE (with a byte order mark)"; nil for anything else.
    static func unreadableEncoding(of bytes: [UInt8]) -> String? {
        let marks: [([UInt8], String)] = [
            ([0x00, 0x00, 0xFE, 0xFF], "UTF-32BE"), ([0xFF, 0xFE, 0x00, 0x00], "UTF-32LE"),
            ([0xFE, 0xFF], "UTF-16BE"), ([0xFF, 0xFE], "UTF-16LE"),
        ]
        for (mark, name) in marks where bytes.starts(with: mark) { return name + " (with a byte order mark)" }
        // Without a mark: ASCII in UTF-16 or UTF-32 has a zero byte in fixed places of every 2 or 4 bytes.
        let head = bytes.prefix(4096)
        guard head.count >= 4, head.contains(0) else { return nil }
        for (width, name) in [(4, "UTF-32"), (2, "UTF-16")] {
            for (nonzero, endian) in [(0, "LE"), (width - 1, "BE")] {
                let units = head.count / width
                var fits = 0
                for u in 0..<units {
                    let unit = head[(u * width)..<(u * width + width)]
                    let offsets = unit.indices.map { $0 - unit.startIndex }
                    if zip(unit, offsets).allSatisfy({ ($1 == nonzero) == ($0 != 0) }) { fits += 1 }
                }
                if units > 0, fits * 10 >= units * 9 { return name + endian }
            }
        }
        return nil
    }

    /// `text` as one CSV field that this reader (and RFC 4180) reads back as `text`: in double quotes, with
    /// quotes doubled, when it holds a comma, a quote, a line end or surrounding spaces; else as it is.
    public static func csvField(_ text: String) -> String {
        let special = text.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
        let padded = text.utf8.first.map(isSpace) == true || text.utf8.last.map(isSpace) == true
        guard special || padded else { return text }
        var quoted = "\""
        for c in text { quoted += c == "\"" ? "\"\"" : String(c) }
        return quoted + "\""
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 13 }

    /// A field's text (`cell`), refusing control bytes other than tab and bytes that are not UTF-8: a NUL would
    /// end the number early when it is read (`1\u{0}99` as 1), and no other belongs in a CSV file.
    fileprivate static func text(
        of field: CSVField, line: Int, file: String, in place: @autoclosure () -> String
    ) throws(DataError) -> String {
        let bytes = field.bytes
        // A quoted field may hold line ends; tab is the only other control byte allowed.
        let quoted = field.quoted
        func control(_ b: UInt8) -> Bool {
            if b == 127 { return true }
            if b >= 32 || b == 9 { return false }
            return !(quoted && (b == 10 || b == 13))
        }
        if let k = bytes.firstIndex(where: control) {
            let byte = bytes[k]
            let name = byte == 0 ? "NUL byte" : "control byte 0x\(hex(byte))"
            throw DataError(
                file: file, line: line, column: field.column,
                message: "\(name) in \(place()) (byte \(k - bytes.startIndex + 1) of the field); "
                    + "a CSV file holds text only (is it a binary or UTF-16 file?)")
        }
        if let k = firstInvalidUTF8(bytes) {
            throw DataError(
                file: file, line: line, column: field.column,
                message: "byte 0x\(hex(bytes[k])) in \(place()) (byte \(k - bytes.startIndex + 1) of the field) is not "
                    + "UTF-8 (a Latin-1 or Windows-1252 file?): convert it first, e.g. iconv -f LATIN1 -t UTF-8")
        }
        return cell(field)
    }

    /// Two upper-case hexadecimal digits.
    private static func hex(_ byte: UInt8) -> String {
        (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    /// The index of the first byte that does not belong to valid UTF-8, nil when all do.
    private static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        var offset = bytes.startIndex
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// A field's text: surrounding whitespace removed (an unquoted field's; a quoted field's quotes are already
    /// gone and its text is kept as written), invalid UTF-8 replaced.
    fileprivate static func cell(_ field: CSVField) -> String {
        let bytes = field.bytes
        var lo = bytes.startIndex
        var hi = bytes.endIndex
        if !field.quoted {
            while lo < hi, isSpace(bytes[lo]) { lo += 1 }
            while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
        }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}

/// One field of a CSV record: its bytes (a quoted field's without the quotes, `""` read as `"`), its 1-based
/// column, and whether it was quoted.
struct CSVField {
    var bytes: ArraySlice<UInt8>
    var column: Int
    var quoted: Bool
}

/// The non-blank records of CSV bytes in the RFC 4180 dialect (after a UTF-8 byte order mark): fields separated
/// by commas; a field in double quotes may hold commas, line ends and doubled quotes (`""`); records end with
/// LF, CRLF or a lone CR (classic Mac). Each record comes with the 1-based line it starts on.
struct CSVRecords {
    let bytes: [UInt8]
    let file: String
    var position = 0
    /// The line of `bytes[position]`.
    var lineNumber = 1

    init(_ bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    /// The next record that is not blank; an unbalanced quote or text after a closing quote throws.
    mutating func next() throws(DataError) -> (line: Int, fields: [CSVField])? {
        while position < bytes.count {
            let line = lineNumber
            var fields: [CSVField] = []
            var blank = true
            while true {
                let field = try nextField(column: fields.count + 1)
                if field.quoted || field.bytes.contains(where: { !Dataset.isSpace($0) }) { blank = false }
                fields.append(field)
                guard position < bytes.count, bytes[position] == 44 else { break }
                position += 1
                blank = false
            }
            skipLineEnd()
            if !blank { return (line, fields) }
        }
        return nil
    }

    /// Consumes a line end (LF, CRLF or CR) at `position`, if there is one.
    private mutating func skipLineEnd() {
        guard position < bytes.count else { return }
        if bytes[position] == 13, position + 1 < bytes.count, bytes[position + 1] == 10 { position += 1 }
        position += 1
        lineNumber += 1
    }

    /// Reads one field up to (not including) the comma or line end that ends it.
    private mutating func nextField(column: Int) throws(DataError) -> CSVField {
        let start = position
        var k = position
        while k < bytes.count, bytes[k] == 32 || bytes[k] == 9 { k += 1 }
        guard k < bytes.count, bytes[k] == 34 else {
            while position < bytes.count, bytes[position] != 44, bytes[position] != 10, bytes[position] != 13 {
                position += 1
            }
            return CSVField(bytes: bytes[start..<position], column: column, quoted: false)
        }
        let openLine = lineNumber
        var content: [UInt8] = []
        var i = k + 1
        while true {
            guard i < bytes.count else {
                throw DataError(
                    file: file, line: openLine, column: column,
                    message: "the quoted field opened here is never closed (an unbalanced double quote)")
            }
            let b = bytes[i]
            if b == 34 {
                guard i + 1 < bytes.count, bytes[i + 1] == 34 else { break }
                i += 1
            } else if b == 10 || (b == 13 && !(i + 1 < bytes.count && bytes[i + 1] == 10)) {
                lineNumber += 1
            }
            content.append(b)
            i += 1
        }
        position = i + 1
        while position < bytes.count, bytes[position] == 32 || bytes[position] == 9 { position += 1 }
        if position < bytes.count, bytes[position] != 44, bytes[position] != 10, bytes[position] != 13 {
            throw DataError(
                file: file, line: lineNumber, column: column,
                message: "text after the closing quote of a quoted field (write a quote inside quotes as \"\")")
        }
        return CSVField(bytes: content[...], column: column, quoted: true)
    }
}

/// A CSV file's header row: the column names and which columns hold the label and the features.
private struct CSVHeader {
    let names: [String]
    /// The header's line number.
    let line: Int
    /// The label's column, −1 when a prediction input has none.
    let targetIndex: Int
    /// The feature columns, in the requested order (default: every other column in file order).
    let featureIndices: [Int]
    /// The sample weights' column, −1 for none.
    let weightIndex: Int

    /// Checks the names (none empty, none twice) and finds the target and the requested features.
    init(
        _ names: [String], line: Int, file: String, target: String, features requested: [String]?,
        weights: String? = nil, forPrediction: Bool
    ) throws(DataError) {
        var seen: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            if name.isEmpty {
                throw DataError(file: file, line: line, column: i + 1, message: "empty column name in the header")
            }
            if let first = seen[name] {
                throw DataError(
                    file: file, line: line, column: i + 1,
                    message: "duplicate column name '\(printable(name))' (also column \(first + 1))")
            }
            seen[name] = i
        }
        let columns = printable(names.joined(separator: ", "))
        guard let t = seen[target] ?? (forPrediction ? -1 : nil) else {
            throw DataError(
                file: file, line: line, column: 1,
                message: "no target column '\(printable(target))' in "
                    + "the header (columns: \(columns)); choose one with --target")
        }
        self.names = names
        self.line = line
        targetIndex = t
        let w = try Self.weightIndex(weights, seen: seen, target: t, line: line, file: file, columns: columns)
        weightIndex = w
        guard let requested else {
            featureIndices = names.indices.filter { $0 != t && $0 != w }
            return
        }
        var indices: [Int] = []
        var used: Set<String> = []
        for name in requested {
            guard let i = seen[name] else {
                throw DataError(
                    file: file, line: line, column: 1,
                    message: "no feature column '\(printable(name))' in the header (columns: \(columns))")
            }
            guard i != t else {
                throw DataError(
                    file: file, line: line, column: i + 1,
                    message: "column '\(printable(name))' is the target and cannot also be a feature")
            }
            guard i != w else {
                throw DataError(
                    file: file, line: line, column: i + 1,
                    message: "column '\(printable(name))' holds the sample weights and cannot also be a feature")
            }
            guard used.insert(name).inserted else {
                throw DataError(
                    file: file, line: line, column: 1,
                    message: "feature '\(printable(name))' requested twice")
            }
            indices.append(i)
        }
        featureIndices = indices
    }

    /// The weight column's index (−1 without one): present, and not the target.
    static func weightIndex(
        _ name: String?, seen: [String: Int], target: Int, line: Int, file: String, columns: String
    ) throws(DataError) -> Int {
        guard let name else { return -1 }
        guard let i = seen[name] else {
            throw DataError(
                file: file, line: line, column: 1,
                message: "no weight column '\(printable(name))' in the header (columns: \(columns))")
        }
        guard i != target else {
            throw DataError(
                file: file, line: line, column: i + 1,
                message: "column '\(printable(name))' is the target and cannot also hold the sample weights")
        }
        return i
    }

    /// The sample weight of one data row (nil without a weight column): a finite number ≥ 0.
    func weight(of fields: [CSVField], line: Int, file: String) throws(DataError) -> Double? {
        guard weightIndex >= 0 else { return nil }
        let w = try values(of: fields, line: line, file: file, columns: [weightIndex])[0]
        guard w >= 0 else {
            throw DataError(
                file: file, line: line, column: weightIndex + 1,
                message: "negative sample weight \(w) in column '\(printable(names[weightIndex]))'; weights must be ≥ 0"
            )
        }
        return w
    }

    /// The features and the label (0 without a label column) of one data row, every used cell a finite number.
    func values(of fields: [CSVField], line: Int, file: String) throws(DataError)
        -> (features: [Double], label: Double)
    {
        let row = try values(of: fields, line: line, file: file, columns: featureIndices)
        return (row, targetIndex < 0 ? 0 : try values(of: fields, line: line, file: file, columns: [targetIndex])[0])
    }

    /// The numbers in `columns` of one data row, every cell a finite number.
    func values(of fields: [CSVField], line: Int, file: String, columns: [Int]) throws(DataError) -> [Double] {
        guard fields.count == names.count else {
            throw DataError(
                file: file, line: line, column: min(fields.count, names.count) + 1,
                message: "row has \(fields.count) field\(fields.count == 1 ? "" : "s"), "
                    + "the header has \(names.count)")
        }
        func number(_ i: Int) throws(DataError) -> Double {
            let column = printable(names[i])
            _ = try Dataset.text(of: fields[i], line: line, file: file, in: "column '\(column)'")
            // A number is read without surrounding spaces, also those inside its quotes (`" 1.5 "`).
            var field = fields[i]
            field.quoted = false
            let text = Dataset.cell(field)
            guard let value = Double(text) else {
                throw DataError(
                    file: file, line: line, column: i + 1,
                    message: text.isEmpty
                        ? "empty cell in column '\(column)'"
                        : text.contains(",")
                            ? "'\(printable(text))' in column '\(column)' is not a number: a comma inside a quoted "
                                + "cell (a thousands separator or a decimal comma) is not read; write 1000 or 1.5"
                            : "non-numeric value '\(printable(text))' in column '\(column)'")
            }
            guard value.isFinite else {
                throw DataError(
                    file: file, line: line, column: i + 1,
                    message: "non-finite value '\(printable(text))' in column '\(column)'")
            }
            return value
        }
        var row: [Double] = []
        row.reserveCapacity(columns.count)
        for i in columns { row.append(try number(i)) }
        return row
    }
}
