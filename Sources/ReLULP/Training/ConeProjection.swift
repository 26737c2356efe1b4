/// Euclidean projection onto a polyhedral cone given by its generators (a dual region's extreme rays):
/// `Π(v) = R c*` with `c* = argmin_{c ≥ 0} ‖v − R c‖` (mathematics.md §3), by the Lawson–Hanson active-set
/// method on the Gram matrix. Sizes are tiny (d ≤ 5, a handful of rays), so everything works in place on
/// scratch buffers; one projector per thread.
struct ConeProjector {
    let dimension: Int
    private var gram: [Double] = []
    private var b: [Double] = []
    private var x: [Double] = []
    private var z: [Double] = []
    private var passive: [Int] = []
    private var chol: [Double] = []
    private var rhs: [Double] = []

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
            chol = gram; rhs = b
        }
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
                guard solvePassive(k: k) else {
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

    /// Solves G_PP z = b_P by Cholesky; false when G_PP is numerically singular.
    private mutating func solvePassive(k: Int) -> Bool {
        let p = passive.count
        for a in 0..<p {
            for c in 0...a {
                var s = gram[passive[a] * k + passive[c]]
                for t in 0..<c { s -= chol[a * p + t] * chol[c * p + t] }
                if a == c {
                    guard s > 1e-12 else { return false }
                    chol[a * p + a] = s.squareRoot()
                } else {
                    chol[a * p + c] = s / chol[c * p + c]
                }
            }
        }
        for a in 0..<p {
            var s = b[passive[a]]
            for t in 0..<a { s -= chol[a * p + t] * rhs[t] }
            rhs[a] = s / chol[a * p + a]
        }
        for a in stride(from: p - 1, through: 0, by: -1) {
            var s = rhs[a]
            for t in (a + 1)..<max(a + 1, p) { s -= chol[t * p + a] * z[t] }
            z[a] = s / chol[a * p + a]
        }
        return true
    }
}
