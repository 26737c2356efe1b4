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
    /// or, by default, every other column in file order. Fields are separated by commas; surrounding
    /// whitespace and one pair of double quotes around a field are ignored; blank lines are skipped; a control
    /// byte (other than tab and CR) in the header or a used cell is refused.
    /// Duplicate points are valid. Every problem throws a `DataError` naming file, line and column.
    /// Files above `maxBytes` (and endless streams) are refused.
    public static func load(
        csv path: String, target: String = "y", features: [String]? = nil,
        maxBytes: Int = InputFile.defaultMaxBytes
    ) throws(DataError) -> Dataset {
        let bytes = try InputFile.read(path, maxBytes: maxBytes)
        return try parse(csv: bytes, file: path, target: target, features: features, forPrediction: false)
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
        features: [String]? = nil
    ) throws(DataError) -> Dataset {
        try parse(csv: Array(text.utf8), file: file, target: target, features: features, forPrediction: false)
    }

    /// Parses CSV bytes already in memory (any bytes: invalid UTF-8 is replaced, never trapped on).
    public static func parse(
        csv bytes: [UInt8], file: String = "<input>", target: String = "y",
        features: [String]? = nil
    ) throws(DataError) -> Dataset {
        try parse(csv: bytes, file: file, target: target, features: features, forPrediction: false)
    }

    private static func parse(
        csv bytes: [UInt8], file: String, target: String,
        features requested: [String]?, forPrediction: Bool
    ) throws(DataError) -> Dataset {
        var header: CSVHeader? = nil
        var rows: [[Double]] = []
        var labels: [Double] = []
        var lastDataLine = 0
        for (lineNumber, fields) in CSVRecords(bytes) {
            guard let header else {
                var names: [String] = []
                for (i, field) in fields.enumerated() {
                    names.append(try text(of: field, line: lineNumber, column: i + 1, file: file, in: "the header"))
                }
                header = try CSVHeader(
                    names, line: lineNumber, file: file, target: target,
                    features: requested, forPrediction: forPrediction)
                continue
            }
            let (row, label) = try header.values(of: fields, line: lineNumber, file: file)
            rows.append(row)
            labels.append(label)
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
        return try Dataset(featureNames: featureNames, targetName: target, features: rows, labels: labels)
    }

    /// The column names of CSV bytes' header row (the first non-blank line), as the reader sees them; empty
    /// for a file without one. For matching a model's columns before the data are read.
    public static func columnNames(csv bytes: [UInt8]) -> [String] {
        var records = CSVRecords(bytes)
        return records.next()?.fields.map(cell) ?? []
    }

    /// A field's text (`cell`), refusing control bytes other than tab and CR: a NUL would end the number early
    /// when it is read (`1\u{0}99` as 1), and no other belongs in a CSV file.
    fileprivate static func text(
        of field: ArraySlice<UInt8>, line: Int, column: Int, file: String, in place: @autoclosure () -> String
    ) throws(DataError) -> String {
        if let k = field.firstIndex(where: { ($0 < 32 && $0 != 9 && $0 != 13) || $0 == 127 }) {
            let byte = field[k]
            let name =
                byte == 0
                ? "NUL byte" : "control byte 0x\(byte < 16 ? "0" : "")\(String(byte, radix: 16, uppercase: true))"
            throw DataError(
                file: file, line: line, column: column,
                message: "\(name) in \(place()) (byte \(k - field.startIndex + 1) of the field); "
                    + "a CSV file holds text only (is it a binary or UTF-16 file?)")
        }
        return cell(field)
    }

    /// A field's text: surrounding whitespace and one pair of double quotes removed, invalid UTF-8 replaced.
    fileprivate static func cell(_ bytes: ArraySlice<UInt8>) -> String {
        var lo = bytes.startIndex
        var hi = bytes.endIndex
        func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 13 }
        while lo < hi, isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
        if hi - lo >= 2, bytes[lo] == 34, bytes[hi - 1] == 34 {
            lo += 1
            hi -= 1
        }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}

/// The non-blank lines of CSV bytes (after a UTF-8 byte order mark), each with its 1-based line number and
/// its comma-separated fields.
private struct CSVRecords: Sequence, IteratorProtocol {
    let bytes: [UInt8]
    var position = 0
    var lineNumber = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    mutating func next() -> (line: Int, fields: [ArraySlice<UInt8>])? {
        while position < bytes.count {
            lineNumber += 1
            var end = position
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            let line = bytes[position..<end]
            position = end + 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            var fields: [ArraySlice<UInt8>] = []
            var fieldStart = line.startIndex
            for i in line.indices where line[i] == 44 {
                fields.append(line[fieldStart..<i])
                fieldStart = i + 1
            }
            fields.append(line[fieldStart..<line.endIndex])
            return (lineNumber, fields)
        }
        return nil
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

    /// Checks the names (none empty, none twice) and finds the target and the requested features.
    init(
        _ names: [String], line: Int, file: String, target: String, features requested: [String]?,
        forPrediction: Bool
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
        guard let requested else {
            featureIndices = names.indices.filter { $0 != t }
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
            guard used.insert(name).inserted else {
                throw DataError(
                    file: file, line: line, column: 1,
                    message: "feature '\(printable(name))' requested twice")
            }
            indices.append(i)
        }
        featureIndices = indices
    }

    /// The features and the label (0 without a label column) of one data row, every used cell a finite number.
    func values(of fields: [ArraySlice<UInt8>], line: Int, file: String) throws(DataError)
        -> (features: [Double], label: Double)
    {
        guard fields.count == names.count else {
            throw DataError(
                file: file, line: line, column: min(fields.count, names.count) + 1,
                message: "row has \(fields.count) field\(fields.count == 1 ? "" : "s"), "
                    + "the header has \(names.count)")
        }
        func number(_ i: Int) throws(DataError) -> Double {
            let column = printable(names[i])
            let text = try Dataset.text(
                of: fields[i], line: line, column: i + 1, file: file, in: "column '\(column)'")
            guard let value = Double(text) else {
                throw DataError(
                    file: file, line: line, column: i + 1,
                    message: text.isEmpty
                        ? "empty cell in column '\(column)'"
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
        row.reserveCapacity(featureIndices.count)
        for i in featureIndices { row.append(try number(i)) }
        return (row, targetIndex < 0 ? 0 : try number(targetIndex))
    }
}
