/// Newton's method for the squared loss on a fixed structure: the Diracs' signs and activation patterns. With
/// the patterns fixed, (P) restricted to one Dirac per pattern is the group lasso over their moments
/// `u_k = |a_k| w_k` (docs/mathematics.md §4, one Dirac per region; README, "Losses"):
///
///     F(u) = (1/2n) ‖y − Σ_k s_k X_k u_k‖² + λ Σ_k ‖u_k‖,     X_k = the rows x̃_j of the points Dirac k activates,
///
/// smooth and convex where every `u_k ≠ 0`. The column generation finds the structure quickly but the exact
/// locations only in the limit (each round adds a better column in the same region, the master mixes them), so
/// a damped Newton method on `F` from the master's merged network closes the tail where the structure is right.
/// The result is only a proposal: its objective is recomputed with its true activations (an upper bound) and
/// its dual `r/n` is priced over every region (a lower bound), so a wrong structure costs a scan, never a
/// wrong answer. With an intercept the best `b` is the mean residual, eliminated: the residual is centred, `P(y − f)`
/// with `P = I − 11ᵀ/n`, and the Hessian's data part becomes `(1/n) Jᵀ P J` (§12). Sample weights `v` (mean 1) weigh
/// each point's square: `(1/2n) Σ v_j r_j²`, the mean and P weighted alike.
struct SquaredNewton {
    let points: LiftedData
    let targets: [Double]
    var intercept = false
    var weights: [Double]? = nil

    /// One Dirac's structure: its sign, the points it activates, the points whose hyperplanes it lies on (its
    /// face) and an orthonormal basis (rows) of the face's directions; its moment is `u = Bᵀz`.
    private struct Structure {
        var sign: Double
        var active: [Int]
        var face: [Int]
        var basis: [Double]
        var size: Int { basis.count / dimension }
        var dimension: Int
    }

    /// The polished atoms (unit weights, signed amplitudes), or nil when Newton does not converge. Where a
    /// Dirac would cross a data hyperplane, the hyperplane joins its face and Newton restarts (a few times).
    func solve(network: [DiracAtom], lambda: Double) -> [DiracAtom]? {
        let n = points.count
        let d = points.dimension
        guard !network.isEmpty, network.count * d <= 600 else { return nil }
        var structures: [Structure] = network.map { atom in
            var active: [Int] = []
            var face: [Int] = []
            for j in 0..<n {
                let x = points[point: j]
                let t = dot(atom.weights, x)
                if abs(t) <= 1e-9 * dot(x, x).squareRoot() { face.append(j) } else if t > 0 { active.append(j) }
            }
            return Structure(sign: atom.amplitude > 0 ? 1 : -1, active: active, face: face, basis: [], dimension: d)
        }
        let start = network.map { atom in atom.weights.map { abs(atom.amplitude) * $0 } }
        for _ in 0..<6 {
            for i in structures.indices {
                structures[i].basis = FaceNewton.faceBasis(
                    normals: structures[i].face.flatMap { Array(points[point: $0]) }, dimension: d)
                guard structures[i].size > 0, !structures[i].active.isEmpty else { return nil }
            }
            guard let moments = newton(structures: structures, start: start, lambda: lambda) else { return nil }
            // Points that left a Dirac's active set or entered it: their hyperplanes join its face.
            var crossed = false
            for i in structures.indices {
                let u = moments[i]
                let scale = dot(u, u).squareRoot()
                let faceSet = Set(structures[i].face)
                let activeSet = Set(structures[i].active)
                for j in 0..<n where !faceSet.contains(j) {
                    let x = points[point: j]
                    let t = dot(u, x) / (scale * dot(x, x).squareRoot())
                    if (activeSet.contains(j) && t < 1e-12) || (!activeSet.contains(j) && t > -1e-12) {
                        structures[i].face.append(j)
                        structures[i].active.removeAll { $0 == j }
                        crossed = true
                    }
                }
            }
            if !crossed {
                return moments.enumerated().map { i, u in
                    let norm = dot(u, u).squareRoot()
                    return DiracAtom(amplitude: structures[i].sign * norm, weights: u.map { $0 / norm })
                }
            }
        }
        return nil
    }

    /// Damped Newton on F over the face coordinates z_k (moments u_k = B_kᵀ z_k), from `start` projected onto
    /// the faces; the moments at the minimiser, or nil when a Dirac's moment vanishes or the system is singular.
    private func newton(structures: [Structure], start: [[Double]], lambda: Double) -> [[Double]]? {
        let f = GroupLasso(
            points: points, targets: targets, structures: structures, lambda: lambda, intercept: intercept,
            weights: weights)
        var z = f.coordinates(of: start)
        var value = f.objective(z)
        for _ in 0..<50 {
            guard case (let gradient, var hessian)? = f.derivatives(z) else { return nil }
            let largest = gradient.reduce(0) { max($0, abs($1)) }
            if largest <= 1e-15 * max(1, lambda) { break }
            var step = gradient.map { -$0 }
            guard solveLinearSystem(&hessian, &step, size: f.size, pivotTolerance: 1e-14) else { return nil }
            guard f.backtrack(step, z: &z, value: &value) else { break }
        }
        return structures.indices.map { f.moment($0, z) }
    }

    /// F over the face coordinates of fixed structures: its value, gradient and Hessian.
    private struct GroupLasso {
        let points: LiftedData
        let targets: [Double]
        let structures: [Structure]
        let lambda: Double
        /// Whether the residual is centred (the best intercept eliminated), and the points' weights.
        let intercept: Bool
        let weights: [Double]?
        /// Where each Dirac's face coordinates start; the last entry is their total number.
        let offsets: [Int]
        /// The data rows in face coordinates: s_k B_k x̃_j for every active point of Dirac k.
        let rows: [[Double]]

        init(
            points: LiftedData, targets: [Double], structures: [Structure], lambda: Double, intercept: Bool,
            weights: [Double]?
        ) {
            self.points = points
            self.targets = targets
            self.structures = structures
            self.lambda = lambda
            self.intercept = intercept
            self.weights = weights
            offsets = structures.reduce(into: [0]) { $0.append(($0.last ?? 0) + $1.size) }
            let d = points.dimension
            rows = structures.map { structure in
                let b = structure.basis
                return structure.active.flatMap { j in
                    let x = points[point: j]
                    return (0..<structure.size).map { l in structure.sign * dot(b[(l * d)..<(l * d + d)], x) }
                }
            }
        }

        var size: Int { offsets[structures.count] }

        /// The face coordinates of the moments `start` (their projections onto the faces).
        func coordinates(of start: [[Double]]) -> [Double] {
            let d = points.dimension
            var z = [Double]()
            for (i, structure) in structures.enumerated() {
                let b = structure.basis
                for l in 0..<structure.size { z.append(dot(b[(l * d)..<(l * d + d)], start[i][...])) }
            }
            return z
        }

        /// Dirac i's moment `u_i = B_iᵀ z_i`.
        func moment(_ i: Int, _ z: [Double]) -> [Double] {
            let d = points.dimension
            var u = [Double](repeating: 0, count: d)
            for l in 0..<structures[i].size {
                for t in 0..<d { u[t] += z[offsets[i] + l] * structures[i].basis[l * d + t] }
            }
            return u
        }

        /// `‖z_i‖ = ‖u_i‖`, Dirac i's mass.
        func length(_ i: Int, _ z: [Double]) -> Double {
            (offsets[i]..<offsets[i + 1]).reduce(0.0) { $0 + z[$1] * z[$1] }.squareRoot()
        }

        func outputs(_ z: [Double]) -> [Double] {
            var f = [Double](repeating: 0, count: points.count)
            for i in structures.indices {
                let u = moment(i, z)
                for j in structures[i].active { f[j] += structures[i].sign * dot(u, points[point: j]) }
            }
            return f
        }

        /// `y − f(z)`, centred with an intercept (its best b subtracted).
        func residuals(_ z: [Double]) -> [Double] {
            let r = zip(targets, outputs(z)).map { $0 - $1 }
            return intercept ? SquaredNewton.centred(r, weights: weights) : r
        }

        func objective(_ z: [Double]) -> Double {
            let r = residuals(z)
            let loss = r.indices.reduce(0.0) { $0 + 0.5 * (weights?[$1] ?? 1) * r[$1] * r[$1] }
            return loss / Double(points.count) + lambda * structures.indices.reduce(0) { $0 + length($1, z) }
        }

        /// The gradient and Hessian of F at z (dense, row-major); nil when a Dirac's moment vanishes.
        func derivatives(_ z: [Double]) -> (gradient: [Double], hessian: [Double])? {
            let n = points.count
            let k = structures.count
            let size = self.size
            let r = residuals(z)
            var gradient = [Double](repeating: 0, count: size)
            var hessian = [Double](repeating: 0, count: size * size)
            // The Diracs active at each point with the point's row in each: the Hessian's blocks couple two Diracs
            // through the points both activate.
            var atPoint = [[(dirac: Int, row: Int)]](repeating: [], count: n)
            for i in 0..<k {
                let ni = length(i, z)
                let si = structures[i].size
                let o = offsets[i]
                guard ni > 0 else { return nil }
                for (a, j) in structures[i].active.enumerated() {
                    atPoint[j].append((i, a))
                    let vj = weights?[j] ?? 1
                    for l in 0..<si { gradient[o + l] -= vj * r[j] * rows[i][a * si + l] / Double(n) }
                }
                for l in 0..<si {
                    gradient[o + l] += lambda * z[o + l] / ni
                    for m in 0..<si {
                        hessian[(o + l) * size + o + m] +=
                            lambda * ((l == m ? 1 : 0) - z[o + l] * z[o + m] / (ni * ni)) / ni
                    }
                }
            }
            for (j, active) in atPoint.enumerated() {
                let vj = (weights?[j] ?? 1) / Double(n)
                for x in active.indices {
                    let (i, bi) = active[x]
                    let si = structures[i].size
                    for (q, bq) in active[x...] {
                        let sq = structures[q].size
                        for l in 0..<si {
                            let left = vj * rows[i][bi * si + l]
                            for m in 0..<sq {
                                let h = left * rows[q][bq * sq + m]
                                hessian[(offsets[i] + l) * size + offsets[q] + m] += h
                                if q != i { hessian[(offsets[q] + m) * size + offsets[i] + l] += h }
                            }
                        }
                    }
                }
            }
            if intercept { subtractCentring(from: &hessian) }
            return (gradient, hessian)
        }

        /// `(1/n) Jᵀ 1 1ᵀ J / n` taken off the Hessian: the centring P in `(1/n) Jᵀ P J`, J's column sums being the
        /// sums of each coordinate's rows.
        func subtractCentring(from hessian: inout [Double]) {
            let n = Double(points.count)
            let total = weights?.reduce(0, +) ?? n
            var sums = [Double](repeating: 0, count: size)
            for i in structures.indices {
                let si = structures[i].size
                for (a, j) in structures[i].active.enumerated() {
                    for l in 0..<si { sums[offsets[i] + l] += (weights?[j] ?? 1) * rows[i][a * si + l] }
                }
            }
            for l in 0..<size {
                for m in 0..<size { hessian[l * size + m] -= sums[l] * sums[m] / (n * total) }
            }
        }

        /// Backtracking on F along `step`, every Dirac keeping a non-zero moment: moves z to the first trial
        /// point (halving down to 1e-6) that does not raise F; whether F fell.
        func backtrack(_ step: [Double], z: inout [Double], value: inout Double) -> Bool {
            var t = 1.0
            while t > 1e-6 {
                let trial = (0..<size).map { z[$0] + t * step[$0] }
                if structures.indices.allSatisfy({ length($0, trial) > 0 }) {
                    let trialValue = objective(trial)
                    if trialValue <= value {
                        let improved = trialValue < value
                        z = trial
                        value = trialValue
                        return improved
                    }
                }
                t *= 0.5
            }
            return false
        }
    }
}

extension SquaredNewton: Polisher {
    /// The group lasso on the network's activation patterns; its dual is the gradient of the data term at the
    /// polished fit, `u = c (y − f)` with `c = 1/(nλ)`.
    func propose(
        network: [DiracAtom], solution: MasterLP.Solution, residualCost: Double,
        problem: Objective
    ) -> NewtonProposal? {
        guard let atoms = solve(network: network, lambda: problem.lambda) else { return nil }
        let f = DiracMeasure(dimension: points.dimension, atoms: atoms).values(at: points)
        var r = zip(targets, f).map { $0 - $1 }
        if intercept { r = Self.centred(r, weights: weights) }
        return NewtonProposal(atoms: atoms, dual: r.indices.map { residualCost * (weights?[$0] ?? 1) * r[$0] })
    }

    /// `r` less its (weighted) mean: the residual of the best intercept.
    static func centred(_ r: [Double], weights v: [Double]?) -> [Double] {
        let total = v?.reduce(0, +) ?? Double(r.count)
        let mean = r.indices.reduce(0.0) { $0 + (v?[$1] ?? 1) * r[$1] } / max(total, Double.leastNormalMagnitude)
        return r.map { $0 - mean }
    }
}
