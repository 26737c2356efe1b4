/// A linear program in column form, the shape column generation needs:
///
///     minimise  Σ_k c_k x_k   subject to   rowLower ≤ A x ≤ rowUpper,   columnLower ≤ x ≤ columnUpper.
///
/// Bounds may be infinite (`-Double.infinity` / `Double.infinity`); equal row bounds make an equality row,
/// distinct finite ones a ranged row. Value type: build it, validate it, hand it to any `LPSolver`.
public struct LinearProgram: Sendable, Equatable {
    public var rowLower: [Double]
    public var rowUpper: [Double]
    public var columns: [LPColumn]

    public init(rowLower: [Double], rowUpper: [Double], columns: [LPColumn] = []) {
        self.rowLower = rowLower
        self.rowUpper = rowUpper
        self.columns = columns
    }

    /// `rows` equality rows `A x = rhs`.
    public init(equalityRows rhs: [Double], columns: [LPColumn] = []) {
        self.init(rowLower: rhs, rowUpper: rhs, columns: columns)
    }

    public var numberOfRows: Int { rowLower.count }
    public var numberOfColumns: Int { columns.count }
}

/// One column of a `LinearProgram`: its cost, bounds and sparse entries (`rows[i]`, `values[i]`; 0-based rows).
public struct LPColumn: Sendable, Equatable {
    public var cost: Double
    public var lower: Double
    public var upper: Double
    public var rows: [Int]
    public var values: [Double]

    public init(cost: Double, lower: Double = 0, upper: Double = .infinity, rows: [Int], values: [Double]) {
        self.cost = cost
        self.lower = lower
        self.upper = upper
        self.rows = rows
        self.values = values
    }
}

/// One row `lower ≤ Σ_i values[i] · x[columns[i]] ≤ upper` added to a loaded model (0-based columns).
public struct LPRow: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var columns: [Int]
    public var values: [Double]

    public init(lower: Double = -.infinity, upper: Double = .infinity, columns: [Int], values: [Double]) {
        self.lower = lower
        self.upper = upper
        self.columns = columns
        self.values = values
    }
}
