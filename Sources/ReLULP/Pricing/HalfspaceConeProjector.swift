/// Euclidean projection onto a polyhedral cone given by inequalities, `K = {w : ⟨a_i, w⟩ ≥ 0}`, without its
/// extreme rays: by Moreau's decomposition `Π_K(x) = x − Π_{K°}(x)`, where the polar cone `K° = cone(−a_i)` is
/// given by generators, so `Π_{K°}` is a non-negative least-squares problem (Lawson–Hanson, passive columns
/// orthogonalised by the `GramSchmidt` kernel shared with `ConeProjector`). `max_{w ∈ K, ‖w‖ ≤ 1} ⟨x, w⟩ = ‖Π_K(x)‖`.
/// Scratch buffers are reused between calls: one projector per thread.
struct HalfspaceConeProjector {
    let dimension: Int
    private var passive: [Int] = []
    private var coefficients: [Double] = []
    private var z: [Double] = []
    private var factor: GramSchmidt
    private var excluded: [Bool] = []
    /// The passive columns `0 ..< factored` have a valid Gram–Schmidt factor (`factor`): a column
    /// that enters is orthogonalised against them only, a column that leaves invalidates those after it.
    private var factored = 0
    /// `U`'s rows are this far apart during one projection: at most `min(count, d)` columns are ever passive (distinct
    /// normals, independent in dimension d), so the factor needs no `d × d` room when d is large (issue 26, item 10).
    private var stride = 0

    init(dimension d: Int) {
        dimension = d
        factor = GramSchmidt(dimension: d)
        z = .init(repeating: 0, count: d)
        coefficients = .init(repeating: 0, count: d)
    }

    /// Projects `x` onto `{w : ⟨a_i, w⟩ ≥ 0, i < count}` (unit normals `normals[i*d ..< (i+1)*d]`), writes the
    /// projection into `out` and returns its norm.
    mutating func project(
        _ x: UnsafeBufferPointer<Double>, normals: UnsafeBufferPointer<Double>, count k: Int,
        into out: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        let d = dimension
        var xnorm2 = 0.0
        for t in 0..<d {
            out[t] = x[t]
            xnorm2 += x[t] * x[t]
        }
        guard k > 0, xnorm2 > 0 else { return xnorm2.squareRoot() }
        if excluded.count < k { excluded = .init(repeating: false, count: k) }
        for i in 0..<k { excluded[i] = false }
        passive.removeAll(keepingCapacity: true)
        factored = 0
        stride = min(k, d)
        factor.reserve(columns: stride, stride: stride)
        // The residual r = x − Σ_P c_t (−a_t) lives in `out`; the gradient of generator −a_i is ⟨−a_i, r⟩.
        let tol = 1e-14 * xnorm2.squareRoot()
        var outer = 0
        while outer < 4 * k + 8 {
            outer += 1
            var best = -1
            var bestValue = tol
            for i in 0..<k where !excluded[i] && !passive.contains(i) {
                var s = 0.0
                for t in 0..<d { s += normals[i * d + t] * out[t] }
                let g = -s
                if g > bestValue {
                    bestValue = g
                    best = i
                }
            }
            if best < 0 { break }
            guard passive.count < d else { break }
            let accepted = enter(best, x, normals: normals, count: k)
            if accepted { for i in 0..<k { excluded[i] = false } }
            // r = x + Σ_P c_t a_t.
            for t in 0..<d { out[t] = x[t] }
            for (t, i) in passive.enumerated() {
                let c = coefficients[t]
                for s in 0..<d { out[s] += c * normals[i * d + s] }
            }
        }
        var n2 = 0.0
        for t in 0..<d { n2 += out[t] * out[t] }
        return n2.squareRoot()
    }

    /// Lawson–Hanson's inner loop for the entering generator `best`: least squares on the passive set, stepping back
    /// to feasibility (dropping generators whose coefficient vanishes) until all coefficients are positive; true when
    /// that succeeded, false when the generator was dependent (then excluded) or the passive set emptied.
    private mutating func enter(
        _ best: Int, _ x: UnsafeBufferPointer<Double>, normals: UnsafeBufferPointer<Double>,
        count k: Int
    ) -> Bool {
        passive.append(best)
        coefficients[passive.count - 1] = 0
        var inner = 0
        while inner < 4 * k + 8 {
            inner += 1
            guard solvePassive(x, normals: normals) else {
                // The entering generator is (numerically) dependent on the passive ones: leave it out.
                if let at = passive.firstIndex(of: best) {
                    passive.remove(at: at)
                    factored = min(factored, at)
                    for t in at..<passive.count { coefficients[t] = coefficients[t + 1] }
                }
                excluded[best] = true
                return false
            }
            var feasible = true
            for t in 0..<passive.count where z[t] <= 0 { feasible = false }
            if feasible {
                for t in 0..<passive.count { coefficients[t] = z[t] }
                return true
            }
            var alpha = 1.0
            for t in 0..<passive.count where z[t] <= 0 {
                let denominator = coefficients[t] - z[t]
                if denominator > 0 { alpha = min(alpha, coefficients[t] / denominator) }
            }
            for t in 0..<passive.count { coefficients[t] += alpha * (z[t] - coefficients[t]) }
            var keep = 0
            for t in 0..<passive.count {
                if coefficients[t] > 1e-15 {
                    passive[keep] = passive[t]
                    coefficients[keep] = coefficients[t]
                    keep += 1
                } else {
                    factored = min(factored, keep)
                }
            }
            passive.removeLast(passive.count - keep)
            if passive.isEmpty { return false }
        }
        return false
    }

    /// `z = argmin ‖x − G_P z‖` over the passive generators `−a_i` (`GramSchmidt`, `U`'s rows `stride` apart,
    /// cut-off 1e-12); false when one is (numerically) in the span of the others.
    private mutating func solvePassive(_ x: UnsafeBufferPointer<Double>, normals: UnsafeBufferPointer<Double>) -> Bool {
        let d = dimension
        let p = passive.count
        for a in factored..<p {
            let i = passive[a]
            for t in 0..<d { factor.q[a * d + t] = -normals[i * d + t] }
        }
        for a in factored..<p {
            guard factor.orthogonalize(column: a, stride: stride, cutoff: 1e-12, x: x) else {
                factored = a
                return false
            }
        }
        factored = p
        factor.solve(count: p, stride: stride, into: &z)
        return true
    }
}
