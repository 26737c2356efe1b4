/// Newton's method on the optimality conditions of (P) for a guessed *structure*: which data points the network
/// fits exactly, the signs of the other residuals, and for every Dirac its activation pattern and the data
/// hyperplanes it lies on (its face). The column generation's master LP finds the structure quickly but the
/// exact atom positions only slowly: it represents a Dirac on a continuum by a bracket of neighbouring columns,
/// and each round halves the bracket (benchmarks/RESULTS.md, "Regularisation path"). Given the structure, the
/// optimum solves a smooth system (square; singular where the optimum is not unique), and a slightly damped
/// Newton method converges in a few steps from the LP's merged atoms.
///
/// The conditions, in the master LP's scaling (neuron cost 1, residual cost `c = 1/(nλ)`, duals `u = p/λ`):
/// Dirac `k` with sign `s_k`, active points `S_k` and moment `m_k = s_k B_k z_k` in its face (`B_k`: orthonormal
/// basis of the directions orthogonal to the data on its hyperplanes), fitted points `Z`, fixed duals
/// `u_j = c·sign(r_j)` off `Z` (none for the interpolation, where `Z` is every point):
///
///     s_k B_kᵀ Σ_{j∈S_k} u_j x̃_j = z_k / ‖z_k‖     (η = ±1 at the Dirac, stationary along its face)
///     Σ_{k: j∈S_k} s_k ⟨x̃_j, B_k z_k⟩ = y_j   for j ∈ Z     (the fit)
///
/// The result is only a proposal: its atoms become columns of the master LP (an upper bound through the LP) and
/// its dual is priced over every region like any other (a lower bound through the certificate). A wrong guess
/// costs one pricing scan and never a wrong answer.
struct FaceNewton {
    let points: LiftedData
    let labels: [Double]

    /// One atom's part of the system: its sign, the points it activates, an orthonormal basis (rows) of the
    /// directions of its face, their number, and where its face coordinates `z_k` start among the unknowns.
    struct Face {
        var sign: Double
        var active: [Int]
        var basis: [Double]
        var size: Int
        var offset: Int
    }

    /// The conditions for one guessed structure: the unknowns are the faces' coordinates `z`, then the duals
    /// `u_Z` of the fitted points (`fittedIndex`: point → unknown); `projected[k]` holds `B_kᵀx̃_j` for the
    /// active points of face k.
    struct System {
        var faces: [Face]
        var fittedIndex: [Int: Int]
        var projected: [[Double]]
        var unknowns: Int
        /// Fit rows are divided by it so that both kinds of rows weigh alike.
        var labelScale: Double
        /// Factor the normal equations by pivoted elimination rather than Cholesky: the interpolation's optima are
        /// often not unique, and there Cholesky's rounding moved its bounds past each other by 1e-9 in the tests.
        var pivoted = false
    }

    typealias SparseRow = (columns: [Int], values: [Double])

    /// The equations at one point: −F (the right-hand side), its largest entry and, when asked, the Jacobian.
    typealias Equations = (rhs: [Double], largest: Double, rows: [SparseRow])

    /// Solves the conditions for the structure of `network` (merged, one atom per region side), `residuals`
    /// `r_j = y_j − f(x_j)` and the LP's duals `u` (the starting point on `Z`). `residualCost` is `c`; nil for
    /// the interpolation. Returns nil when Newton does not converge or the solution leaves the guessed structure.
    func solve(network: [DiracAtom], residuals: [Double], duals: [Double], residualCost: Double?) -> NewtonProposal? {
        let n = points.count
        let labelScale = max(labels.map(abs).max() ?? 0, 1)
        let residualTolerance = 1e-9 * labelScale
        let fitted = (0..<n).filter { residualCost == nil || abs(residuals[$0]) <= residualTolerance }
        var u = duals
        if let c = residualCost {
            for j in 0..<n where abs(residuals[j]) > residualTolerance { u[j] = residuals[j] > 0 ? c : -c }
        }
        guard var (system, z) = system(network: network, fitted: fitted, labelScale: labelScale) else { return nil }
        system.pivoted = residualCost == nil
        // Convergence: the stationarity rows sum |S_k| terms of size |u_j|·‖x̃_j‖, so they are exact only to
        // rounding relative to that sum (large at small λ, where c = 1/(nλ) is large).
        let rowScale =
            system.faces.map { face in
                face.active.reduce(0.0) { $0 + abs(u[$1]) * norm(points[point: $1]) }
            }.max() ?? 1
        guard converge(system, z: &z, u: &u, tolerance: 1e-14 * max(1, rowScale)),
            let atoms = atoms(system, z: z)
        else { return nil }
        return NewtonProposal(atoms: atoms, dual: u)
    }

    /// Each atom's face (sign, active set, face basis) and its starting coordinates `z_k = |a_k| B_k w_k`; nil
    /// when an atom has no face direction or no active point, or the system is too large.
    func system(network: [DiracAtom], fitted: [Int], labelScale: Double) -> (System, [Double])? {
        let n = points.count
        let d = points.dimension
        var faces: [Face] = []
        var z: [Double] = []
        for atom in network {
            let w = atom.weights
            var active: [Int] = []
            var onFace: [Double] = []
            for j in 0..<n {
                let x = points[point: j]
                let t = dot(w, x)
                if abs(t) <= 1e-9 * norm(x) { onFace.append(contentsOf: x) } else if t > 0 { active.append(j) }
            }
            let basis = Self.faceBasis(normals: onFace, dimension: d)
            let size = basis.count / d
            guard size > 0, !active.isEmpty else { return nil }
            faces.append(
                Face(
                    sign: atom.amplitude > 0 ? 1 : -1, active: active, basis: basis, size: size,
                    offset: z.count))
            for row in 0..<size { z.append(abs(atom.amplitude) * dot(basis[(row * d)..<(row * d + d)], w)) }
        }
        let unknowns = z.count + fitted.count
        // Each step factors a dense matrix of this size: beyond a few hundred unknowns (about n Diracs with many
        // points fitted) a step costs more than an LP round.
        guard !faces.isEmpty, unknowns <= 800 else { return nil }
        let fittedIndex = Dictionary(uniqueKeysWithValues: fitted.enumerated().map { ($1, z.count + $0) })
        // Bᵀx̃_j for the active points of every face, computed once.
        let projected: [[Double]] = faces.map { face in
            face.active.flatMap { j in
                (0..<face.size).map { dot(face.basis[($0 * d)..<($0 * d + d)], points[point: j]) }
            }
        }
        return (
            System(
                faces: faces, fittedIndex: fittedIndex, projected: projected, unknowns: unknowns,
                labelScale: labelScale), z
        )
    }

    /// The equations at (z, u_Z) and, when `wanted`, the Jacobian as sparse rows: stationarity rows
    /// `s_k Bᵀ v_k − z_k/‖z_k‖` and their derivatives, fit rows `f(x_j) − y_j`. Nil where an atom's moment
    /// vanishes.
    func equations(_ s: System, _ z: [Double], _ u: [Double], jacobian wanted: Bool) -> Equations? {
        var rows = [SparseRow](repeating: ([], []), count: wanted ? s.unknowns : 0)
        var rhs = [Double](repeating: 0, count: s.unknowns)
        var fit = [Double](repeating: 0, count: points.count)
        for (k, face) in s.faces.enumerated() {
            let zk = z[face.offset..<(face.offset + face.size)]
            let length = norm(zk)
            guard length > 0 else { return nil }
            for (a, j) in face.active.enumerated() {
                let fitRow = s.fittedIndex[j]
                for col in 0..<face.size {
                    let g = face.sign * s.projected[k][a * face.size + col]
                    rhs[face.offset + col] -= g * u[j]
                    guard let fitRow else { continue }
                    fit[j] += g * z[face.offset + col]
                    if wanted {
                        rows[face.offset + col].columns.append(fitRow)
                        rows[face.offset + col].values.append(g)
                        rows[fitRow].columns.append(face.offset + col)
                        rows[fitRow].values.append(g / s.labelScale)
                    }
                }
            }
            for row in 0..<face.size {
                rhs[face.offset + row] += z[face.offset + row] / length
                guard wanted else { continue }
                for col in 0..<face.size {
                    let identity: Double = row == col ? 1 : 0
                    rows[face.offset + row].columns.append(face.offset + col)
                    rows[face.offset + row].values.append(
                        -(identity - zk[face.offset + row] * zk[face.offset + col] / (length * length)) / length)
                }
            }
        }
        for (j, i) in s.fittedIndex { rhs[i] = (labels[j] - fit[j]) / s.labelScale }
        return (rhs, rhs.reduce(0) { max($0, abs($1)) }, rows)
    }

    /// Levenberg–Marquardt with a tiny damping: the Newton step where the Jacobian is well conditioned, and a
    /// step along the well-determined directions where it is nearly singular — at small λ the optimum is
    /// often not unique, and a plain Newton step then throws small atoms through zero. Backtracking on ‖F‖
    /// keeps every step a decrease. Near a root the error falls quadratically; three steps that do not divide
    /// it by four mean there is no root nearby (the structure is wrong), and the attempt stops there.
    func converge(_ s: System, z: inout [Double], u: inout [Double], tolerance: Double) -> Bool {
        var slowSteps = 0
        guard var current = equations(s, z, u, jacobian: true) else { return false }
        for _ in 0..<15 {
            if current.largest <= tolerance { return true }
            guard let step = dampedStep(current, unknowns: s.unknowns, pivoted: s.pivoted) else { return false }
            let merit = norm(current.rhs)
            guard backtrack(s, step: step, merit: merit, z: &z, u: &u),
                let next = equations(s, z, u, jacobian: true)
            else { return false }
            if norm(next.rhs) > merit / 4 { slowSteps += 1 }
            guard slowSteps < 3 else { return false }
            current = next
        }
        return false
    }

    /// The step δ of `(JᵀJ + μI) δ = Jᵀ(−F)`, JᵀJ accumulated from the sparse rows, by Cholesky (half the work),
    /// by pivoted elimination where `pivoted` or Cholesky breaks down; nil when a pivot vanishes.
    func dampedStep(_ current: Equations, unknowns: Int, pivoted: Bool) -> [Double]? {
        var normal = [Double](repeating: 0, count: unknowns * unknowns)
        var step = [Double](repeating: 0, count: unknowns)
        normal.withUnsafeMutableBufferPointer { a in
            for (r, row) in current.rows.enumerated() {
                for (p, i) in row.columns.enumerated() {
                    let v = row.values[p]
                    step[i] += v * current.rhs[r]
                    for (q, t) in row.columns.enumerated() { a[i * unknowns + t] += v * row.values[q] }
                }
            }
        }
        let damping = 1e-16 * (0..<unknowns).reduce(0.0) { max($0, normal[$1 * unknowns + $1]) }
        for i in 0..<unknowns { normal[i * unknowns + i] += damping }
        // The damped normal matrix is positive definite, but where J is singular beyond the damping (the
        // interpolation's non-unique optima) rounding can break Cholesky: pivoted elimination then takes over.
        if !pivoted {
            var factored = normal
            var solution = step
            if solvePositiveDefinite(&factored, &solution, size: unknowns, pivotTolerance: 1e-20) { return solution }
        }
        guard solveLinearSystem(&normal, &step, size: unknowns, pivotTolerance: 1e-20) else { return nil }
        return step
    }

    /// Takes the longest of the steps `2^-i δ` (i < 10) that lowers ‖F‖ below `merit`; false when none does.
    func backtrack(_ s: System, step: [Double], merit: Double, z: inout [Double], u: inout [Double]) -> Bool {
        var length = 1.0
        for _ in 0..<10 {
            var trialZ = z
            var trialU = u
            for i in 0..<z.count { trialZ[i] += length * step[i] }
            for (j, i) in s.fittedIndex { trialU[j] += length * step[i] }
            if let trial = equations(s, trialZ, trialU, jacobian: false), norm(trial.rhs) < merit {
                z = trialZ
                u = trialU
                return true
            }
            length /= 2
        }
        return false
    }

    /// The atoms at the face coordinates `z`, checked against the guessed structure: nil unless each stays in
    /// its closed region.
    func atoms(_ s: System, z: [Double]) -> [DiracAtom]? {
        let n = points.count
        let d = points.dimension
        var atoms: [DiracAtom] = []
        for face in s.faces {
            var m = [Double](repeating: 0, count: d)
            for row in 0..<face.size {
                for t in 0..<d { m[t] += z[face.offset + row] * face.basis[row * d + t] }
            }
            let mass = norm(m)
            let w = m.map { $0 / mass }
            var isActive = [Bool](repeating: false, count: n)
            for j in face.active { isActive[j] = true }
            for j in 0..<n {
                let x = points[point: j]
                let t = dot(w, x)
                let slack = 1e-9 * norm(x)
                if isActive[j] ? t < -slack : t > slack { return nil }
            }
            atoms.append(DiracAtom(amplitude: face.sign * mass, weights: w))
        }
        return atoms
    }

    /// An orthonormal basis (rows) of the directions orthogonal to every row of `normals`.
    static func faceBasis(normals: [Double], dimension d: Int) -> [Double] {
        let spanned = orthonormalBasis(rows: normals, count: normals.count / d, dim: d)
        var projector = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for t in 0..<d {
                var value = i == t ? 1.0 : 0.0
                for l in 0..<(spanned.count / d) { value -= spanned[l * d + i] * spanned[l * d + t] }
                projector[i * d + t] = value
            }
        }
        return orthonormalBasis(rows: projector, count: d, dim: d, tolerance: 1e-6)
    }
}

/// Solves `a x = b` in place (`b` becomes `x`) for a symmetric positive definite `a` by Cholesky's factorisation
/// (half the work of `solveLinearSystem`, no pivoting); false when a pivot is at most `pivotTolerance` times the
/// largest diagonal entry (singular for our purposes).
func solvePositiveDefinite(_ matrix: inout [Double], _ rhs: inout [Double], size n: Int, pivotTolerance: Double)
    -> Bool
{
    let scale = (0..<n).reduce(0.0) { max($0, matrix[$1 * n + $1]) }
    guard scale > 0 else { return false }
    return matrix.withUnsafeMutableBufferPointer { a in
        rhs.withUnsafeMutableBufferPointer { b in
            // The lower factor L (a = L Lᵀ) overwrites the lower triangle, row by row.
            for i in 0..<n {
                for j in 0...i {
                    var sum = a[i * n + j]
                    for t in 0..<j { sum -= a[i * n + t] * a[j * n + t] }
                    if i == j {
                        guard sum > pivotTolerance * scale else { return false }
                        a[i * n + i] = sum.squareRoot()
                    } else {
                        a[i * n + j] = sum / a[j * n + j]
                    }
                }
            }
            for i in 0..<n {
                var value = b[i]
                for t in 0..<i { value -= a[i * n + t] * b[t] }
                b[i] = value / a[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var value = b[i]
                for t in (i + 1)..<n { value -= a[t * n + i] * b[t] }
                b[i] = value / a[i * n + i]
            }
            return true
        }
    }
}

/// Solves `a x = b` in place (`b` becomes `x`) by Gaussian elimination with partial pivoting; false when a pivot
/// is at most `pivotTolerance` times the matrix's largest entry (singular for our purposes).
func solveLinearSystem(_ matrix: inout [Double], _ rhs: inout [Double], size n: Int, pivotTolerance: Double) -> Bool {
    let scale = matrix.reduce(0) { max($0, abs($1)) }
    guard scale > 0 else { return false }
    return matrix.withUnsafeMutableBufferPointer { a in
        rhs.withUnsafeMutableBufferPointer { b in
            for col in 0..<n {
                var pivot = col
                for row in (col + 1)..<n where abs(a[row * n + col]) > abs(a[pivot * n + col]) { pivot = row }
                guard abs(a[pivot * n + col]) > pivotTolerance * scale else { return false }
                if pivot != col {
                    for t in col..<n { a.swapAt(col * n + t, pivot * n + t) }
                    b.swapAt(col, pivot)
                }
                let diagonal = a[col * n + col]
                for row in (col + 1)..<n {
                    let factor = a[row * n + col] / diagonal
                    guard factor != 0 else { continue }
                    for t in (col + 1)..<n { a[row * n + t] -= factor * a[col * n + t] }
                    b[row] -= factor * b[col]
                }
            }
            for col in stride(from: n - 1, through: 0, by: -1) {
                var value = b[col]
                for t in (col + 1)..<n { value -= a[col * n + t] * b[t] }
                b[col] = value / a[col * n + col]
            }
            return true
        }
    }
}

extension FaceNewton: Polisher {
    /// The L1 conditions with the LP's residuals and duals as the start; the interpolation fits every point.
    func propose(
        network: [DiracAtom], solution: MasterLP.Solution, residualCost: Double,
        problem: Objective
    ) -> NewtonProposal? {
        solve(
            network: network, residuals: solution.residuals, duals: solution.dual,
            residualCost: problem == .interpolation ? nil : residualCost)
    }
}
