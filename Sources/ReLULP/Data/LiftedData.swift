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

    /// `max_j ‖x̃_j‖`, rounded up: `|σ(⟨w, x̃_j⟩)| ≤` it for every unit `w` (the intercept's bound, §12).
    public var radius: Double {
        var largest = 0.0
        for j in 0..<count {
            largest = max(largest, self[point: j].reduce(0) { $0 + $1 * $1 })
        }
        return largest.squareRoot() * (1 + 4 * Double(dimension + 1) * Double.ulpOfOne)
    }

    /// The points `indices`, in that order.
    public func subset(_ indices: [Int]) -> LiftedData {
        LiftedData(count: indices.count, dimension: dimension, values: indices.flatMap { self[point: $0] })
    }

    /// Row `j` (indices of the slice are those of `values`: `j*d ..< (j+1)*d`).
    public subscript(point j: Int) -> ArraySlice<Double> {
        values[(j * dimension)..<((j + 1) * dimension)]
    }
}
