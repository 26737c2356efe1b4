import Foundation

/// What the master LP minimises.
enum TrainingObjective: Equatable {
    /// (P): `(1/n) Σ |r_j| + λ ‖μ‖_TV`.
    case regularized(Double)
    /// The noise-free limit: `‖μ‖_TV` subject to `f_μ(x_j) = y_j` for every j.
    case interpolation
}

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
    let options: TrainingOptions
    /// How the rounds are priced (`ExactTrainer.pricer(for:)`).
    let pricer: any Pricer
    /// The master LP (primal or dual form) and its neurons.
    var master: MasterLP
    /// The labels the rows fit: the data's, or ±1 for the hinge loss (`classes` says which was which).
    let targets: [Double]
    let classes: [Double]?
    var rounds = 0
    /// The last optimal master solution, for pruning between solves.
    var last: MasterLP.Solution? = nil

    init(trainer: ExactTrainer, options: TrainingOptions) throws(TrainingError) {
        self.trainer = trainer
        self.options = options
        pricer = trainer.pricer(for: options)
        // The labels are the LP's right-hand side: beyond ~1e15 the backends fail (CLP reports infeasible from
        // 1e30 and aborts the process from 1e100, GLPK returned NaN). (P) is homogeneous in (y, μ), so rescaled
        // labels lose nothing.
        if let j = trainer.labels.indices.first(where: { abs(trainer.labels[$0]) > Self.maxLabel }) {
            throw .invalidOption("label \(trainer.labels[j]) of point \(j + 1) is beyond ±1e15, where the LP backends are not reliable; divide the labels by a power of 10 (the optimal network and objective scale with them, λ stays)")
        }
        // The points' coordinates are the LP's matrix entries (and the geometry's input): the same limit.
        if let (j, value) = trainer.points.firstUnusableCoordinate() {
            throw .arrangement(.unusablePoint(index: j, value: value))
        }
        (targets, classes) = try options.loss.targets(labels: trainer.labels)
        // η may exceed 1 by about the dual tolerance at the LP's optimum, and the gap is about that excess.
        // The interpolation's duals can be large (thousands on clustered points), so its rows need a tighter
        // primal tolerance for the fit and the total variation to be accurate to ~1e-9.
        let solver = options.backend.makeSolver(options: LPOptions(
            primalTolerance: options.interpolate ? 1e-12 : 1e-9, dualTolerance: min(1e-9, max(1e-10, 0.05 * options.tolerance))))
        if options.loss.isQuadratic && !(solver is any QuadraticObjectiveSolver) {
            throw .needsQuadraticBackend(loss: options.loss, backend: options.backend)
        }
        let d = trainer.points.dimension
        master = try MasterLP(form: options.masterForm(points: trainer.points.count),
                              points: trainer.points, targets: targets,
                              residualBounds: options.interpolate ? Loss.l1.residualBounds : options.loss.residualBounds,
                              entryLimit: options.maxMasterEntries, solver: solver)
        if options.method == .vertices {
            guard let arrangement = trainer.arrangement else { throw ExactTrainer.verticesNeedRegions }
            try master.add((0..<arrangement.numberOfRays).flatMap { r in
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

    /// The largest label magnitude given to the LP.
    static let maxLabel = 1e15

    /// The largest residual cost of (P) given to the LP (reached only for λ < 1e-12/n).
    static let maxResidualCost = 1e12

    /// Sets the residual columns' costs for the data-term weight `weight` (`1/(nλ)`, or the interpolation's
    /// penalty, which is an L1 cost on both sides).
    mutating func setResidualCost(_ weight: Double, interpolating: Bool) throws(TrainingError) {
        let loss = interpolating ? Loss.l1 : options.loss
        try master.setResidualCosts(targets.map { loss.residualCosts(target: $0, weight: weight) },
                                    quadratic: loss.residualQuadraticCost(weight: weight), penalty: interpolating)
    }

    /// Removes the neurons that are out of the last solution (zero amplitude) with certificate value below
    /// `belowEta` (reduced cost 1 − η above 1 − belowEta); nonbasic columns, so the basis stays valid.
    mutating func prune(belowEta threshold: Double) throws(TrainingError) {
        guard let last, options.method == .columnGeneration else { return }
        try master.remove(master.unused(in: last, belowEta: threshold))
        self.last = nil
    }

    /// Column generation to a certified gap for one objective, continuing from the current columns and basis.
    mutating func solve(objective: TrainingObjective) throws(TrainingError) -> TrainingResult {
        let start = Date()
        let points = trainer.points, labels = targets, loss = options.loss
        let n = points.count
        let d = points.dimension
        let interpolating = objective == .interpolation
        let lambda: Double
        var residualCost: Double
        switch objective {
        case .regularized(let l): lambda = l; residualCost = Self.residualCost(n: n, lambda: l)
        case .interpolation:
            lambda = 1
            // A penalty large against any dual entry a modest fit needs; raised below while residuals remain.
            residualCost = 1e3 * Double(n)
        }
        try setResidualCost(residualCost, interpolating: interpolating)
        let labelScale = max(labels.map(abs).max() ?? 0, 1e-300)
        /// The objective of a network recomputed from its atoms; for the interpolation its total variation, an
        /// upper bound once the network fits.
        func score(_ atoms: [DiracAtom]) -> Double {
            let measure = DiracMeasure(dimension: d, atoms: atoms)
            return interpolating ? measure.totalVariation
                : loss.value(outputs: measure.values(at: points), targets: labels) + lambda * measure.totalVariation
        }
        // The squared loss adds 20 per point: SquaredNewton places the Diracs exactly once the structure is found,
        // and CLP's quadratic primal slows down with every column (teacher_m1_n1000: 0.56 s against 5.5 s with 200).
        // The dual form adds 50: each cut is a dense row that CLP copies every solve (line n = 10⁴: 1.2 s and
        // 270 MB against 5.7 s and 770 MB with 200, in as many rounds; benchmarks/RESULTS.md, "The master's two forms").
        let perRound = options.columnsPerRound
            ?? (loss.isQuadratic ? 20 : master.form == .dual ? max(20, min(n, 50)) : max(20, min(n, 200)))
        let firstRound = rounds
        let newton = FaceNewton(points: points, labels: labels)
        let squaredNewton = SquaredNewton(points: points, targets: labels)
        var bestLower = -Double.infinity
        var bestDual: [Double]? = nil
        var bestMax = Double.infinity
        // The certificate reported: a dual of the last round that certifies the gap by itself together with the
        // network it was computed with (the LP's dual with the LP's network, or the Newton proposal's dual with
        // its network): a complementary pair, every Dirac where |η| = 1. Else the best dual so far.
        var certificate: (dual: [Double], max: Double, network: [DiracAtom])? = nil
        var polishing = 0
        var heuristicRounds = 0
        var status = TrainingStatus.roundLimit
        var result: MasterLP.Solution
        // The incumbent: the network with the lowest upper bound so far (an LP solution or a Newton proposal).
        // Within a solve the LP value only falls for (P), but the interpolation's total variation jitters at the
        // 1e-9 level once the penalty is large, and the last round need not be the best one.
        var incumbent: (upper: Double, network: [DiracAtom]) = (.infinity, [])
        var lastProgress = (round: rounds, upper: Double.infinity, lower: -Double.infinity)
        while true {
            rounds += 1
            let solved = master.solve()
            guard let solution = solved.solution else {
                throw .solverFailed(status: solved.status, round: rounds, backend: options.backend)
            }
            result = solution
            // For the interpolation the LP's network is an upper bound only once it fits every label, up to the
            // LP's primal tolerance: the bounds then refer to the labels it fits, y − r (|r_j| ≤ 1e-11·max|y|).
            let residual = interpolating ? result.residuals.reduce(0.0) { max($0, abs($1)) } : 0
            let fits = residual <= 1e-11 * labelScale
            // r = y − f(x) of the LP's network, from its residual columns.
            let residuals = result.residuals
            let targets = interpolating ? zip(labels, residuals).map { $0 - $1 } : labels
            let neurons = master.neurons
            let network = neurons.indices.filter { result.amplitudes[$0] != 0 }.map {
                DiracAtom(amplitude: neurons[$0].sign * result.amplitudes[$0], weights: neurons[$0].weights)
            }
            // The upper bound is the objective of the LP's network recomputed from its atoms (not the LP's value,
            // which differs by the LP's primal tolerance): the reported network then never scores above it.
            let upper = fits ? score(network) : .infinity
            // The dual point u lives in the scaled problem: p = λu for (P), in the loss's box (a valid bound
            // needs it exactly), free for the interpolation. For the squared loss it is the residual's gradient
            // u = r/(nλ), exact for the master's primal point (the QP's row duals agree only to its tolerance).
            let clamp: ([Double]) -> [Double] = {
                interpolating ? $0 : loss.clampedDual($0, targets: labels, weight: residualCost)
            }
            let u = clamp(loss.isQuadratic ? residuals.map { residualCost * $0 } : result.dual)
            // The points priced this round: the LP's dual, the smoothed dual (Wentges) and Newton's dual.
            var pricingPoints = [PricingPoint(dual: u, network: network, upper: upper, targets: targets)]
            if options.smoothing > 0, polishing == 0, let best = bestDual {
                let a = options.smoothing
                pricingPoints.append(PricingPoint(dual: zip(best, u).map { a * $0 + (1 - a) * $1 }, network: nil,
                                                  upper: .infinity, targets: targets))
            }
            // Newton on the LP's structure proposes the exact atoms and dual (FaceNewton).
            var proposal: [DiracAtom] = []
            // FaceNewton solves the L1 optimality conditions (sign(r)/n duals), SquaredNewton the squared loss's;
            // the hinge loss goes without (its LP structure would need FaceNewton's with one-sided residuals).
            let polish = options.newtonPolish && options.method == .columnGeneration
            if polish, !interpolating, loss == .squared {
                let mass = network.reduce(0) { $0 + abs($1.amplitude) }
                let merged = DiracMeasure(dimension: d, atoms: network).merged(over: points, dropBelow: 1e-9 * mass).atoms
                if let atoms = squaredNewton.solve(network: merged, lambda: lambda) {
                    let f = DiracMeasure(dimension: d, atoms: atoms).values(at: points)
                    proposal = atoms
                    pricingPoints.append(PricingPoint(dual: (0..<n).map { residualCost * (labels[$0] - f[$0]) },
                                                      network: atoms, upper: score(atoms), targets: labels))
                }
            }
            if fits, polish, interpolating || loss == .l1 {
                // Atoms at the level of the LP's tolerances are noise, and their direction is undefined.
                let mass = network.reduce(0) { $0 + abs($1.amplitude) }
                let merged = DiracMeasure(dimension: d, atoms: network).merged(over: points, dropBelow: 1e-9 * mass).atoms
                if let solution = newton.solve(network: merged, residuals: residuals, duals: result.dual,
                                               residualCost: interpolating ? nil : residualCost) {
                    proposal = solution.atoms
                    pricingPoints.append(PricingPoint(dual: clamp(solution.dual), network: solution.atoms,
                                                      upper: score(solution.atoms), targets: labels))
                }
            }
            // With the search, heuristic pricing first: the cells of the network's atoms and their neighbours. The
            // exact search runs when they hold no clear violation (max > 1.01; small violations there kept the loop
            // polishing one area without a bound) and at least every third round; every round that certifies is exact.
            let local = options.heuristicPricing && heuristicRounds < 2
                ? pricingPoints.compactMap { localPrice($0, around: (network + proposal).map(\.weights), keep: perRound) } : []
            let useLocal = local.contains { $0.maxValue > 1.01 && $0.violates }
            heuristicRounds = useLocal ? heuristicRounds + 1 : 0
            let priced = useLocal ? local : pricingPoints.map { price($0, objective: objective, keep: perRound) }
            certificate = nil
            for p in priced {
                if p.lowerBound > bestLower { bestLower = p.lowerBound; bestDual = p.point.dual; bestMax = p.maxValue }
                guard let network = p.point.network else { continue }
                if p.point.upper < incumbent.upper { incumbent = (p.point.upper, network) }
                if certificate == nil, fits, p.point.upper - p.lowerBound <= options.tolerance * max(1, abs(p.point.upper)) {
                    certificate = (p.point.dual, p.maxValue, network)
                }
            }
            let gap = (incumbent.upper - bestLower) / max(1, abs(incumbent.upper))
            let elapsed = Date().timeIntervalSince(start)
            options.progress?(TrainingProgress(round: rounds, columns: master.neurons.count, upperBound: incumbent.upper, lowerBound: bestLower,
                                               gap: gap, maxAbsEta: priced[0].maxValue, seconds: elapsed,
                                               searchNodes: priced.reduce(0) { $0 + $1.nodes },
                                               searchLeaves: priced.reduce(0) { $0 + $1.leaves },
                                               searchPruned: priced.reduce(0) { $0 + $1.pruned }))
            if gap <= options.tolerance {
                // Certified. Prefer to report a complementary pair (see `certificate`): if no dual of this round
                // certifies its own network yet, polish a few rounds without smoothing.
                polishing += 1
                if certificate != nil || polishing > 20 || options.method == .vertices {
                    status = options.method == .vertices ? .upperBound : .optimal
                    break
                }
            }
            if options.method == .vertices { status = .upperBound; break }
            if rounds - firstRound >= options.maxRounds { status = .roundLimit; break }
            if let limit = options.timeLimit, elapsed >= limit { status = .timeLimit; break }
            if !fits && !priced[0].violates {
                // The penalised problem is solved but still leaves residuals: the penalty is below the size of
                // the interpolation's optimal dual. Raise it (exact penalty) and continue from this basis.
                guard residualCost < 1e15 else {
                    throw .invalidOption("the labels could not be interpolated (residual \(residual) at penalty \(residualCost)); are there repeated points with different labels?")
                }
                residualCost *= 100
                try setResidualCost(residualCost, interpolating: true)
                continue
            }
            // Neither bound moved for 20 rounds: the LP no longer takes the priced neurons (numerical trouble).
            if incumbent.upper < lastProgress.upper || bestLower > lastProgress.lower {
                lastProgress = (rounds, incumbent.upper, bestLower)
            } else if rounds - lastProgress.round >= 20 {
                status = .stalled; break
            }
            // The squared loss's dual is unique (p = r/n of the unique fit), so dropping columns off the support
            // cannot make the column generation cycle, while CLP's quadratic primal slows down with the number
            // of columns (1.3 s against 0.1 s for 1,000 against 50 columns on 1,000 rows): prune every round.
            if loss.isQuadratic {
                last = result
                try prune(belowEta: 0.9)
            }
            // Nothing new to add (no violated region side, no new Newton atom) while the gap is open: stalled; unless
            // the round was priced by the heuristic only (its violations can all be columns already in the LP, seen
            // with the hinge loss): then the next round prices exactly.
            // A master that would pass its entry limit (its memory) ends the run with the bounds reached.
            let added: Int
            do throws(TrainingError) {
                added = try addNeurons(proposal: proposal, priced: priced, perRound: perRound)
            } catch {
                guard case .masterTooLarge = error else { throw error }
                status = .sizeLimit; break
            }
            guard added > 0 else {
                if useLocal { heuristicRounds = 2; continue }
                status = .stalled; break
            }
        }

        last = result
        // A stall or the size limit while polishing comes after the gap was certified (bounds only improve): still
        // optimal.
        if (status == .stalled || status == .sizeLimit) && polishing > 0 { status = .optimal }
        // The network reported: the one of the certifying pair, else the incumbent.
        let raw = certificate?.network ?? incumbent.network
        // The neurons as a measure, merged per region (docs/mathematics.md §4, post-processing).
        // Amplitudes at the level of the LP's tolerances (degenerate basic columns) are zeros: drop them.
        let lpMass = raw.reduce(0) { $0 + abs($1.amplitude) }
        let measure = DiracMeasure(dimension: d, atoms: raw).merged(over: points, dropBelow: 1e-11 * lpMass)
        let dataTerm = loss.value(outputs: measure.values(at: points), targets: labels)
        let tv = measure.totalVariation
        // The interpolation's objective is the total variation; its loss is reported to show the fit.
        let objectiveValue = interpolating ? tv : dataTerm + lambda * tv
        let gap = (objectiveValue - bestLower) / max(1, abs(objectiveValue))
        if status == .optimal && !(gap <= options.tolerance) { status = .stalled }  // also when gap is NaN
        let dual = (certificate?.dual ?? bestDual ?? []).map { lambda * $0 }
        return TrainingResult(
            measure: measure, lossFunction: loss, classes: classes, objective: objectiveValue, loss: dataTerm, totalVariation: tv, lowerBound: bestLower, gap: gap,
            status: status, certificate: Certificate(dual: dual, maxAbsEta: certificate?.max ?? bestMax),
            lambda: interpolating ? 0 : lambda, method: options.method, backend: options.backend,
            master: master.form == .dual ? .dual : .primal,
            rounds: rounds - firstRound, columns: master.neurons.count, masterEntries: master.entries, regions: trainer.arrangement?.numberOfRegions ?? 0,
            seconds: Date().timeIntervalSince(start))
    }
}
