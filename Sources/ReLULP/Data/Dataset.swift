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
    public init(featureNames: [String], targetName: String = "y", features: [[Double]], labels: [Double]) throws(DataError) {
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
    /// whitespace and one pair of double quotes around a field are ignored; blank lines are skipped.
    /// Duplicate points are valid. Every problem throws a `DataError` naming file, line and column.
    /// Files above `maxBytes` (and endless streams) are refused.
    public static func load(csv path: String, target: String = "y", features: [String]? = nil,
                            maxBytes: Int = InputFile.defaultMaxBytes) throws(DataError) -> Dataset {
        let bytes = try InputFile.read(path, maxBytes: maxBytes)
        return try parse(csv: bytes, file: path, target: target, features: features, forPrediction: false)
    }

    /// Loads inputs to evaluate a network on: like `load`, but the label column may be absent (then
    /// `hasLabels` is false) and a single row is enough.
    public static func loadInputs(csv path: String, target: String = "y", features: [String],
                                  maxBytes: Int = InputFile.defaultMaxBytes) throws(DataError) -> Dataset {
        let bytes = try InputFile.read(path, maxBytes: maxBytes)
        return try parse(csv: bytes, file: path, target: target, features: features, forPrediction: true)
    }

    /// Parses CSV text already in memory; `file` is only used in error messages.
    public static func parse(csv text: String, file: String = "<input>", target: String = "y",
                             features: [String]? = nil) throws(DataError) -> Dataset {
        try parse(csv: Array(text.utf8), file: file, target: target, features: features, forPrediction: false)
    }

    /// Parses CSV bytes already in memory (any bytes: invalid UTF-8 is replaced, never trapped on).
    public static func parse(csv bytes: [UInt8], file: String = "<input>", target: String = "y",
                             features: [String]? = nil) throws(DataError) -> Dataset {
        try parse(csv: bytes, file: file, target: target, features: features, forPrediction: false)
    }

    private static func cell(_ bytes: ArraySlice<UInt8>) -> String {
        var lo = bytes.startIndex, hi = bytes.endIndex
        func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 13 }
        while lo < hi, isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
        if hi - lo >= 2, bytes[lo] == 34, bytes[hi - 1] == 34 { lo += 1; hi -= 1 }
        return String(decoding: bytes[lo ..< hi], as: UTF8.self)
    }

    private static func parse(csv bytes: [UInt8], file: String, target: String,
                              features requested: [String]?, forPrediction: Bool) throws(DataError) -> Dataset {
        // Split into (line number, fields) for non-blank lines.
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 } // UTF-8 BOM
        var header: [String]? = nil
        var headerLine = 0
        var targetIndex = 0
        var featureIndices: [Int] = []
        var rows: [[Double]] = []
        var labels: [Double] = []
        var lastDataLine = 0
        var lineNumber = 0
        var position = start
        while position < bytes.count {
            lineNumber += 1
            var end = position
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            let line = bytes[position ..< end]
            position = end + 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            var fields: [ArraySlice<UInt8>] = []
            var fieldStart = line.startIndex
            for i in line.indices where line[i] == 44 {
                fields.append(line[fieldStart ..< i])
                fieldStart = i + 1
            }
            fields.append(line[fieldStart ..< line.endIndex])

            guard let names = header else {
                let names = fields.map(cell)
                var seen: [String: Int] = [:]
                for (i, name) in names.enumerated() {
                    if name.isEmpty {
                        throw DataError(file: file, line: lineNumber, column: i + 1, message: "empty column name in the header")
                    }
                    if let first = seen[name] {
                        throw DataError(file: file, line: lineNumber, column: i + 1,
                                        message: "duplicate column name '\(printable(name))' (also column \(first + 1))")
                    }
                    seen[name] = i
                }
                guard let t = seen[target] ?? (forPrediction ? -1 : nil) else {
                    throw DataError(file: file, line: lineNumber, column: 1,
                                    message: "no target column '\(printable(target))' in the header (columns: \(printable(names.joined(separator: ", ")))); choose one with --target")
                }
                targetIndex = t
                if let requested {
                    var used: Set<String> = []
                    for name in requested {
                        guard let i = seen[name] else {
                            throw DataError(file: file, line: lineNumber, column: 1,
                                            message: "no feature column '\(printable(name))' in the header (columns: \(printable(names.joined(separator: ", "))))")
                        }
                        guard i != t else {
                            throw DataError(file: file, line: lineNumber, column: i + 1,
                                            message: "column '\(printable(name))' is the target and cannot also be a feature")
                        }
                        guard used.insert(name).inserted else {
                            throw DataError(file: file, line: lineNumber, column: 1, message: "feature '\(printable(name))' requested twice")
                        }
                        featureIndices.append(i)
                    }
                } else {
                    featureIndices = names.indices.filter { $0 != t }
                }
                header = names
                headerLine = lineNumber
                continue
            }
            guard fields.count == names.count else {
                throw DataError(file: file, line: lineNumber, column: min(fields.count, names.count) + 1,
                                message: "row has \(fields.count) field\(fields.count == 1 ? "" : "s"), the header has \(names.count)")
            }
            func number(_ i: Int) throws(DataError) -> Double {
                let text = cell(fields[i])
                guard let value = Double(text) else {
                    throw DataError(file: file, line: lineNumber, column: i + 1,
                                    message: text.isEmpty ? "empty cell in column '\(printable(names[i]))'"
                                                          : "non-numeric value '\(printable(text))' in column '\(printable(names[i]))'")
                }
                guard value.isFinite else {
                    throw DataError(file: file, line: lineNumber, column: i + 1,
                                    message: "non-finite value '\(printable(text))' in column '\(printable(names[i]))'")
                }
                return value
            }
            var row: [Double] = []
            row.reserveCapacity(featureIndices.count)
            for i in featureIndices { row.append(try number(i)) }
            labels.append(targetIndex < 0 ? 0 : try number(targetIndex))
            rows.append(row)
            lastDataLine = lineNumber
        }
        guard let names = header else {
            throw DataError(file: file, line: 1, column: 1, message: "empty file; expected a header row and data rows")
        }
        guard !rows.isEmpty else {
            throw DataError(file: file, line: headerLine + 1, column: 1, message: "header only; no data rows")
        }
        guard rows.count >= 2 || forPrediction else {
            throw DataError(file: file, line: lastDataLine, column: 1, message: "a single data point; at least 2 are needed")
        }
        if forPrediction {
            // Shapes and finiteness were checked cell by cell above; n ≥ 2 is a training requirement only.
            var inputs = Dataset(unchecked: featureIndices.map { names[$0] }, targetName: target, features: rows, labels: labels)
            inputs.hasLabels = targetIndex >= 0
            return inputs
        }
        return try Dataset(featureNames: featureIndices.map { names[$0] }, targetName: target, features: rows, labels: labels)
    }
}
