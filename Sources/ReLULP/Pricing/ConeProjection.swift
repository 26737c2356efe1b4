/// Euclidean projection onto a polyhedral cone given by its generators (a dual region's extreme rays):
/// `Π(v) = R c*` with `c* = argmin_{c ≥ 0} ‖v − R c‖` (docs/mathematics.md §3), by the Lawson–Hanson active-set
/// method; each least-squares step orthogonalises the passive rays (modified Gram–Schmidt) rather than solving
/// normal equations, so rays a micro-radian apart (thin regions of clustered data) stay usable. Sizes are tiny (d ≤ 5, a handful of rays), so everything works in place on
/// scratch buffers; one projector per thread.
struct ConeProjector {
    let dimension: Int
    private var gram: [Double] = []
    private var b: [Double] = []
    private var x: [Double] = []
    private var z: [Double] = []
    private var passive: [Int] = []
    private var q: [Double] = []
    private var upper: [Double] = []
    private var rhs: [Double] = []
    private var vector: [Double] = []

    init(dimension: Int) { self.dimension = dimension }

    /// Projects `v` onto the cone spanned by the unit rays `rays[index[i]*d ..< (index[i]+1)*d]`; writes the
    /// projection into `out` (length d) and returns its norm, the maximum of ⟨v, w⟩ over the cone ∩ sphere.
    mutating func project(_ v: UnsafeBufferPointer<Double>, rays: UnsafeBufferPointer<Double>,
                          indices: ArraySlice<Int32>, into out: UnsafeMutableBufferPointer<Double>) -> Double {
        let d = dimension
        let k = indices.count
        let base = indices.startIndex
        for i in 0..<d { out[i] = 0 }
        if b.count < k {
            b = .init(repeating: 0, count: k); x = b; z = b
            gram = .init(repeating: 0, count: k * k)
            rhs = b
        }
        if vector.count < d { vector = .init(repeating: 0, count: d) }
        for t in 0..<d { vector[t] = v[t] }
        if rhs.count < max(k, d) { rhs = .init(repeating: 0, count: max(k, d)); z = rhs }
        var anyPositive = false
        var vnorm2 = 0.0
        for i in 0..<d { vnorm2 += v[i] * v[i] }
        for i in 0..<k {
            let r = Int(indices[base + i]) * d
            var s = 0.0
            for t in 0..<d { s += rays[r + t] * v[t] }
            b[i] = s
            x[i] = 0
            if s > 0 { anyPositive = true }
        }
        // v in the polar cone: the projection is the apex.
        guard anyPositive else { return 0 }
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
        passive.removeAll(keepingCapacity: true)
        let tol = 1e-13 * vnorm2.squareRoot()
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
                if w > bestValue { bestValue = w; best = i }
            }
            if best < 0 { break }
            passive.append(best)
            var inner = 0
            while inner < 4 * k + 4 {
                inner += 1
                guard solvePassive(rays: rays, indices: indices) else {
                    // The entering ray is (numerically) dependent on the passive ones: leave it out.
                    passive.removeLast()
                    excluded.insert(best)
                    break
                }
                var feasible = true
                for (t, i) in passive.enumerated() where z[t] <= 0 { _ = i; feasible = false }
                if feasible {
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
        for i in passive {
            let r = Int(indices[base + i]) * d
            for t in 0..<d { out[t] += x[i] * rays[r + t] }
        }
        var n2 = 0.0
        for t in 0..<d { n2 += out[t] * out[t] }
        return n2.squareRoot()
    }

    /// Least squares `min ‖v − R_P z‖` over the passive rays by modified Gram–Schmidt (`R_P = Q U`,
    /// `z = U⁻¹ Qᵀ v`, with `Qᵀ v` accumulated in the same sweep); false when a passive ray is (numerically) in
    /// the span of the others.
    private mutating func solvePassive(rays: UnsafeBufferPointer<Double>, indices: ArraySlice<Int32>) -> Bool {
        let d = dimension
        let p = passive.count
        let base = indices.startIndex
        if q.count < d * p { q = .init(repeating: 0, count: d * max(p, d)) }
        if upper.count < p * p { upper = .init(repeating: 0, count: max(p, d) * max(p, d)) }
        for a in 0..<p {
            let r = Int(indices[base + passive[a]]) * d
            for t in 0..<d { q[a * d + t] = rays[r + t] }
        }
        for a in 0..<p {
            for c in 0..<a {
                var s = 0.0
                for t in 0..<d { s += q[c * d + t] * q[a * d + t] }
                upper[c * p + a] = s
                for t in 0..<d { q[a * d + t] -= s * q[c * d + t] }
            }
            var n2 = 0.0
            for t in 0..<d { n2 += q[a * d + t] * q[a * d + t] }
            let norm = n2.squareRoot()
            guard norm > 1e-13 else { return false }
            upper[a * p + a] = norm
            for t in 0..<d { q[a * d + t] /= norm }
            // Qᵀ v for this column (b[] is not used here; rhs holds Qᵀv).
            var s = 0.0
            for t in 0..<d { s += q[a * d + t] * vector[t] }
            rhs[a] = s
        }
        for a in stride(from: p - 1, through: 0, by: -1) {
            var s = rhs[a]
            for c in (a + 1)..<max(a + 1, p) { s -= upper[a * p + c] * z[c] }
            z[a] = s / upper[a * p + a]
        }
        return true
    }
}
