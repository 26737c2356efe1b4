import LinearProgramming

/// The master LP of the column generation, in one of its two forms (docs/mathematics.md §4, "The master's two
/// forms"), behind one interface: neurons in, amplitudes, residuals and the dual vector out.
///
/// * `.primal`: a row per data point, `Σ_k a_k s_k σ(⟨w_k, x̃_j⟩) + r⁺_j − r⁻_j = y_j`, a column per neuron; new
///   neurons are new columns and the re-solve is a warm primal simplex. Its basis has n rows.
/// * `.dual`: its LP dual, a column per data point, `u_j` in the loss's box (`−cost(r⁻_j) ≤ u_j ≤ cost(r⁺_j)`),
///   maximising `Σ_j y_j u_j`, and a row per neuron, `−1 ≤ Σ_j σ(⟨w, x̃_j⟩) u_j ≤ 1` (both signs of the neuron at
///   once, so every variable and slack is boxed and the dual simplex needs no artificial bounds); new neurons are
///   cuts and the re-solve is a warm dual simplex. Its basis has a row per neuron, mostly slacks: far smaller than
///   n when many points need few neurons. The signed amplitudes are minus the rows' duals, the residuals minus the
///   columns' reduced costs.
///
/// The squared loss's quadratic objective lives on the residual columns: primal form only.
///
/// With an intercept (§12) the primal form has a free column `b` of cost 0 with 1 in every row, after the residuals,
/// and the dual form the row `Σ_j u_j = 0` before the neurons' rows.
struct MasterLP {
    enum Form: String, Sendable { case primal, dual }

    let form: Form
    /// The solver holding the master; replaced by a fresh one when a recovery succeeds (`solve`).
    private(set) var solver: any LPSolver
    /// Makes the fresh solvers of a recovery: the run's backend, then the others that solve the master.
    let recovery: SolverRecovery
    let points: LiftedData
    /// The targets the rows fit.
    let targets: [Double]
    /// Whether the master carries the free intercept (its column or row).
    let intercept: Bool
    /// The neurons, in the order of their columns (primal) or rows (dual, each with sign +1: its row holds both).
    private(set) var neurons: [(weights: [Double], sign: Double)] = []
    /// The dual form's rows, by weights.
    private var rowOf = Set<[Double]>()
    /// The matrix entries of each neuron's column or row, their sum, and the most the master may hold.
    private var neuronEntries: [Int] = []
    private(set) var entries = 0
    let entryLimit: Int
    /// The residual costs last set (`setResidualCosts`); whether the primal form sets the duals of rows whose
    /// residual is in the solution to its cost (complementary slackness).
    private var costs: [(plus: Double, minus: Double)]
    private var fixesResidualDuals = false
    /// The primal form's residual bounds and the squared loss's quadratic costs, per point, to rebuild the master
    /// (`program`).
    private let residualBounds: [(plus: ClosedRange<Double>, minus: ClosedRange<Double>)]
    private(set) var quadratic: [Double]? = nil
    /// The neurons with positive amplitude in the last optimal solve, by weights and sign: the first passive set
    /// of the squared loss's next `SquaredMasterQP` solve.
    private var support = Set<[Double]>()
    /// Whether a squared loss's master goes to `SquaredMasterQP` before CLP (`TrainingOptions.activeSetSquaredMaster`).
    let activeSetFirst: Bool
    /// The simplex iterations of the last solve (with its recoveries' last solve), for the solver log.
    private(set) var lastIterations = 0

    /// One solve: the neurons' amplitudes `a_k` (the atom of neuron k is `sign_k a_k`; `a_k ≥ 0` in the primal
    /// form), the residuals `r_j = y_j − f(x_j)` of the LP's network, and the dual vector `u` of the data rows
    /// (exactly at the residual's cost where a linear residual is in the solution).
    struct Solution {
        var amplitudes: [Double]
        var residuals: [Double]
        var dual: [Double]
    }

    /// A master with no neurons. `residualBounds` are the bounds of the primal form's residual columns `r⁺_j`, `r⁻_j`,
    /// per point.
    init(
        form: Form, points: LiftedData, targets: [Double],
        residualBounds: [(plus: ClosedRange<Double>, minus: ClosedRange<Double>)],
        entryLimit: Int, recovery: SolverRecovery, intercept: Bool = false, activeSetFirst: Bool = true
    ) throws(TrainingError) {
        self.activeSetFirst = activeSetFirst
        self.form = form
        self.intercept = intercept
        self.entryLimit = entryLimit
        self.recovery = recovery
        solver = recovery.make(recovery.backend)
        self.targets = targets
        self.points = points
        self.residualBounds = residualBounds
        costs = [(plus: Double, minus: Double)](repeating: (1, 1), count: points.count)
        do { try solver.load(program()) } catch { throw .lp(error) }
    }

    /// The master as it stands (residual costs, neurons), built from scratch: for the first load and for a
    /// recovery on a fresh solver.
    func program() -> LinearProgram {
        let n = numberOfPoints
        switch form {
        case .primal:
            var columns: [LPColumn] = []
            for j in 0..<n {
                columns.append(
                    LPColumn(
                        cost: costs[j].plus, lower: residualBounds[j].plus.lowerBound,
                        upper: residualBounds[j].plus.upperBound, rows: [j], values: [1]))
                columns.append(
                    LPColumn(
                        cost: costs[j].minus, lower: residualBounds[j].minus.lowerBound,
                        upper: residualBounds[j].minus.upperBound, rows: [j], values: [-1]))
            }
            if intercept {
                columns.append(
                    LPColumn(
                        cost: 0, lower: -.infinity, upper: .infinity, rows: Array(0..<n),
                        values: [Double](repeating: 1, count: n)))
            }
            for neuron in neurons {
                let a = activations(neuron.weights)
                columns.append(LPColumn(cost: 1, rows: a.points, values: a.values.map { neuron.sign * $0 }))
            }
            return LinearProgram(equalityRows: targets, columns: columns)
        case .dual:
            let rows = neurons.map { activations($0.weights) }
            let first = neuronOffset
            var columns = (0..<n).map { j in
                LPColumn(
                    cost: -targets[j], lower: -costs[j].minus, upper: costs[j].plus, rows: intercept ? [0] : [],
                    values: intercept ? [1] : [])
            }
            for (i, row) in rows.enumerated() {
                for (j, value) in zip(row.points, row.values) {
                    columns[j].rows.append(first + i)
                    columns[j].values.append(value)
                }
            }
            let interceptRow: [Double] = intercept ? [0] : []
            return LinearProgram(
                rowLower: interceptRow + rows.map { _ in -1 }, rowUpper: interceptRow + rows.map { _ in 1 },
                columns: columns)
        }
    }

    var numberOfPoints: Int { targets.count }

    /// The index of the first neuron's column (primal: after the residuals and the intercept) or row (dual: after
    /// the intercept's row).
    var neuronOffset: Int {
        let fixed = intercept ? 1 : 0
        return form == .primal ? 2 * numberOfPoints + fixed : fixed
    }

    /// Sets the residuals' costs (`costs[j]` for `r⁺_j`, `r⁻_j`) and, for the squared loss, their quadratic costs
    /// (one per point, for both of its columns).
    /// In the dual form the costs are the bounds of `u_j`. For a `penalty` (the interpolation's, raised until no
    /// residual is left) the primal form keeps the LP's duals: fixing them at the penalty where a residual of the
    /// LP's tolerance remains would give them its size and the bound an error of that size times the residual.
    mutating func setResidualCosts(_ costs: [(plus: Double, minus: Double)], quadratic: [Double]?, penalty: Bool)
        throws(TrainingError)
    {
        self.costs = costs
        self.quadratic = quadratic
        fixesResidualDuals = quadratic == nil && !penalty
        let n = numberOfPoints
        do {
            switch form {
            case .primal:
                try solver.setCosts(costs.flatMap { [$0.plus, $0.minus] }, columns: Array(0..<(2 * n)))
                if let q = quadratic {
                    try solver.setQuadraticCosts(q.flatMap { [$0, $0] }, columns: Array(0..<(2 * n)))
                }
            case .dual:
                precondition(quadratic == nil, "the dual form of the master is linear")
                try solver.setBounds(lower: costs.map { -$0.minus }, upper: costs.map(\.plus), columns: Array(0..<n))
            }
        } catch {
            throw .lp(error)
        }
    }

    /// Adds neurons: columns of the primal form, rows of the dual form (where a neuron whose row is there already,
    /// with the other sign, adds nothing). Returns the number added. Throws `masterTooLarge`, adding nothing, when
    /// the master would pass `entryLimit` matrix entries.
    @discardableResult
    mutating func add(_ new: [(weights: [Double], sign: Double)]) throws(TrainingError) -> Int {
        var seen = Set<[Double]>()
        let fresh = form == .dual ? new.filter { !rowOf.contains($0.weights) && seen.insert($0.weights).inserted } : new
        guard !fresh.isEmpty else { return 0 }
        let columns = fresh.map { activations($0.weights) }
        let count = columns.reduce(0) { $0 + $1.points.count }
        guard entries + count <= entryLimit else { throw .masterTooLarge(entries: entries + count, limit: entryLimit) }
        do {
            switch form {
            case .primal:
                try solver.addColumns(
                    zip(fresh, columns).map { neuron, a in
                        LPColumn(cost: 1, rows: a.points, values: a.values.map { neuron.sign * $0 })
                    })
                neurons += fresh
            case .dual:
                try solver.addRows(columns.map { LPRow(lower: -1, upper: 1, columns: $0.points, values: $0.values) })
                for neuron in fresh { rowOf.insert(neuron.weights) }
                neurons += fresh.map { ($0.weights, 1) }
            }
        } catch {
            throw .lp(error)
        }
        neuronEntries += columns.map(\.points.count)
        entries += count
        return fresh.count
    }

    /// Removes the neurons at `indices` (out of the solution, so the basis stays valid).
    mutating func remove(_ indices: [Int]) throws(TrainingError) {
        guard !indices.isEmpty else { return }
        let shifted = indices.map { neuronOffset + $0 }
        do {
            switch form {
            case .primal: try solver.removeColumns(shifted)
            case .dual: try solver.removeRows(shifted)
            }
        } catch {
            throw .lp(error)
        }
        let removed = Set(indices)
        for k in removed {
            rowOf.remove(neurons[k].weights)
            entries -= neuronEntries[k]
        }
        let kept = neurons.indices.filter { !removed.contains($0) }
        neurons = kept.map { neurons[$0] }
        neuronEntries = kept.map { neuronEntries[$0] }
    }

    /// Solves the master warm from the last basis. A solve the backend ends in numerical trouble (CLP's "optimal"
    /// with reduced costs of the wrong sign, a stalled QP, GLPK's cycling, a false "infeasible") is recovered from as solver libraries
    /// do: the master is rebuilt from scratch on a fresh solver of the same backend (cold, scaling chosen afresh),
    /// then on the other backends that solve it (`SolverRecovery`); the first that ends optimal holds the master
    /// from then on. Then the rescaled master, last the squared loss's QP in Swift (`SquaredMasterQP`). Only when
    /// every one fails is the first status returned.
    /// `deadline`: the run's; every solve below is bound to it (`bind`): the seconds left as its time limit, and
    /// the deadline itself as its stop hook, read between stretches of iterations, so that a signal or the end
    /// stops even a long solve (a solve it stops returns `.timeLimit` or `.interrupted`, no solution, and starts no
    /// recovery; so does a recovery that finds the time used up or a signal come: a cold CLP QP of a recovery ran 8
    /// minutes past a 300 s limit, plane n = 300, λ = 1e-6, and a run inside the recovery did not end within 6 s of
    /// SIGTERM). The Swift QP reads the deadline between its pivots.
    /// `central`: solve the primal form of a linear master by the barrier without crossover first
    /// (`centralSolution`); the simplex below only when the barrier does not end optimal.
    mutating func solve(deadline: Deadline = .none, central: Bool = false) throws(TrainingError) -> (
        status: LPTerminationStatus, solution: Solution?
    ) {
        if central, form == .primal, quadratic == nil, let solution = centralSolution(deadline: deadline) {
            return (.optimal, solution)
        }
        if let result = solveSquaredQPFirst(deadline: deadline) {
            guard result.status == .optimal else { return (result.status, nil) }
            return (.optimal, solution(of: result))
        }
        Self.bind(solver, to: deadline)
        var result: LPResult
        do { result = try solver.solve() } catch { throw .lp(error) }
        // The master is feasible (residual columns fit any labels; u = 0 in the dual form) and bounded, so an
        // "infeasible" or "unbounded" is numerical trouble too; only the caller's limits are not.
        if result.status == .optimal && !isStationary(result) {
            result.status = .numericalTrouble("the backend's optimum fails the master's optimality conditions")
        }
        if result.status.category != .limit && result.status != .optimal {
            if deadline.expired {
                result.status = .timeLimit
            } else if let (fresh, retry) = recover(deadline: deadline) {
                (solver, result) = (fresh, retry)
            } else if deadline.expired {
                result.status = .timeLimit
            } else if let retry = solveRescaled(deadline: deadline) {
                result = retry
            } else if deadline.expired {
                result.status = .timeLimit
            } else if let retry = solveSquaredQP(deadline: deadline) {
                result = retry
            }
        }
        lastIterations = result.iterations
        guard result.status == .optimal else { return (result.status, nil) }
        return (.optimal, solution(of: result))
    }

    /// The squared loss's primal master by `SquaredMasterQP`, warm from the last support, before CLP's quadratic
    /// primal, which took 2–24 s a round with a few hundred columns where the active set takes milliseconds (plane
    /// n = 300, λ = 1e-4 and 1e-6; benchmarks/RESULTS.md, "The squared loss's master, warm"). Nil when it does not
    /// apply or fails its KKT check (then CLP solves, with its recoveries); a stop by the deadline is returned.
    /// Also records the support of an optimal solve.
    private mutating func solveSquaredQPFirst(deadline: Deadline) -> LPResult? {
        guard activeSetFirst, form == .primal, let q = quadratic,
            neurons.count * numberOfPoints <= Self.denseQPLimit,
            let qp = SquaredMasterQP(program: program(), quadratic: q)
        else { return nil }
        let fixed = intercept ? 1 : 0
        let warm = neurons.indices.filter { support.contains(Self.key(neurons[$0])) }.map { $0 + fixed }
        let result = qp.solve(deadline: deadline, warm: warm)
        guard let result else { return nil }
        if result.status == .optimal {
            let a = result.primal[neuronOffset...]
            support = Set(zip(neurons, a).filter { $1 > 0 }.map { Self.key($0.0) })
        }
        return result
    }

    /// The most entries of the dense columns `SquaredMasterQP` may hold when it solves first (80 MB).
    static let denseQPLimit = 10_000_000

    private static func key(_ neuron: (weights: [Double], sign: Double)) -> [Double] { neuron.weights + [neuron.sign] }

    /// The master solved by the barrier without crossover (docs/mathematics.md §4a, "Central duals"): a
    /// well-centred point of the optimal face instead of the simplex's extreme one. Its dual is priced as it is
    /// (any dual clamped into the loss's box gives a valid bound); amplitudes below `centralDropBelow` of the
    /// largest are the barrier's interior values of columns out of the face and are set to zero, so the network
    /// is the face's (its objective is recomputed from its atoms by the caller: a real network's). Nil when the
    /// barrier does not end optimal; the next simplex solve starts cold.
    private mutating func centralSolution(deadline: Deadline) -> Solution? {
        solver.options.algorithm = .barrier(crossover: false)
        Self.bind(solver, to: deadline)
        defer { solver.options.algorithm = .simplex }
        guard let result = try? solver.solve(), result.status == .optimal else { return nil }
        let n = numberOfPoints
        let x = result.primal
        var amplitudes = Array(x[neuronOffset...])
        let largest = amplitudes.max() ?? 0
        for k in amplitudes.indices where amplitudes[k] <= Self.centralDropBelow * largest { amplitudes[k] = 0 }
        let residuals = (0..<n).map { x[2 * $0] - x[2 * $0 + 1] }
        return Solution(amplitudes: amplitudes, residuals: residuals, dual: result.rowDuals)
    }

    /// The fraction of the largest amplitude below which a barrier solution's amplitude counts as zero.
    static let centralDropBelow = 1e-6

    /// Gives `solver` what is left of `deadline`: the seconds as its time limit (at least 0.01 s) and, when the
    /// deadline has an end or watches signals, the deadline as its stop hook (`LPSolver.stopHook`).
    private static func bind(_ solver: any LPSolver, to deadline: Deadline) {
        solver.options.timeLimit = deadline.remaining.map { max($0, 0.01) }
        solver.stopHook = deadline.stopHook
    }

    /// The master rebuilt from scratch on a fresh solver of each backend in `SolverRecovery.order`: the first
    /// optimal solve and its solver, or nil; none is tried once `deadline` has expired.
    private func recover(deadline: Deadline) -> (any LPSolver, LPResult)? {
        for backend in recovery.order(quadratic: quadratic != nil) where !deadline.expired {
            let solver = recovery.make(backend)
            Self.bind(solver, to: deadline)
            if let fresh = try? load(program(), on: solver), let retry = try? fresh.solve(),
                retry.status == .optimal, isStationary(retry)
            {
                return (fresh, retry)
            }
        }
        return nil
    }

    /// The last recovery: the master with its objective divided by its largest cost coefficient c (the squared
    /// loss's quadratic cost 1/(nλ) reaches 1e12 at tiny λ, where CLP's reduced costs carry rounding errors above
    /// its absolute tolerances), solved on a fresh solver of the run's backend; its duals, reduced costs and
    /// objective are multiplied back by c. The solver is used for this solve only: the master's own keeps the
    /// unscaled costs for the next round's changes.
    private func solveRescaled(deadline: Deadline) -> LPResult? {
        let c = max(quadratic?.max() ?? 0, costs.reduce(0.0) { max($0, $1.plus, $1.minus) })
        guard c > 1, c.isFinite else { return nil }
        var scaled = program()
        for k in scaled.columns.indices { scaled.columns[k].cost /= c }
        let rescaled = quadratic.map { $0.map { $0 / c } }
        let solver = recovery.make(recovery.backend)
        Self.bind(solver, to: deadline)
        guard let fresh = try? load(scaled, on: solver, quadratic: rescaled),
            var retry = try? fresh.solve(), retry.status == .optimal
        else { return nil }
        retry.objective *= c
        retry.rowDuals = retry.rowDuals.map { c * $0 }
        retry.reducedCosts = retry.reducedCosts.map { c * $0 }
        return isStationary(retry) ? retry : nil
    }

    /// Relative tolerance of `isStationary`: ten times CLP's own test of a QP at the master's unit (a neuron costs
    /// 1). 1e-7 refused a rescaled answer off by 1.3e-7 (kink1d_n20, λ = 1e-8) that pricing handles; the answers
    /// it must refuse are off by 1e-4 to 1e-2.
    static let stationarityTolerance = 1e-6

    /// Whether an optimal `result` of the primal form satisfies the master's optimality conditions as the master
    /// states them, recomputed from its columns and the result's point and row duals (docs/mathematics.md §4a): for
    /// each column, `d = c + q x − ⟨A, u⟩ ≥ −tol` unless at its upper bound and `≤ tol` unless at its lower bound,
    /// `tol` relative to `max(1, |c| + |q x| + Σ |A u|)`. A backend tests its own, possibly scaled, model: the
    /// rescaled master's duals times c (q = 1/(nλ) = 5e8) gave a neuron's reduced cost of −49 (η = 50) that
    /// CLP's absolute tolerance had let pass. The dual form is taken as the backend returns it.
    private func isStationary(_ result: LPResult) -> Bool {
        guard form == .primal else { return true }
        let columns = program().columns
        guard result.primal.count == columns.count, result.rowDuals.count == numberOfPoints else { return false }
        let primalTolerance = 1e-8
        for (k, column) in columns.enumerated() {
            let x = result.primal[k]
            let curvature = k < 2 * numberOfPoints ? (quadratic?[k / 2] ?? 0) * x : 0
            var (d, size) = (column.cost + curvature, abs(column.cost) + abs(curvature))
            for (j, value) in zip(column.rows, column.values) {
                d -= value * result.rowDuals[j]
                size += abs(value * result.rowDuals[j])
            }
            let tolerance = Self.stationarityTolerance * max(1, size)
            if d < -tolerance && x < column.upper - primalTolerance { return false }
            if d > tolerance && x > column.lower + primalTolerance { return false }
        }
        return true
    }

    /// `solver` holding `problem` and, for the primal form, the residuals' quadratic cost (default: the master's).
    private func load(_ problem: LinearProgram, on solver: any LPSolver, quadratic q: [Double]?? = nil)
        throws(LPError)
        -> any LPSolver
    {
        try solver.load(problem)
        if let q = q ?? quadratic, form == .primal {
            try solver.setQuadraticCosts(q.flatMap { [$0, $0] }, columns: Array(0..<(2 * numberOfPoints)))
        }
        return solver
    }

    /// The amplitudes, residuals and dual vector of an optimal solve.
    private func solution(of result: LPResult) -> Solution {
        let n = numberOfPoints
        switch form {
        case .primal:
            let x = result.primal
            var u = result.rowDuals
            // Complementary slackness fixes the dual of a row whose linear-cost residual column is in the solution:
            // u_j = its cost. Set it exactly: at extreme λ the cost is below the LP's tolerances and CLP returns 0.
            for j in 0..<n where fixesResidualDuals && (x[2 * j] > 0) != (x[2 * j + 1] > 0) {
                u[j] = x[2 * j] > 0 ? costs[j].plus : -costs[j].minus
            }
            let residuals = (0..<n).map { x[2 * $0] - x[2 * $0 + 1] }
            return Solution(amplitudes: Array(x[neuronOffset...]), residuals: residuals, dual: u)
        case .dual:
            // u_j strictly inside its box is basic: its residual is zero. At a bound, the reduced cost −y_j + f_j
            // is minus the residual.
            let u = result.primal
            var residuals = [Double](repeating: 0, count: n)
            for j in 0..<n where u[j] <= -costs[j].minus || u[j] >= costs[j].plus {
                residuals[j] = -result.reducedCosts[j]
            }
            // A neuron's dual has the sign of the bound its row is at (η = ±1); one of the other sign is the LP's
            // tolerance around zero (seen: −1e-10 at η = +1 on noise-free data), an atom of the wrong sign: drop it.
            var amplitudes = result.rowDuals[neuronOffset...].map { -$0 }
            for k in amplitudes.indices where amplitudes[k] != 0 && amplitudes[k] * certificate(neuron: k, dual: u) <= 0
            {
                amplitudes[k] = 0
            }
            return Solution(amplitudes: amplitudes, residuals: residuals, dual: u)
        }
    }

    /// The activations `σ(⟨w, x̃_j⟩)` of a neuron where they are positive: its column (primal) or row (dual).
    private func activations(_ w: [Double]) -> (points: [Int], values: [Double]) {
        var indices: [Int] = []
        var values: [Double] = []
        for j in 0..<numberOfPoints {
            let t = dot(w, points[point: j])
            if t > 0 {
                indices.append(j)
                values.append(t)
            }
        }
        return (indices, values)
    }

    /// `Σ_j σ(⟨w_k, x̃_j⟩) u_j` for neuron k (without its sign).
    private func certificate(neuron k: Int, dual u: [Double]) -> Double {
        let a = activations(neurons[k].weights)
        return zip(a.points, a.values).reduce(0.0) { $0 + $1.1 * u[$1.0] }
    }

    /// The neurons that are out of `solution` (zero amplitude) with certificate value `s ⟨φ(w), u⟩` (dual form:
    /// its magnitude) below `threshold`: their reduced cost (primal) or slack (dual) exceeds `1 − threshold`.
    func unused(in solution: Solution, belowEta threshold: Double) -> [Int] {
        neurons.indices.filter { k in
            guard solution.amplitudes[k] == 0 else { return false }
            let eta = certificate(neuron: k, dual: solution.dual)
            return (form == .dual ? abs(eta) : neurons[k].sign * eta) < threshold
        }
    }
}

/// The solvers of a master and of its recoveries (`MasterLP.solve`): the run's backend first, then the others able
/// to solve the master (a linear one for every backend, a QP only where `solvesQuadraticObjectives`). `make` is
/// `LPBackend.makeSolver` with the run's options unless a caller substitutes its own (`TrainingOptions.solverFactory`).
struct SolverRecovery {
    let backend: LPBackend
    let make: (LPBackend) -> any LPSolver

    /// The backends to rebuild the master on, in order.
    func order(quadratic: Bool) -> [LPBackend] {
        [backend]
            + LPBackend.allCases.filter { $0 != backend && (!quadratic || $0.solvesQuadraticObjectives) }
    }
}
