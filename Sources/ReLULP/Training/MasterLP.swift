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
struct MasterLP {
    enum Form: String, Sendable { case primal, dual }

    let form: Form
    let solver: any LPSolver
    let points: LiftedData
    /// The targets the rows fit.
    let targets: [Double]
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

    /// One solve: the neurons' amplitudes `a_k` (the atom of neuron k is `sign_k a_k`; `a_k ≥ 0` in the primal
    /// form), the residuals `r_j = y_j − f(x_j)` of the LP's network, and the dual vector `u` of the data rows
    /// (exactly at the residual's cost where a linear residual is in the solution).
    struct Solution {
        var amplitudes: [Double]
        var residuals: [Double]
        var dual: [Double]
    }

    /// A master with no neurons. `residualBounds` are the bounds of the primal form's residual columns `r⁺_j`, `r⁻_j`.
    init(
        form: Form, points: LiftedData, targets: [Double],
        residualBounds: (plus: ClosedRange<Double>, minus: ClosedRange<Double>),
        entryLimit: Int, solver: any LPSolver
    ) throws(TrainingError) {
        self.form = form
        self.entryLimit = entryLimit
        self.solver = solver
        self.targets = targets
        let n = points.count
        self.points = points
        costs = [(plus: Double, minus: Double)](repeating: (1, 1), count: n)
        var problem: LinearProgram
        switch form {
        case .primal:
            var columns: [LPColumn] = []
            for j in 0..<n {
                columns.append(
                    LPColumn(
                        cost: 1, lower: residualBounds.plus.lowerBound, upper: residualBounds.plus.upperBound,
                        rows: [j], values: [1]))
                columns.append(
                    LPColumn(
                        cost: 1, lower: residualBounds.minus.lowerBound, upper: residualBounds.minus.upperBound,
                        rows: [j], values: [-1]))
            }
            problem = LinearProgram(equalityRows: targets, columns: columns)
        case .dual:
            problem = LinearProgram(
                rowLower: [], rowUpper: [],
                columns: (0..<n).map { j in
                    LPColumn(cost: -targets[j], lower: -1, upper: 1, rows: [], values: [])
                })
        }
        do { try solver.load(problem) } catch { throw .lp(error) }
    }

    var numberOfPoints: Int { targets.count }

    /// Sets the residuals' costs (`costs[j]` for `r⁺_j`, `r⁻_j`) and, for the squared loss, their quadratic cost.
    /// In the dual form the costs are the bounds of `u_j`. For a `penalty` (the interpolation's, raised until no
    /// residual is left) the primal form keeps the LP's duals: fixing them at the penalty where a residual of the
    /// LP's tolerance remains would give them its size and the bound an error of that size times the residual.
    mutating func setResidualCosts(_ costs: [(plus: Double, minus: Double)], quadratic: Double?, penalty: Bool)
        throws(TrainingError)
    {
        self.costs = costs
        fixesResidualDuals = quadratic == nil && !penalty
        let n = numberOfPoints
        do {
            switch form {
            case .primal:
                try solver.setCosts(costs.flatMap { [$0.plus, $0.minus] }, columns: Array(0..<(2 * n)))
                if let q = quadratic {
                    try solver.setQuadraticCosts([Double](repeating: q, count: 2 * n), columns: Array(0..<(2 * n)))
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
        let n = numberOfPoints
        do {
            switch form {
            case .primal: try solver.removeColumns(indices.map { 2 * n + $0 })
            case .dual: try solver.removeRows(indices)
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

    /// Solves the master warm from the last basis.
    func solve() throws(TrainingError) -> (status: LPTerminationStatus, solution: Solution?) {
        let result: LPResult
        do { result = try solver.solve() } catch { throw .lp(error) }
        guard result.status == .optimal else { return (result.status, nil) }
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
            return (.optimal, Solution(amplitudes: Array(x[(2 * n)...]), residuals: residuals, dual: u))
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
            var amplitudes = result.rowDuals.map { -$0 }
            for k in amplitudes.indices where amplitudes[k] != 0 && amplitudes[k] * certificate(neuron: k, dual: u) <= 0
            {
                amplitudes[k] = 0
            }
            return (.optimal, Solution(amplitudes: amplitudes, residuals: residuals, dual: u))
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
