/// The least-squares kernel of both cone projections (`ConeProjector`, `HalfspaceConeProjector`): the passive
/// generators `G_P` factored by modified Gram–Schmidt, `G_P = Q U`, and `z = U⁻¹ Qᵀ x`. Orthogonalising instead of
/// solving normal equations keeps generators a micro-radian apart usable. Column `a` of `Q` is stored at
/// `q[a·d ..< (a+1)·d]`, entry `(c, a)` of `U` at `upper[c·stride + a]`; each caller passes its own cut-off.
struct GramSchmidt {
    let dimension: Int
    var q: [Double] = []
    var upper: [Double] = []
    /// `Qᵀ x`, one entry per factored column.
    var rhs: [Double] = []

    init(dimension: Int) { self.dimension = dimension }

    /// Makes room for `columns` columns with `U`'s rows `stride` apart. Only that much: the passive set never has
    /// more columns than there are generators (at most n, the data points), so sizing by the dimension `d` instead
    /// would allocate a `d × d` matrix, 320 GB for 200,000 features (issue 26, item 10). Existing values are kept.
    mutating func reserve(columns: Int, stride: Int) {
        let d = dimension
        if q.count < d * columns { q += [Double](repeating: 0, count: d * columns - q.count) }
        if upper.count < columns * stride { upper += [Double](repeating: 0, count: columns * stride - upper.count) }
        if rhs.count < columns { rhs += [Double](repeating: 0, count: columns - rhs.count) }
    }

    /// One Gram–Schmidt step: orthogonalises column `a` (already written into `q`) against the columns before it,
    /// normalises it and stores `⟨q_a, x⟩`; false when its remaining norm is at most `cutoff` (the column is
    /// numerically in the span of the others).
    mutating func orthogonalize(column a: Int, stride: Int, cutoff: Double, x: UnsafeBufferPointer<Double>) -> Bool {
        let d = dimension
        for c in 0..<a {
            var s = 0.0
            for t in 0..<d { s += q[c * d + t] * q[a * d + t] }
            upper[c * stride + a] = s
            for t in 0..<d { q[a * d + t] -= s * q[c * d + t] }
        }
        var n2 = 0.0
        for t in 0..<d { n2 += q[a * d + t] * q[a * d + t] }
        let norm = n2.squareRoot()
        guard norm > cutoff else { return false }
        upper[a * stride + a] = norm
        var s = 0.0
        for t in 0..<d {
            q[a * d + t] /= norm
            s += q[a * d + t] * x[t]
        }
        rhs[a] = s
        return true
    }

    /// `z = U⁻¹ Qᵀ x` over the first `count` columns (back substitution).
    func solve(count p: Int, stride: Int, into z: inout [Double]) {
        for a in Swift.stride(from: p - 1, through: 0, by: -1) {
            var s = rhs[a]
            for c in (a + 1)..<max(a + 1, p) { s -= upper[a * stride + c] * z[c] }
            z[a] = s / upper[a * stride + a]
        }
    }
}
