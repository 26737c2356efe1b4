import Foundation

/// The final descent of an anytime run's network (docs/mathematics.md §11, "The final descent"): full-batch Adam on
/// the finite network `f = Σ_i c_i σ(⟨u_i, x̃⟩)` with the penalty `λ Σ_i |c_i| ‖u_i‖` (the total variation of its
/// measure), all atoms' directions and amplitudes together and their activations free. Every iterate's objective
/// is computed exactly, so the best one is an upper bound like any other network; the start is the balanced form
/// of the atoms (`c_i = sign(a_i) √|a_i|`, `u_i = √|a_i| w_i`).
public struct NetworkDescent: Sendable {
    public let points: LiftedData
    public let targets: [Double]
    public let loss: Loss
    /// The sample weights (mean 1), nil without.
    public let weights: [Double]?
    /// Whether the network has the best intercept of its outputs (then the loss's gradient is taken there).
    public let intercept: Bool
    public let lambda: Double

    public init(
        points: LiftedData, targets: [Double], loss: Loss, weights: [Double]? = nil, intercept: Bool = false,
        lambda: Double
    ) {
        (self.points, self.targets, self.loss, self.weights) = (points, targets, loss, weights)
        (self.intercept, self.lambda) = (intercept, lambda)
    }

    /// Adam's step as a share of the parameters' root mean square, and its β₁, β₂ (measured on diabetes6-sq and
    /// breast cancer: benchmarks/RESULTS.md, "The network at 60 s against Adam, with bounds no worse").
    public static let rate = 3e-3
    static let beta1 = 0.9
    static let beta2 = 0.999
    /// The most steps by default, and the work (points × atoms × dimension × steps) that caps them on large problems.
    static let maxSteps = 2000
    static let maxWork = 4e9

    /// The objective of the network `(c, U)` (`U` row-major `k × d`) and its gradient in `(c, U)`.
    func objective(c: [Double], u: [Double], gradient: Bool) -> (value: Double, dc: [Double], du: [Double]) {
        let n = points.count
        let d = points.dimension
        let k = c.count
        var outputs = [Double](repeating: 0, count: n)
        var pre = [Double](repeating: 0, count: n * k)
        points.values.withUnsafeBufferPointer { x in
            u.withUnsafeBufferPointer { ub in
                for j in 0..<n {
                    var f = 0.0
                    for i in 0..<k {
                        var z = 0.0
                        for s in 0..<d { z += ub[i * d + s] * x[j * d + s] }
                        pre[j * k + i] = z
                        if z > 0 { f += c[i] * z }
                    }
                    outputs[j] = f
                }
            }
        }
        let b = intercept ? loss.bestIntercept(outputs: outputs, targets: targets, weights: weights) : 0
        if b != 0 { outputs = outputs.map { $0 + b } }
        let norms = (0..<k).map { i in (0..<d).reduce(0.0) { $0 + u[i * d + $1] * u[i * d + $1] }.squareRoot() }
        let tv = zip(c, norms).reduce(0.0) { $0 + abs($1.0) * $1.1 }
        let value = loss.value(outputs: outputs, targets: targets, weights: weights) + lambda * tv
        guard gradient else { return (value, [], []) }
        // d(data term)/df_j at the best intercept (envelope theorem), then back through σ.
        let g = targets.indices.map { j in
            (weights?[j] ?? 1) * loss.derivative(output: outputs[j], target: targets[j]) / Double(n)
        }
        var dc = (0..<k).map { i in c[i] == 0 ? 0 : lambda * (c[i] > 0 ? 1 : -1) * norms[i] }
        var du = [Double](repeating: 0, count: k * d)
        for i in 0..<k where norms[i] > 0 {
            let shrink = lambda * abs(c[i]) / norms[i]
            for s in 0..<d { du[i * d + s] = shrink * u[i * d + s] }
        }
        points.values.withUnsafeBufferPointer { x in
            for j in 0..<n where g[j] != 0 {
                for i in 0..<k where pre[j * k + i] > 0 {
                    dc[i] += g[j] * pre[j * k + i]
                    let t = g[j] * c[i]
                    for s in 0..<d { du[i * d + s] += t * x[j * d + s] }
                }
            }
        }
        return (value, dc, du)
    }

    /// The best network of at most `maxSteps` Adam steps from `network` (at most `steps` when given, fewer on large
    /// problems or when `stop` says so), with its objective; nil when no step lowers the objective. The step is
    /// `rate` times the parameters' root mean square, constant, or with `decay` falling as a cosine over the steps
    /// to a thousandth of it (the harness's Adam schedule).
    public func descend(
        _ network: [DiracAtom], steps limit: Int? = nil, rate: Double = Self.rate, decay: Bool = false,
        stop: () -> Bool = { false }
    ) -> (atoms: [DiracAtom], objective: Double)? {
        let d = points.dimension
        let k = network.count
        guard k > 0, points.count > 0 else { return nil }
        var c = network.map { ($0.amplitude < 0 ? -1 : 1) * abs($0.amplitude).squareRoot() }
        var u = network.flatMap { atom in atom.weights.map { abs(atom.amplitude).squareRoot() * $0 } }
        let squares = c.reduce(0) { $0 + $1 * $1 } + u.reduce(0) { $0 + $1 * $1 }
        let first = rate * (squares / Double(c.count + u.count)).squareRoot()
        let work = Double(points.count * k * d)
        let steps = min(limit ?? Self.maxSteps, Int(Self.maxWork / max(work, 1)))
        var (mc, vc) = ([Double](repeating: 0, count: k), [Double](repeating: 0, count: k))
        var (mu, vu) = ([Double](repeating: 0, count: k * d), [Double](repeating: 0, count: k * d))
        var start: Double?
        var best: (c: [Double], u: [Double], value: Double)?
        for t in 1...max(steps, 1) {
            if stop() { break }
            let (value, dc, du) = objective(c: c, u: u, gradient: true)
            if let start {
                if value < best?.value ?? start { best = (c, u, value) }
            } else {
                start = value
            }
            let (f1, f2) = (1 - pow(Self.beta1, Double(t)), 1 - pow(Self.beta2, Double(t)))
            let cosine = 0.5 * (1 + cos(Double.pi * Double(t) / Double(max(steps, 1))))
            let step = decay ? first * (1e-3 + (1 - 1e-3) * cosine) : first
            func adam(_ p: inout [Double], _ m: inout [Double], _ v: inout [Double], _ g: [Double]) {
                for e in p.indices {
                    m[e] = Self.beta1 * m[e] + (1 - Self.beta1) * g[e]
                    v[e] = Self.beta2 * v[e] + (1 - Self.beta2) * g[e] * g[e]
                    p[e] -= step * (m[e] / f1) / ((v[e] / f2).squareRoot() + 1e-8)
                }
            }
            adam(&c, &mc, &vc, dc)
            adam(&u, &mu, &vu, du)
        }
        if !stop() {
            let last = objective(c: c, u: u, gradient: false).value
            if last < best?.value ?? start ?? .infinity { best = (c, u, last) }
        }
        guard let best else { return nil }
        // Back to atoms: a_i = c_i ‖u_i‖, w_i = u_i/‖u_i‖ (atoms with u_i = 0 contribute nothing).
        let atoms = (0..<k).compactMap { i -> DiracAtom? in
            let row = best.u[(i * d)..<(i * d + d)]
            let length = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard length > 0, best.c[i] != 0 else { return nil }
            return DiracAtom(amplitude: best.c[i] * length, weights: row.map { $0 / length })
        }
        return (atoms, best.value)
    }
}
