/// Input checks run before every call into CLP or GLPK. GLPK `abort()`s the process on a duplicate or
/// out-of-range row index, and both libraries silently misbehave on NaN, so nothing unchecked reaches C.
extension LinearProgram {
    /// Largest row/column count and number of matrix entries the C interfaces can address (`int` indices,
    /// `CoinBigIndex` = `Int32` column starts, 1-based arrays in GLPK).
    public static let maximumCIndex = Int(Int32.max) - 1

    /// Throws `LPError.invalidModel` naming the first offending row, column or value: mismatched
    /// `rowLower`/`rowUpper` counts, NaN or wrongly-signed infinite bounds, lower > upper, non-finite costs or
    /// entries, `rows`/`values` length mismatch, row indices out of range or repeated within a column.
    public func validate() throws(LPError) {
        guard rowLower.count == rowUpper.count else {
            throw .invalidModel("rowLower has \(rowLower.count) entries but rowUpper has \(rowUpper.count)")
        }
        guard rowLower.count <= Self.maximumCIndex, columns.count <= Self.maximumCIndex else {
            throw .invalidModel("\(rowLower.count) rows × \(columns.count) columns exceed the C index range")
        }
        for i in rowLower.indices {
            try Self.checkBounds(lower: rowLower[i], upper: rowUpper[i], what: "row \(i)")
        }
        try Self.validate(columns: columns, rows: numberOfRows)
    }

    /// Checks `columns` against a model with `rows` rows, as `addColumns` needs. `firstIndex` is the index
    /// the first column will get (the current column count), so messages name the final column index.
    public static func validate(columns: [LPColumn], rows: Int, firstIndex: Int = 0) throws(LPError) {
        guard rows >= 0 else { throw .invalidModel("negative number of rows \(rows)") }
        guard firstIndex + columns.count <= maximumCIndex else {
            throw .invalidModel("\(firstIndex + columns.count) columns exceed the C index range")
        }
        var stamp = [Int](repeating: 0, count: rows)
        var entries = 0
        for (k, column) in columns.enumerated() {
            let j = firstIndex + k
            guard column.cost.isFinite else { throw .invalidModel("column \(j): cost \(column.cost) is not finite") }
            try checkBounds(lower: column.lower, upper: column.upper, what: "column \(j)")
            try checkEntries(
                column.rows, column.values, of: "column \(j)", indexing: "row", count: rows,
                stamp: &stamp, mark: k + 1)
            entries += column.rows.count
            guard entries <= maximumCIndex else {
                throw .invalidModel("more than \(maximumCIndex) matrix entries (at column \(j))")
            }
        }
    }

    /// The entries of one sparse column (or row) `owner`: as many indices as values, indices into `0..<count` and
    /// none twice (`stamp[i] == mark` marks index i as used by this one: one O(count) array, O(nnz) work), finite
    /// values.
    static func checkEntries(
        _ indices: [Int], _ values: [Double], of owner: String, indexing name: String, count: Int,
        stamp: inout [Int], mark: Int
    ) throws(LPError) {
        guard indices.count == values.count else {
            throw .invalidModel("\(owner): \(indices.count) \(name) indices but \(values.count) values")
        }
        for (index, value) in zip(indices, values) {
            guard index >= 0, index < count else {
                throw .invalidModel("\(owner): \(name) index \(index) is out of range 0..<\(count)")
            }
            guard value.isFinite else {
                throw .invalidModel("\(owner): value \(value) in \(name) \(index) is not finite")
            }
            guard stamp[index] != mark else { throw .invalidModel("\(owner): \(name) index \(index) appears twice") }
            stamp[index] = mark
        }
    }

    /// Bounds may be infinite only outwards (lower −∞, upper +∞) and must satisfy lower ≤ upper.
    static func checkBounds(lower: Double, upper: Double, what: String) throws(LPError) {
        guard !lower.isNaN, lower != .infinity else { throw .invalidModel("\(what): lower bound \(lower) is invalid") }
        guard !upper.isNaN, upper != -.infinity else { throw .invalidModel("\(what): upper bound \(upper) is invalid") }
        guard lower <= upper else { throw .invalidModel("\(what): lower bound \(lower) > upper bound \(upper)") }
    }
}

extension LPOptions {
    /// Throws `LPError.invalidOption` for settings a backend would reject (GLPK aborts on a tolerance
    /// outside (0, 1)): tolerances in (0, 1), limits non-negative and not NaN.
    public func validate() throws(LPError) {
        guard primalTolerance > 0, primalTolerance < 1 else {
            throw .invalidOption("primalTolerance \(primalTolerance) is not in (0, 1)")
        }
        guard dualTolerance > 0, dualTolerance < 1 else {
            throw .invalidOption("dualTolerance \(dualTolerance) is not in (0, 1)")
        }
        if let limit = iterationLimit, limit < 0 {
            throw .invalidOption("iterationLimit \(limit) is negative")
        }
        if let limit = timeLimit, !(limit >= 0) {
            throw .invalidOption("timeLimit \(limit) is negative or NaN")
        }
    }
}

/// Wall-clock seconds of a `ContinuousClock` duration.
func elapsedSeconds(_ duration: Duration) -> Double {
    let (s, atto) = duration.components
    return Double(s) + Double(atto) * 1e-18
}

/// Contiguous column-major (CSC) arrays of some columns, 0-based rows, as both C loaders want them.
struct CSCColumns {
    var starts: [Int32] = [0]
    var rows: [Int32] = []
    var values: [Double] = []
    var lower: [Double] = []
    var upper: [Double] = []
    var cost: [Double] = []

    /// Packs already validated columns (indices fit `Int32`).
    init(_ columns: [LPColumn]) {
        let nnz = columns.reduce(0) { $0 + $1.rows.count }
        starts.reserveCapacity(columns.count + 1)
        rows.reserveCapacity(nnz)
        values.reserveCapacity(nnz)
        for column in columns {
            rows.append(contentsOf: column.rows.lazy.map { Int32($0) })
            values.append(contentsOf: column.values)
            starts.append(Int32(rows.count))
            lower.append(column.lower)
            upper.append(column.upper)
            cost.append(column.cost)
        }
    }
}

extension LinearProgram {
    /// Checks a cost update: equal lengths, indices of existing columns, finite costs.
    public static func validate(costs: [Double], columns: [Int], numberOfColumns: Int) throws(LPError) {
        guard costs.count == columns.count else {
            throw .invalidModel("cost update: \(costs.count) costs for \(columns.count) column indices")
        }
        for (cost, column) in zip(costs, columns) {
            guard column >= 0, column < numberOfColumns else {
                throw .invalidModel("cost update: column index \(column) outside 0..<\(numberOfColumns)")
            }
            guard cost.isFinite else {
                throw .invalidModel("cost update: column \(column): cost \(cost) is not finite")
            }
        }
    }
}

extension LinearProgram {
    /// Checks rows to be added to a model with `columns` columns: valid bounds, finite values, column indices in
    /// range and not repeated within a row. `firstIndex` is the index the first row will get.
    public static func validate(rows: [LPRow], columns: Int, firstIndex: Int = 0) throws(LPError) {
        guard columns >= 0 else { throw .invalidModel("negative number of columns \(columns)") }
        guard firstIndex + rows.count <= maximumCIndex else {
            throw .invalidModel("\(firstIndex + rows.count) rows exceed the C index range")
        }
        var stamp = [Int](repeating: 0, count: columns)
        var entries = 0
        for (k, row) in rows.enumerated() {
            let i = firstIndex + k
            try checkBounds(lower: row.lower, upper: row.upper, what: "row \(i)")
            try checkEntries(
                row.columns, row.values, of: "row \(i)", indexing: "column", count: columns,
                stamp: &stamp, mark: k + 1)
            entries += row.columns.count
            guard entries <= maximumCIndex else {
                throw .invalidModel("more than \(maximumCIndex) matrix entries (at row \(i))")
            }
        }
    }

    /// Checks a deletion of rows or columns (`what`): indices of existing ones, each once.
    public static func validate(removing indices: [Int], count: Int, what: String) throws(LPError) {
        var seen = Set<Int>()
        for index in indices {
            guard index >= 0, index < count else {
                throw .invalidModel("\(what) deletion: index \(index) outside 0..<\(count)")
            }
            guard seen.insert(index).inserted else {
                throw .invalidModel("\(what) deletion: index \(index) appears twice")
            }
        }
    }

    /// Checks a bound update: equal lengths, indices of existing columns, valid bounds.
    public static func validate(
        lower: [Double], upper: [Double], columns: [Int],
        numberOfColumns: Int
    ) throws(LPError) {
        guard lower.count == columns.count, upper.count == columns.count else {
            throw .invalidModel(
                "bound update: \(lower.count) lower and \(upper.count) upper bounds for "
                    + "\(columns.count) column indices")
        }
        for (k, column) in columns.enumerated() {
            guard column >= 0, column < numberOfColumns else {
                throw .invalidModel("bound update: column index \(column) outside 0..<\(numberOfColumns)")
            }
            try checkBounds(lower: lower[k], upper: upper[k], what: "bound update: column \(column)")
        }
    }
}
