/// The joint move of all atoms (docs/mathematics.md §4b): with each atom's activation pattern fixed, (P) in the
/// atoms' moments `m_i = |a_i| w_i` is convex over the product of their closed dual regions, and an accelerated
/// proximal gradient method on it (the L1 and hinge losses smoothed, a cone projection and a norm shrink per atom)
/// moves directions and amplitudes together, into a region's interior or onto the right face, where the LP mixes
/// ray columns. Only a proposal: its network is scored with its true activations and kept only when it is better
/// than the start, and its dual is priced like any other.
public struct JointMove: Sendable {
    public let points: LiftedData
    public let targets: [Double]
    public let loss: Loss
    /// The sample weights (mean 1), nil without.
    public let weights: [Double]?

    public init(points: LiftedData, targets: [Double], loss: Loss, weights: [Double]? = nil) {
        (self.points, self.targets, self.loss, self.weights) = (points, targets, loss, weights)
    }

    /// A moved network: its atoms, its objective in the master's scaling (`c Σ v_j ℓ(r_j) + Σ |a_i|`, exact for
    /// its true activations) and the smoothed loss's gradient `u_j = c v_j ℓ'_δ(r_j)` there, a dual in the loss's box.
    public struct Moved: Sendable {
        public var atoms: [DiracAtom]
        public var objective: Double
        public var dual: [Double]
    }

    /// The most proximal steps of one move, over all smoothing widths, and the work (atoms × points × dimension ×
    /// steps) that caps them on large problems, where a move would cost more than a master solve.
    static let maxSteps = 120
    static let maxWork = 1e8

    /// Moves `network` (merged, one atom per region side) for the data-term weight `c` (`1/(nλ)`); `dual` (the
    /// master's, in the loss's box) decides for a point on an atom's hyperplane on which side the atom may move:
    /// into its active side where activating it lowers the objective (`s_i u_j > 0`). Returns the best iterate,
    /// nil when it is no better than the start or `stop` says so.
    public func move(network: [DiracAtom], dual: [Double], residualCost c: Double, stop: () -> Bool = { false })
        -> Moved?
    {
        let n = points.count
        let d = points.dimension
        let k = network.count
        guard k > 0, n > 0 else { return nil }
        // Each atom's region: the normals σ_j x̃_j/‖x̃_j‖ with σ_j = +1 on its active points, −1 elsewhere.
        var active = [[Bool]](repeating: [], count: k)
        var normals = [[Double]](repeating: [], count: k)
        let signs = network.map { $0.amplitude > 0 ? 1.0 : -1.0 }
        for (i, atom) in network.enumerated() {
            var mask = [Bool](repeating: false, count: n)
            var rows = [Double](repeating: 0, count: n * d)
            for j in 0..<n {
                let x = points[point: j]
                let length = norm(x)
                guard length > 0 else { continue }
                let t = dot(atom.weights, x)
                mask[j] = abs(t) <= 1e-9 * length ? signs[i] * dual[j] > 0 : t > 0
                let sigma = mask[j] ? 1 / length : -1 / length
                var e = x.startIndex
                for s in 0..<d {
                    rows[j * d + s] = sigma * x[e]
                    x.formIndex(after: &e)
                }
            }
            active[i] = mask
            normals[i] = rows
        }
        var current = network.flatMap { atom in atom.weights.map { abs(atom.amplitude) * $0 } }
        let start = objective(current, signs: signs, active: active, c: c, delta: 0).value
        var best: (moments: [Double], value: Double) = (current, start)
        var projector = HalfspaceConeProjector(dimension: d)
        var projected = [Double](repeating: 0, count: d)
        // The prox of t(‖·‖ + ι_K) for a cone K: project onto K, then shrink the norm by t (docs/mathematics.md §4b).
        func prox(_ z: [Double], step t: Double) -> [Double] {
            var out = z
            for i in 0..<k {
                let length = z.withUnsafeBufferPointer { zb in
                    normals[i].withUnsafeBufferPointer { nb in
                        projected.withUnsafeMutableBufferPointer { pb in
                            projector.project(
                                UnsafeBufferPointer(rebasing: zb[(i * d)..<(i * d + d)]), normals: nb, count: n,
                                into: pb)
                        }
                    }
                }
                let factor = length > t ? 1 - t / length : 0
                for s in 0..<d { out[i * d + s] = factor * projected[s] }
            }
            return out
        }
        // Smoothing widths from coarse to fine (the labels are scaled to max |y| ≈ 1); the squared loss needs none.
        let widths: [Double] = loss.isQuadratic ? [0] : [1e-2, 1e-3, 1e-4, 1e-5]
        let steps = min(Self.maxSteps, max(4 * widths.count, Int(Self.maxWork / Double(k * n * d))))
        var lipschitz = 1.0
        for delta in widths {
            var y = current
            var previous = current
            var momentum = 1.0
            var stepsHere = 0
            while stepsHere < steps / widths.count {
                stepsHere += 1
                if stop() { break }
                let (gy, gradient, _, _) = objective(
                    y, signs: signs, active: active, c: c, delta: delta, gradient: true)
                var next = y
                var accepted = false
                for _ in 0..<40 {
                    let t = 1 / lipschitz
                    next = prox(zip(y, gradient).map { $0 - t * $1 }, step: t)
                    var linear = 0.0
                    var square = 0.0
                    for e in 0..<next.count {
                        let diff = next[e] - y[e]
                        linear += gradient[e] * diff
                        square += diff * diff
                    }
                    let smooth = objective(next, signs: signs, active: active, c: c, delta: delta).smooth
                    if smooth <= gy + linear + 0.5 * lipschitz * square + 1e-12 * abs(gy) {
                        accepted = true
                        break
                    }
                    lipschitz *= 2
                }
                guard accepted else { break }
                let value = objective(next, signs: signs, active: active, c: c, delta: 0).value
                if value < best.value { best = (next, value) }
                let change = zip(next, previous).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                let size = next.reduce(0.0) { $0 + $1 * $1 }
                let nextMomentum = (1 + (1 + 4 * momentum * momentum).squareRoot()) / 2
                y = zip(next, previous).map { $0 + (momentum - 1) / nextMomentum * ($0 - $1) }
                momentum = nextMomentum
                previous = next
                // A smaller step next time may still be accepted: let the estimate fall slowly.
                lipschitz /= 1.25
                if change <= 1e-24 * max(size, 1e-300) { break }
            }
            current = previous
        }
        guard best.value < start else { return nil }
        var atoms: [DiracAtom] = []
        for i in 0..<k {
            let m = best.moments[(i * d)..<(i * d + d)]
            let mass = norm(m)
            guard mass > 0 else { continue }
            atoms.append(DiracAtom(amplitude: signs[i] * mass, weights: m.map { $0 / mass }))
        }
        let finest = widths.last ?? 0
        let u = objective(best.moments, signs: signs, active: active, c: c, delta: finest, gradient: true).dual
        return Moved(atoms: atoms, objective: best.value, dual: u)
    }

    /// The objective at the moments `m` with the patterns `active` (exact for moments in their regions): its value
    /// with the exact loss (`delta` 0) and with the loss smoothed over width `delta` (the data term only, `smooth`),
    /// and when asked the smoothed data term's gradient in the moments and the dual `u_j = c v_j ℓ'_δ(r_j)`.
    func objective(
        _ m: [Double], signs: [Double], active: [[Bool]], c: Double, delta: Double, gradient wanted: Bool = false
    ) -> (smooth: Double, gradient: [Double], value: Double, dual: [Double]) {
        let n = points.count
        let d = points.dimension
        let k = signs.count
        var f = [Double](repeating: 0, count: n)
        var penalty = 0.0
        for i in 0..<k {
            let mi = m[(i * d)..<(i * d + d)]
            penalty += norm(mi)
            for j in 0..<n where active[i][j] { f[j] += signs[i] * dot(mi, points[point: j]) }
        }
        var smooth = 0.0
        var exact = 0.0
        var u = [Double](repeating: 0, count: wanted ? n : 0)
        for j in 0..<n {
            let v = weights?[j] ?? 1
            let r = targets[j] - f[j]
            let (value, slope) = Self.smoothed(loss, residual: r, target: targets[j], width: delta)
            smooth += c * v * value
            exact += c * v * Self.smoothed(loss, residual: r, target: targets[j], width: 0).value
            if wanted { u[j] = c * v * slope }
        }
        var g = [Double](repeating: 0, count: wanted ? k * d : 0)
        if wanted {
            // ∂/∂m_i of c Σ v_j ℓ_δ(r_j) = −s_i Σ_{j active} u_j x̃_j.
            for i in 0..<k {
                for j in 0..<n where active[i][j] && u[j] != 0 {
                    var e = points[point: j].startIndex
                    let x = points[point: j]
                    for s in 0..<d {
                        g[i * d + s] -= signs[i] * u[j] * x[e]
                        x.formIndex(after: &e)
                    }
                }
            }
        }
        return (smooth, g, exact + penalty, u)
    }

    /// The loss of residual `r = y − f` smoothed over `width` (Huber for L1, its one-sided form for the hinge; the
    /// exact loss at width 0) and its derivative in r.
    static func smoothed(_ loss: Loss, residual r: Double, target y: Double, width delta: Double) -> (
        value: Double, slope: Double
    ) {
        switch loss {
        case .squared: return (0.5 * r * r, r)
        case .l1:
            if delta == 0 || abs(r) > delta { return (abs(r) - delta / 2, r > 0 ? 1 : r < 0 ? -1 : 0) }
            return (r * r / (2 * delta), r / delta)
        case .hinge:
            // max(0, 1 − y f) = max(0, y r) for y = ±1.
            let t = y * r
            if t <= 0 { return (0, 0) }
            if t > delta { return (t - delta / 2, y) }
            return (t * t / (2 * delta), y * t / delta)
        }
    }
}
