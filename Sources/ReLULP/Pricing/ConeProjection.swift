/// Euclidean projection onto a polyhedral cone given by its generators (a dual region's extreme rays):
/// `Π(v) = R c*` with `c* = argmin_{c ≥ 0} ‖v − R c‖` (docs/mathematics.md §3), by the Lawson–Hanson active-set
/// method; each least-squares step orthogonalises the passive rays (`GramSchmidt`) rather than solving normal
/// equations, so rays a micro-radian apart (thin regions of clustered data) stay usable. Sizes are tiny (d ≤ 5, a
/// handful of rays), so everything works in place on scratch buffers; one projector per thread.
struct ConeProjector {
    let dimension: Int
    private var gram: [Double] = []
    private var b: [Double] = []
    private var x: [Double] = []
    private var z: [Double] = []
    private var passive: [Int] = []
    private var factor: GramSchmidt

    init(dimension: Int) {
        self.dimension = dimension
        factor = GramSchmidt(dimension: dimension)
    }

    /// Projects `v` onto the cone spanned by the unit rays `rays[index[i]*d ..< (index[i]+1)*d]`; writes the
    /// projection into `out` (length d) and returns its norm, the maximum of ⟨v, w⟩ over the cone ∩ sphere.
    mutating func project(
        _ v: UnsafeBufferPointer<Double>, rays: UnsafeBufferPointer<Double>,
        indices: ArraySlice<Int32>, into out: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        let d = dimension
        let base = indices.startIndex
        for i in 0..<d { out[i] = 0 }
        // v in the polar cone: the projection is the apex.
        guard loadGram(v, rays: rays, indices: indices) else { return 0 }
        var vnorm2 = 0.0
        for i in 0..<d { vnorm2 += v[i] * v[i] }
        solveNonNegative(v, rays: rays, indices: indices, tolerance: 1e-13 * vnorm2.squareRoot())
        for i in passive {
            let r = Int(indices[base + i]) * d
            for t in 0..<d { out[t] += x[i] * rays[r + t] }
        }
        var n2 = 0.0
        for t in 0..<d { n2 += out[t] * out[t] }
        return n2.squareRoot()
    }

    /// Sizes the scratch buffers and sets `b = Rᵀv`, `x = 0` and the Gram matrix `RᵀR`; false when no ray has
    /// `⟨r, v⟩ > 0` (then the projection is 0).
    private mutating func loadGram(
        _ v: UnsafeBufferPointer<Double>, rays: UnsafeBufferPointer<Double>,
        indices: ArraySlice<Int32>
    ) -> Bool {
        let d = dimension
        let k = indices.count
        let base = indices.startIndex
        if b.count < k {
            b = .init(repeating: 0, count: k)
            x = b
            gram = .init(repeating: 0, count: k * k)
        }
        if z.count < max(k, d) { z = .init(repeating: 0, count: max(k, d)) }
        var anyPositive = false
        for i in 0..<k {
            let r = Int(indices[base + i]) * d
            var s = 0.0
            for t in 0..<d { s += rays[r + t] * v[t] }
            b[i] = s
            x[i] = 0
            if s > 0 { anyPositive = true }
        }
        guard anyPositive else { return false }
        for i in 0..<k {
            let ri = Int(indices[base + i]) * d
            for j in i..<k {
                let rj = Int(indices[base + j]) * d
                var s = 0.0
                for t in 0..<d { s += rays[ri + t] * rays[rj + t] }
                gram[i * k + j] = s
                gram[j * k + i] = s
            }
        }
        return true
    }

    /// Lawson–Hanson on `min_{x ≥ 0} ‖v − R x‖`: the passive set and `x` on exit.
    private mutating func solveNonNegative(
        _ v: UnsafeBufferPointer<Double>, rays: UnsafeBufferPointer<Double>,
        indices: ArraySlice<Int32>, tolerance tol: Double
    ) {
        let k = indices.count
        passive.removeAll(keepingCapacity: true)
        var excluded = Set<Int>()
        var outer = 0
        while outer < 4 * k + 4 {
            outer += 1
            // Gradient w = b − G x; the most promising inactive generator enters.
            var best = -1
            var bestValue = tol
            for i in 0..<k where !passive.contains(i) && !excluded.contains(i) {
                var w = b[i]
                for j in passive { w -= gram[i * k + j] * x[j] }
                if w > bestValue {
                    bestValue = w
                    best = i
                }
            }
            if best < 0 { break }
            passive.append(best)
            var inner = 0
            while inner < 4 * k + 4 {
                inner += 1
                guard solvePassive(v, rays: rays, indices: indices) else {
                    // The entering ray is (numerically) dependent on the passive ones: leave it out.
                    passive.removeLast()
                    excluded.insert(best)
                    break
                }
                if !passive.indices.contains(where: { z[$0] <= 0 }) {
                    for (t, i) in passive.enumerated() { x[i] = z[t] }
                    excluded.removeAll(keepingCapacity: true)
                    break
                }
                var alpha = 1.0
                for (t, i) in passive.enumerated() where z[t] <= 0 {
                    let denom = x[i] - z[t]
                    if denom > 0 { alpha = min(alpha, x[i] / denom) }
                }
                for (t, i) in passive.enumerated() { x[i] += alpha * (z[t] - x[i]) }
                passive.removeAll { x[$0] <= 1e-15 }
                for i in 0..<k where !passive.contains(i) { x[i] = 0 }
                if passive.isEmpty { break }
            }
        }
    }

    /// Least squares `min ‖v − R_P z‖` over the passive rays (`GramSchmidt`, `U`'s rows `p` apart, cut-off 1e-13);
    /// false when a passive ray is (numerically) in the span of the others.
    private mutating func solvePassive(
        _ v: UnsafeBufferPointer<Double>, rays: UnsafeBufferPointer<Double>,
        indices: ArraySlice<Int32>
    ) -> Bool {
        let d = dimension
        let p = passive.count
        let base = indices.startIndex
        factor.reserve(columns: p, stride: p)
        for a in 0..<p {
            let r = Int(indices[base + passive[a]]) * d
            for t in 0..<d { factor.q[a * d + t] = rays[r + t] }
        }
        for a in 0..<p {
            guard factor.orthogonalize(column: a, stride: p, cutoff: 1e-13, x: v) else { return false }
        }
        factor.solve(count: p, stride: p, into: &z)
        return true
    }
}
