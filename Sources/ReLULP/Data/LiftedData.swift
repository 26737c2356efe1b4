/// The lifted points `x̃_j` as one row-major `n × d` matrix: `(x_j, 1)` with a bias, `x_j` without.
public struct LiftedData: Sendable, Equatable {
    /// n, the number of points.
    public var count: Int
    /// d, the dimension of every lifted point.
    public var dimension: Int
    /// Row-major `count × dimension`.
    public var values: [Double]

    public init(count: Int, dimension: Int, values: [Double]) {
        precondition(
            count >= 0 && dimension >= 0 && values.count == count * dimension,
            "LiftedData: \(values.count) values for \(count) × \(dimension)")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// The largest coordinate magnitude the geometry and the LPs are given. Beyond it squared norms lose their
    /// precision (and from 1e154 overflow: 1e200 made every point "zero" and the zero network "optimal"), and the
    /// LP backends fail as they do on huge labels.
    public static let maxMagnitude = 1e15

    /// The first point with a coordinate that is not finite or beyond `±maxMagnitude`, and that coordinate.
    public func firstUnusableCoordinate() -> (point: Int, value: Double)? {
        guard let i = values.firstIndex(where: { !$0.isFinite || abs($0) > Self.maxMagnitude }) else { return nil }
        return (i / dimension, values[i])
    }

    /// Row `j` (indices of the slice are those of `values`: `j*d ..< (j+1)*d`).
    public subscript(point j: Int) -> ArraySlice<Double> {
        values[(j * dimension)..<((j + 1) * dimension)]
    }
}
