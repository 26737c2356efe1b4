/// The lifted points `x̃_j` as one row-major `n × d` matrix: `(x_j, 1)` with a bias, `x_j` without.
public struct LiftedData: Sendable, Equatable {
    /// n, the number of points.
    public var count: Int
    /// d, the dimension of every lifted point.
    public var dimension: Int
    /// Row-major `count × dimension`.
    public var values: [Double]

    public init(count: Int, dimension: Int, values: [Double]) {
        precondition(count >= 0 && dimension >= 0 && values.count == count * dimension,
                     "LiftedData: \(values.count) values for \(count) × \(dimension)")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// Row `j` (indices of the slice are those of `values`: `j*d ..< (j+1)*d`).
    public subscript(point j: Int) -> ArraySlice<Double> {
        values[(j * dimension) ..< ((j + 1) * dimension)]
    }
}
