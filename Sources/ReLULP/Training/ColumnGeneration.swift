import Foundation

/// The master LP (a QP for the squared loss) of the column generation (docs/mathematics.md §4; `Loss`) and the state that
/// survives between solves.
///
/// Rows: `Σ_k (a⁺_k − a⁻_k) σ(⟨w_k, x̃_j⟩) + r⁺_j − r⁻_j = y_j`. The objective is scaled so that every neuron
/// costs 1: then a neuron's reduced cost is `1 − η(w)` and the LP's dual tolerance bounds the certificate's
/// excess over 1 whatever λ is. The residuals cost what the loss says with weight `1/(nλ)` for (P)
/// (`Loss.residualCosts`), and a penalty `C` on both sides for the interpolation, raised until no residual is left
/// (an exact penalty once `C` exceeds the optimal dual's largest entry).
struct MasterProblem {
    let trainer: ExactTrainer
    /// The run's settings (the internal warm start loosens the tolerance for its steps, `solveWarmStarted`).
    var options: TrainingOptions
    /// How the rounds are priced (`ExactTrainer.pricer(for:)`).
    let pricer: any Pricer
    /// The master LP (primal or dual form) and its neurons.
    var master: MasterLP
    /// The labels the rows fit, divided by `labelScale`: the data's, or ±1 for the hinge loss (`classes` says which
    /// was which).
    let targets: [Double]
    /// s, the power of two at or below max |y_j| (1 for zero labels and the hinge's ±1): the LP fits y/s, so that its
    /// absolute tolerances mean the same at every scale of the labels (docs/mathematics.md, "Scale-free optimality").
    let labelScale: Double
    let classes: [Double]?
    /// The sample weights normalised to mean 1 (`Loss.normalisedWeights`), nil without weights.
    let weights: [Double]?
    var rounds = 0
    /// The last optimal master solution, for pruning between solves.
    var last: MasterLP.Solution? = nil
    /// For the neurons `prune` kept, how many consecutive prunes found them out of the solution below the
    /// threshold.
    var idle: [[Int64]: Int] = [:]
    /// The LP's dual (scaled problem) at the end of the last solve of (P) and that solve's residual cost `c`: the
    /// next solve's first stability centre, rescaled to its `c` (docs/mathematics.md §4a, "The path's centre").
    var stabilityCentre: (dual: [Double], residualCost: Double)? = nil

    init(trainer: ExactTrainer, options: TrainingOptions) throws(TrainingError) {
        self.trainer = trainer
        self.options = options
        pricer = trainer.pricer(for: options)
        let (mapped, codes) = try options.loss.targets(labels: trainer.labels)
        let largest = mapped.reduce(0.0) { max($0, abs($1)) }
        let s = largest > 0 ? Double(sign: .plus, exponent: largest.exponent, significand: 1) : 1
        (targets, classes, labelScale) = (mapped.map { $0 / s }, codes, s)
        if let w = options.sampleWeights, w.count != mapped.count {
            throw .invalidOption("\(w.count) sample weights for \(mapped.count) points")
        }
        weights = Loss.normalisedWeights(options.sampleWeights)
        // The targets are the LP's right-hand side: beyond ~1e15 the backends fail (CLP reports infeasible from
        // 1e30 and aborts the process from 1e100, GLPK returned NaN). (P) is homogeneous in (y, μ), so rescaled
        // labels lose nothing. The hinge loss's targets are ±1 whatever its two class codes are.
        if let j = mapped.indices.first(where: { abs(mapped[$0]) > Self.maxLabel }) {
            throw .invalidOption(
                "label \(trainer.labels[j]) of point \(j + 1) is beyond ±1e15, where the LP backends are not reliable; divide the labels by a power of 10 (the optimal network and objective scale with them, λ stays)"
            )
        }
        // The points' coordinates are the LP's matrix entries (and the geometry's input): the same limit.
        if let (j, value) = trainer.points.firstUnusableCoordinate() {
            throw .arrangement(.unusablePoint(index: j, value: value))
        }
        // η may exceed 1 by about the dual tolerance at the LP's optimum, and the gap is about that excess.
        // The interpolation's duals can be large (thousands on clustered points), so its rows need a tighter
        // primal tolerance for the fit and the total variation to be accurate to ~1e-9.
        let lpOptions = LPOptions(
            primalTolerance: options.problem == .interpolation ? 1e-12 : 1e-9,
            dualTolerance: min(1e-9, max(1e-10, 0.05 * options.tolerance)))
        let factory = options.solverFactory
        let recovery = SolverRecovery(backend: options.backend) { factory($0, lpOptions) }
        if options.loss.isQuadratic && !options.backend.solvesQuadraticObjectives {
            throw .needsQuadraticBackend(loss: options.loss, backend: options.backend)
        }
        let d = trainer.points.dimension
        // A zero weight under the squared loss: two linear residual columns of cost 0 (a free column without
        // curvature made CLP's QP fail).
        let loss = options.problem == .interpolation ? Loss.l1 : options.loss
        let bounds = targets.indices.map { [weights] j in
            weights?[j] == 0 ? Loss.l1.residualBounds : loss.residualBounds
        }
        master = try MasterLP(
            form: options.masterForm(
                points: trainer.points.count,
                atoms: AtomRegime(points: trainer.points, labels: trainer.labels, options: options)),
            points: trainer.points, targets: targets, residualBounds: bounds,
            entryLimit: options.maxMasterEntries, recovery: recovery, intercept: options.intercept,
            activeSetFirst: options.activeSetSquaredMaster)
        // Without the regions only a run whose deadline ended the enumeration gets here; it ends at the first
        // master solve with status time-limit.
        if options.method == .vertices, let arrangement = trainer.arrangement {
            try master.add(
                (0..<arrangement.numberOfRays).flatMap { r in
                    let w = Array(arrangement.rays[(r * d)..<(r * d + d)])
                    return [(w, 1.0), (w, -1.0)]
                })
        }
    }

    /// The LP's weight of the data term for (P), `1/(nλ)` (formed without overflow), at most `maxResidualCost`.
    /// Every dual with |u_j| ≤ this weight is feasible for (P), so the cap only restricts the duals and bounds stay
    /// valid; it keeps the LP's costs where the backends solve reliably (CLP aborts at 1e25 and fails at 1e15).
    static func residualCost(n: Int, lambda: Double) -> Double {
        min(1 / Double(n) / lambda, maxResidualCost)
    }

    /// Neurons out of the master's solution with certificate value below this for `agingRounds` consecutive rounds
    /// leave it (column aging, `addColumns`).
    static let agingThreshold = 0.9

    /// The rounds an idle neuron stays in the primal master of `rows` rows (docs/mathematics.md §4, "The master's
    /// cost"): three, so that the oscillating dual's neurons need not come back (plane n = 300, λ = 1e-4: 42 rounds
    /// against 65 after one); one from `agingRowsForOneRound` rows, where a re-solve of the dense 1000-row basis costs
    /// several pricing rounds and the smaller master saves more than the extra rounds cost (plane n = 1000,
    /// λ = 1e-4: 84 rounds against 71, 22 s in the master against 35; benchmarks/RESULTS.md).
    static func agingRounds(rows: Int) -> Int { rows >= agingRowsForOneRound ? 1 : 3 }
    static let agingRowsForOneRound = 1000

    /// The largest label magnitude given to the LP.
    static let maxLabel = 1e15

    /// The largest residual cost of (P) given to the LP (reached only for λ < 1e-12/n).
    static let maxResidualCost = 1e12

    /// Sets the residual columns' costs for the data-term weight `weight` (`1/(nλ)`, or the interpolation's
    /// penalty, which is an L1 cost on both sides).
    mutating func setResidualCost(_ weight: Double, interpolating: Bool) throws(TrainingError) {
        let loss = interpolating ? Loss.l1 : options.loss
        let v = interpolating ? nil : weights
        try master.setResidualCosts(
            targets.indices.map { loss.residualCosts(target: targets[$0], weight: weight * (v?[$0] ?? 1)) },
            quadratic: loss.isQuadratic ? targets.indices.map { weight * (v?[$0] ?? 1) } : nil,
            penalty: interpolating)
    }

    /// Removes the neurons that are out of the last solution (zero amplitude) with certificate value below
    /// `belowEta` (reduced cost 1 − η above 1 − belowEta) at this and the `patience − 1` previous prunes; nonbasic
    /// columns, so the basis stays valid.
    mutating func prune(belowEta threshold: Double, afterRounds patience: Int = 1) throws(TrainingError) {
        guard let last, options.method == .columnGeneration else { return }
        var idleNext: [[Int64]: Int] = [:]
        var leaving: [Int] = []
        for k in master.unused(in: last, belowEta: threshold) {
            let key = Self.key(master.neurons[k].weights, master.neurons[k].sign)
            let rounds = (idle[key] ?? 0) + 1
            if rounds >= patience { leaving.append(k) } else { idleNext[key] = rounds }
        }
        idle = idleNext
        try master.remove(leaving)
        self.last = nil
    }

    /// A neuron's identity to 1e-9 (one column per point, `addNeurons`).
    static func key(_ w: [Double], _ sign: Double) -> [Int64] { [Int64(sign)] + w.map { Int64(($0 * 1e9).rounded()) } }

    /// Column generation to a certified gap for one objective, continuing from the current columns and basis:
    /// each round solves the master, prices its dual points, updates the bounds and decides whether to stop, raise
    /// the interpolation's penalty or add the violating neurons (ColumnGeneration+Steps.swift).
    mutating func solve(objective problem: Objective) throws(TrainingError) -> TrainingResult {
        let result = try solveNormalized(objective: normalized(problem))
        return unscaled(result, problem: problem)
    }

    /// `solve` for the labels y/s and the objective `normalized(problem)`.
    private mutating func solveNormalized(objective problem: Objective) throws(TrainingError) -> TrainingResult {
        var state = try begin(problem)
        // A solve that throws leaves no subset phase behind (`conclude` ends it otherwise).
        defer { state.subsets?.cancel() }
        while true {
            let roundStart = Date()
            guard let round = try solveMaster(state) else {
                return conclude(&state, termination: state.deadline.reason ?? .timeLimit)
            }
            let masterSeconds = Date().timeIntervalSince(roundStart)
            var (points, proposal) = pricingPoints(round, state)
            let newtonSeconds = Date().timeIntervalSince(roundStart) - masterSeconds
            if let moved = jointMove(round, state) {
                points.append(moved)
                proposal += moved.network ?? []
            }
            let (priced, heuristic) = priceRound(points, around: round.network + proposal, &state)
            let moved = slide(round, &state)
            proposal += moved?.atoms ?? []
            let gap = updateBounds(priced, fits: round.fits, &state)
            state.subsets?.published = SubsetPhase.Round(
                round: rounds, columns: master.neurons.count, upper: state.incumbent.upper,
                network: state.incumbent.network, lower: state.bestLower)
            let elapsed = Date().timeIntervalSince(state.start)
            var line = progress(priced, gap: gap, elapsed: elapsed, state)
            (line.masterSeconds, line.pricingSeconds) = (
                masterSeconds, Date().timeIntervalSince(roundStart) - masterSeconds
            )
            (line.masterIterations, line.newtonSeconds) = (master.lastIterations, newtonSeconds)
            let scale = objectiveScale(state.problem)
            (line.masterObjective, line.slideObjective) = (scale * round.upper, moved.map { scale * $0.objective })
            options.progress?(line)
            switch decide(round, priced, gap: gap, elapsed: elapsed, &state) {
            case .stop(let termination):
                last = round.solution
                keepCentre(round, state)
                return conclude(&state, termination: termination)
            case .raisePenalty:
                try raisePenalty(round, &state)
            case .addColumns:
                if let termination = try addColumns(
                    round, proposal: proposal, priced: priced,
                    heuristic: heuristic, &state)
                {
                    last = round.solution
                    keepCentre(round, state)
                    return conclude(&state, termination: termination)
                }
            }
        }
    }
}

extension MasterProblem {
    /// The objective the master solves for the labels y/s: (P) is homogeneous in (y, μ) for the L1 and hinge
    /// losses and the interpolation, J*(y/s, λ) = J*(y, λ)/s; the squared loss is homogeneous of degree 2 with λ
    /// along, J*(y/s, λ/s) = J*(y, λ)/s².
    func normalized(_ problem: Objective) -> Objective {
        guard case .regularized(let lambda) = problem, options.loss.isQuadratic else { return problem }
        return .regularized(lambda: max(lambda / labelScale, Double.leastNonzeroMagnitude))
    }

    /// The factor from the normalised objective to the user's: s² for (P) with the squared loss, else s.
    func objectiveScale(_ problem: Objective) -> Double {
        options.loss.isQuadratic && problem != .interpolation ? labelScale * labelScale : labelScale
    }

    /// A result of the normalised problem in the user's units: amplitudes times s (exact, s is a power of two), the
    /// objective and the bound times `objectiveScale`, the dual p times `objectiveScale / s` (so that
    /// η = (1/λ) Σ p_j σ is unchanged); the relative gap and the certificate's max |η| are scale-free.
    func unscaled(_ result: TrainingResult, problem: Objective) -> TrainingResult {
        let s = labelScale
        guard s != 1 || problem != result.problem else { return result }
        let k = objectiveScale(problem)
        var out = result
        out.problem = problem
        out.measure = DiracMeasure(
            dimension: result.measure.dimension,
            atoms: result.measure.atoms.map { DiracAtom(amplitude: s * $0.amplitude, weights: $0.weights) })
        out.objective = k * result.objective
        out.loss = k * result.loss
        out.totalVariation = s * result.totalVariation
        out.intercept = result.intercept.map { s * $0 }
        out.lowerBound = k * result.lowerBound
        out.certificate.dual = result.certificate.dual.map { k / s * $0 }
        return out
    }
}
