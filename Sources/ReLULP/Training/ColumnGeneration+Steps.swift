import Foundation

/// What one `MasterProblem.solve` carries from round to round.
struct ColumnGenerationState {
    let problem: Objective
    let start: Date
    /// When the rounds end: the run's end, earlier by the final descent's share (`TrainingOptions.descentShare`)
    /// when the run has one.
    let deadline: Deadline
    /// When the run ends: the earlier of the options' deadline and `timeLimit` from `start`, and the signals.
    let runDeadline: Deadline
    /// The subset bounds beside the rounds in anytime mode (`SubsetPhase`), nil without.
    let subsets: SubsetPhase?
    /// The master's round count when this solve began (the master counts rounds across a path).
    let firstRound: Int
    /// Most neurons added per pricing point and round.
    let perRound: Int
    /// `max |y_j|`, the scale of the interpolation's fit test.
    let labelScale: Double
    /// The floor of the relative gap's denominator (`RelativeGap.floor`).
    let gapFloor: Double
    /// Newton on the LP's structure for this objective and loss (nil: plain column generation).
    let polisher: (any Polisher)?
    /// The LP's weight of the data term: `1/(nλ)` for (P), the interpolation's penalty (raised while residuals
    /// remain).
    var residualCost: Double
    /// The best lower bound so far, the dual that proved it and its largest |η|.
    var bestLower = -Double.infinity
    var bestDual: [Double]? = nil
    var bestMax = Double.infinity
    /// Where the best lower bound came from, and for a subset its number of points.
    var bestSource = BoundSource.none
    var bestSubset: Int? = nil
    /// The certificate reported: a dual of the last round that certifies the gap by itself together with the
    /// network it was computed with (the LP's dual with the LP's network, or the Newton proposal's dual with
    /// its network): a complementary pair, every Dirac where |η| = 1. Else the best dual so far.
    var certificate: (dual: [Double], max: Double, network: [DiracAtom])? = nil
    /// Rounds since the gap first closed, spent looking for a certifying pair.
    var polishing = 0
    /// Consecutive rounds priced by the heuristic only.
    var heuristicRounds = 0
    /// The sliding steps so far (`MasterProblem.slide`).
    var slides = 0
    /// The seconds a round's search may take (`TrainingOptions.searchSlice`) and, in anytime mode, its nodes
    /// (`TrainingOptions.anytimeSearchNodes`); both doubled after a cut round that added no neuron.
    var searchSlice: Double?
    var searchNodes: Int? = nil
    /// The incumbent: the network with the lowest upper bound so far (an LP solution or a Newton proposal).
    /// Within a solve the LP value only falls for (P), but the interpolation's total variation jitters at the
    /// 1e-9 level once the penalty is large, and the last round need not be the best one.
    var incumbent: (upper: Double, network: [DiracAtom]) = (.infinity, [])
    /// The last round in which a bound moved, and the bounds then.
    var lastProgress: (round: Int, upper: Double, lower: Double)

    var interpolating: Bool { problem == .interpolation }

    /// How a run ends that stops for `reason`: a stall or the size limit while polishing comes after the gap
    /// closed (bounds only improve), so the gap ended it.
    func ended(_ reason: Termination) -> Termination {
        (reason == .stalled || reason == .sizeLimit) && polishing > 0 ? .gapClosed : reason
    }
}

/// One round's master solution and what follows from it directly.
struct MasterRound {
    var solution: MasterLP.Solution
    /// For the interpolation the largest residual `|r_j|` (0 for (P)); whether the LP's network fits the labels.
    var residual: Double
    var fits: Bool
    /// The labels the bounds refer to: the data's, or for the interpolation those the LP's network fits, y − r.
    var targets: [Double]
    /// The LP's network and its objective recomputed from its atoms (∞ while it does not fit).
    var network: [DiracAtom]
    var upper: Double
}

/// What a round's bounds and limits say next.
enum RoundDecision {
    case stop(Termination)
    /// The interpolation's penalty is too small for its fit: raise it and solve again.
    case raisePenalty
    case addColumns
}

extension MasterProblem {
    /// The state before the first round: the residual costs set for `problem`, the round's column budget and
    /// the Newton polisher.
    mutating func begin(_ problem: Objective) throws(TrainingError) -> ColumnGenerationState {
        let start = Date()
        let n = trainer.points.count
        let loss = options.loss
        let residualCost: Double
        switch problem {
        case .regularized(let lambda): residualCost = Self.residualCost(n: n, lambda: lambda)
        // A penalty large against any dual entry a modest fit needs; raised below while residuals remain.
        case .interpolation: residualCost = 1e3 * Double(n)
        }
        try setResidualCost(residualCost, interpolating: problem == .interpolation)
        // The squared loss adds 20 above 1000 points, where its master may pass `SquaredMasterQP`'s dense limit and
        // go to CLP's quadratic primal, which slows down with every column (below, the Swift QP solves 2,000
        // columns in well under a second: benchmarks/RESULTS.md, "The squared loss's master, warm"). The dual form
        // adds 50: each cut is a dense row that CLP copies every solve ("The master's two forms").
        let perRound =
            options.columnsPerRound
            ?? (loss.isQuadratic && n > 1000 ? 20 : master.form == .dual ? max(20, min(n, 50)) : max(20, min(n, 200)))
        let run = options.deadline.earlier(Deadline(seconds: options.timeLimit, from: start))
        let gapFloor = RelativeGap.floor(
            problem: problem, loss: loss, targets: targets, tolerance: options.tolerance,
            intercept: options.intercept, weights: weights)
        // The rounds leave the final descent its share of the budget.
        let roundsEnd =
            descends(problem, run: run)
            ? run.cut(after: run.end.map { (1 - TrainingOptions.descentShare) * $0.timeIntervalSince(start) }) : run
        var state = ColumnGenerationState(
            problem: problem, start: start, deadline: roundsEnd, runDeadline: run,
            subsets: subsetPhase(problem, run: run, start: start, gapFloor: gapFloor), firstRound: rounds,
            perRound: perRound, labelScale: max(targets.map(abs).max() ?? 0, 1e-300), gapFloor: gapFloor,
            polisher: polisher(for: problem),
            residualCost: residualCost, searchSlice: options.searchSlice,
            lastProgress: (rounds, .infinity, -.infinity))
        state.bestDual = initialCentre(state)
        return state
    }

    /// The first stability centre of a solve of (P) after another on the same master (a path, the internal warm
    /// start): the last solve's final LP dual times `c_new / c_old`, in the new box. For the L1 loss that keeps the
    /// unscaled dual `p = λu` of the points off the fit (`sign(r_j)/n`, which do not depend on λ) and scales the
    /// fitted ones alike; the round's LP dual after a change of c jumps far from it (docs/mathematics.md §4a,
    /// "The path's centre"). Any dual in the box gives a valid bound, so this changes the route, not the bounds.
    func initialCentre(_ state: ColumnGenerationState) -> [Double]? {
        guard !state.interpolating, let centre = stabilityCentre, centre.residualCost > 0,
            centre.dual.count == targets.count
        else { return nil }
        let scale = state.residualCost / centre.residualCost
        return clampedDual(centre.dual.map { scale * $0 }, state)
    }

    /// Keeps the round's LP dual as the next solve's first centre (`initialCentre`); none after the interpolation.
    mutating func keepCentre(_ round: MasterRound, _ state: ColumnGenerationState) {
        stabilityCentre = state.interpolating ? nil : (lpDual(round, state), state.residualCost)
    }

    /// Newton on the LP's structure: `FaceNewton` solves the L1 optimality conditions (sign(r)/n duals),
    /// `SquaredNewton` the squared loss's; the hinge loss goes without (its LP structure would need FaceNewton's
    /// with one-sided residuals). None above `TrainingOptions.newtonDimensionLimit`, where its O(d³) work outweighs
    /// the rounds it saves.
    func polisher(for problem: Objective) -> (any Polisher)? {
        guard options.newtonPolish && options.method == .columnGeneration else { return nil }
        guard trainer.points.dimension <= TrainingOptions.newtonDimensionLimit else { return nil }
        if problem == .interpolation || options.loss == .l1 {
            return FaceNewton(points: trainer.points, labels: targets)
        }
        if options.loss == .squared {
            return SquaredNewton(
                points: trainer.points, targets: targets, intercept: options.intercept, weights: weights)
        }
        return nil
    }

    /// The objective of a network recomputed from its atoms (with its best intercept when the run fits one); for
    /// the interpolation its total variation, an upper bound once the network fits.
    func score(_ atoms: [DiracAtom], _ problem: Objective) -> Double {
        let measure = DiracMeasure(dimension: trainer.points.dimension, atoms: atoms)
        switch problem {
        case .interpolation: return measure.totalVariation
        case .regularized(let lambda):
            return dataTerm(outputs: measure.values(at: trainer.points)).value + lambda * measure.totalVariation
        }
    }

    /// Whether a solve of `problem` within the run's deadline `run` ends with a final descent of its network
    /// (`NetworkDescent`): anytime mode, (P), a budget with an end.
    func descends(_ problem: Objective, run: Deadline) -> Bool {
        options.anytime && problem != .interpolation && run.end != nil
    }

    /// The final descent (docs/mathematics.md §11, "The final descent") of an uncertified run's incumbent, until the
    /// run's end: the descended network becomes the incumbent when its objective is lower.
    func descend(_ state: inout ColumnGenerationState) {
        guard case .regularized(let lambda) = state.problem, descends(state.problem, run: state.runDeadline),
            state.certificate == nil, !state.incumbent.network.isEmpty, !state.runDeadline.expired
        else { return }
        let descent = NetworkDescent(
            points: trainer.points, targets: targets, loss: options.loss, weights: weights,
            intercept: options.intercept, lambda: lambda)
        let run = state.runDeadline
        guard let descended = descent.descend(state.incumbent.network, stop: { run.expired }) else { return }
        // Scored as every network is (the descent's own value is the same sum in another order).
        let upper = score(descended.atoms, state.problem)
        if upper < min(state.incumbent.upper, score(state.incumbent.network, state.problem)) {
            state.incumbent = (upper, descended.atoms)
        }
    }

    /// The data term of a network's outputs and, when the run fits one, its best intercept (added to the outputs).
    func dataTerm(outputs f: [Double]) -> (value: Double, intercept: Double?) {
        let loss = options.loss
        guard options.intercept else { return (loss.value(outputs: f, targets: targets, weights: weights), nil) }
        let b = loss.bestIntercept(outputs: f, targets: targets, weights: weights)
        return (loss.value(outputs: f.map { $0 + b }, targets: targets, weights: weights), b)
    }

    /// A dual point of the master moved into the loss's box of the scaled problem (a valid bound needs it
    /// exactly), and with an intercept onto box ∩ {Σ u_j = 0} (§12); the interpolation's dual is free.
    func clampedDual(_ u: [Double], _ state: ColumnGenerationState) -> [Double] {
        if state.interpolating { return u }
        let weight = state.residualCost
        return options.intercept
            ? options.loss.centredDual(u, targets: targets, weight: weight, weights: weights)
            : options.loss.clampedDual(u, targets: targets, weight: weight, weights: weights)
    }

    /// Solves the master LP (a new round, bound to the run's deadline) and reads its network, fit and upper bound;
    /// nil when the deadline (its end or a signal) stopped the solve.
    mutating func solveMaster(_ state: ColumnGenerationState) throws(TrainingError) -> MasterRound? {
        rounds += 1
        let solved = try master.solve(deadline: state.deadline, central: centralDuals(state))
        guard let solution = solved.solution else {
            if solved.status == .timeLimit || solved.status == .interrupted { return nil }
            throw .solverFailed(status: solved.status, round: rounds, backend: options.backend)
        }
        // For the interpolation the LP's network is an upper bound only once it fits every label, up to the
        // LP's primal tolerance: the bounds then refer to the labels it fits, y − r (|r_j| ≤ 1e-11·max|y|).
        let residual = state.interpolating ? solution.residuals.reduce(0.0) { max($0, abs($1)) } : 0
        let fits = residual <= 1e-11 * state.labelScale
        // r = y − f(x) of the LP's network, from its residual columns.
        let residuals = solution.residuals
        let neurons = master.neurons
        let network = neurons.indices.filter { solution.amplitudes[$0] != 0 }.map {
            DiracAtom(amplitude: neurons[$0].sign * solution.amplitudes[$0], weights: neurons[$0].weights)
        }
        // The upper bound is the objective of the LP's network recomputed from its atoms (not the LP's value,
        // which differs by the LP's primal tolerance): the reported network then never scores above it.
        return MasterRound(
            solution: solution, residual: residual, fits: fits,
            targets: state.interpolating ? zip(targets, residuals).map { $0 - $1 } : targets,
            network: network, upper: fits ? score(network, state.problem) : .infinity)
    }

    /// Whether this round's master is solved by the barrier for a central dual (`TrainingOptions.centralDuals`):
    /// for (P) with a linear loss, until the gap falls to `centralGap`; then the simplex gives the vertex network
    /// and dual of the certifying pair.
    func centralDuals(_ state: ColumnGenerationState) -> Bool {
        guard options.centralDuals, !state.interpolating, !options.loss.isQuadratic, state.polishing == 0,
            options.method == .columnGeneration
        else { return false }
        let gap = relativeGap(upper: state.incumbent.upper, lower: state.bestLower, state)
        return !(gap <= Self.centralGap)
    }

    /// `RelativeGap.of` with this solve's floor and tolerance.
    func relativeGap(upper: Double, lower: Double, _ state: ColumnGenerationState) -> Double {
        RelativeGap.of(upper: upper, lower: lower, floor: state.gapFloor, tolerance: options.tolerance)
    }

    /// The relative gap below which the master returns to the simplex.
    static let centralGap = 1e-3

    /// The points priced this round: the LP's dual, the smoothed dual (Wentges) and Newton's dual, with Newton's
    /// proposed atoms.
    func pricingPoints(_ round: MasterRound, _ state: ColumnGenerationState)
        -> (points: [PricingPoint], proposal: [DiracAtom])
    {
        // The dual point u lives in the scaled problem: p = λu for (P), in the loss's box (a valid bound
        // needs it exactly), free for the interpolation (`lpDual`).
        let residualCost = state.residualCost
        let u = lpDual(round, state)
        var points = [PricingPoint(dual: u, network: round.network, upper: round.upper, targets: round.targets)]
        if options.smoothing > 0, state.polishing == 0, let best = state.bestDual {
            let a = options.smoothing
            points.append(
                PricingPoint(
                    dual: zip(best, u).map { a * $0 + (1 - a) * $1 }, network: nil,
                    upper: .infinity, targets: round.targets))
        }
        // Newton on the LP's structure proposes the exact atoms and dual (not past the deadline).
        guard round.fits, let polisher = state.polisher, !state.deadline.expired else { return (points, []) }
        guard
            let proposal = polisher.propose(
                network: mergedNetwork(round), solution: round.solution,
                residualCost: residualCost, problem: state.problem)
        else {
            return (points, [])
        }
        points.append(
            PricingPoint(
                dual: clampedDual(proposal.dual, state), network: proposal.atoms,
                upper: score(proposal.atoms, state.problem), targets: targets))
        return (points, proposal.atoms)
    }

    /// The LP's dual in the loss's box: the master's row duals, or for the squared loss the residuals' gradient
    /// `u = c v_j r_j`, exact for the master's primal point (the QP's row duals agree only to its tolerance).
    func lpDual(_ round: MasterRound, _ state: ColumnGenerationState) -> [Double] {
        let residuals = round.solution.residuals
        return clampedDual(
            options.loss.isQuadratic
                ? residuals.indices.map { state.residualCost * (weights?[$0] ?? 1) * residuals[$0] }
                : round.solution.dual, state)
    }

    /// The LP's network merged per region; atoms at the level of the LP's tolerances are noise, and their
    /// direction is undefined.
    func mergedNetwork(_ round: MasterRound) -> [DiracAtom] {
        let mass = round.network.reduce(0) { $0 + abs($1.amplitude) }
        return DiracMeasure(dimension: trainer.points.dimension, atoms: round.network)
            .merged(over: trainer.points, dropBelow: 1e-9 * mass).atoms
    }

    /// The joint move (docs/mathematics.md §4b): the LP's merged network moved as a whole with its atoms'
    /// patterns fixed; a pricing point with the moved network (scored with its true activations) and its smoothed
    /// dual when it beats the LP's network. Nil when off, for the interpolation, with an intercept (its best b
    /// moves with the atoms), or when the move gains nothing.
    func jointMove(_ round: MasterRound, _ state: ColumnGenerationState) -> PricingPoint? {
        guard options.jointMove, options.method == .columnGeneration, !state.interpolating, !options.intercept,
            round.fits, !round.network.isEmpty, !state.deadline.expired
        else { return nil }
        let move = JointMove(points: trainer.points, targets: targets, loss: options.loss, weights: weights)
        let deadline = state.deadline
        guard
            let moved = move.move(
                network: mergedNetwork(round), dual: lpDual(round, state), residualCost: state.residualCost,
                stop: { deadline.expired })
        else { return nil }
        let upper = score(moved.atoms, state.problem)
        guard upper < round.upper else { return nil }
        return PricingPoint(dual: clampedDual(moved.dual, state), network: moved.atoms, upper: upper, targets: targets)
    }

    /// Prices the round's points. With the search, heuristic pricing first: the cells of the network's atoms and
    /// their neighbours (in anytime mode the local ascent, `AscentPricing`). The exact search runs when they hold
    /// no clear violation (max > 1.01; small violations there kept the loop polishing one area without a bound)
    /// and at least every third round (anytime: every fifth, for a bound; beside a subset phase, whose bounds beat
    /// the cut searches' on every problem of benchmarks/RESULTS.md, only after a round that moved neither bound);
    /// every round that certifies is exact. Returns whether the heuristic priced the round.
    func priceRound(_ points: [PricingPoint], around atoms: [DiracAtom], _ state: inout ColumnGenerationState)
        -> (priced: [PricedPoint], heuristic: Bool)
    {
        let perRound = state.perRound
        let seeds = atoms.map(\.weights)
        let anytime = options.anytime
        let local =
            // Anytime mode's first round is searched (cut): a lower bound at once.
            options.heuristicPricing
                && (state.subsets == nil
                    ? state.heuristicRounds < (anytime ? 4 : 2) : rounds - state.lastProgress.round <= 1)
                && (!anytime || rounds > state.firstRound + 1)
            ? points.compactMap {
                anytime
                    ? ascentPrice($0, around: seeds, keep: perRound, deadline: state.deadline)
                    : localPrice($0, around: seeds, keep: perRound)
            } : []
        let useLocal = local.contains { $0.maxValue > 1.01 && $0.violates }
        state.heuristicRounds = useLocal ? state.heuristicRounds + 1 : 0
        // In anytime mode each round's search gets a slice of the budget.
        let deadline = state.deadline.cut(after: state.searchSlice)
        let nodes = anytime ? state.searchNodes ?? TrainingOptions.anytimeSearchNodes : nil
        var priced =
            useLocal
            ? local
            : points.map {
                price(
                    $0, objective: state.problem, keep: sidesNeeded(perRound: perRound), deadline: deadline,
                    maxNodes: nodes)
            }
        // The completion's ascent gets a slice of its own: against the run's deadline it took a whole 10 s budget
        // in a debug build, and the run returned the zero network.
        if !useLocal {
            priced = completedCutSearches(
                priced, around: seeds, keep: perRound, deadline: state.deadline.cut(after: state.searchSlice))
        }
        return (priced, useLocal)
    }

    /// A cut search that found no violated side (it may not reach a single region in its slice) keeps its bound
    /// and takes heuristic sides as new neurons: the local ascent's, else the cells around the atoms.
    func completedCutSearches(
        _ priced: [PricedPoint], around seeds: [[Double]], keep: Int, deadline: Deadline
    ) -> [PricedPoint] {
        priced.map { p in
            guard !p.pricing.complete, !p.violates,
                let local = ascentPrice(p.point, around: seeds, keep: keep, deadline: deadline)
                    ?? localPrice(p.point, around: seeds, keep: keep)
            else { return p }
            var completed = p
            completed.violated = local.violated
            return completed
        }
    }

    /// The best lower bound, the incumbent and this round's certifying pair from the priced points; returns the
    /// relative gap between the incumbent and the best lower bound.
    func updateBounds(_ priced: [PricedPoint], fits: Bool, _ state: inout ColumnGenerationState) -> Double {
        state.certificate = nil
        for p in priced {
            if p.lowerBound > state.bestLower {
                state.bestLower = p.lowerBound
                state.bestDual = p.point.dual
                state.bestMax = p.maxValue
                (state.bestSource, state.bestSubset) = (p.pricing.boundSource, nil)
            }
            guard let network = p.point.network else { continue }
            if p.point.upper < state.incumbent.upper { state.incumbent = (p.point.upper, network) }
            if state.certificate == nil, fits,
                relativeGap(upper: p.point.upper, lower: p.lowerBound, state) <= options.tolerance
            {
                state.certificate = (p.point.dual, p.maxValue, network)
            }
        }
        return relativeGap(upper: state.incumbent.upper, lower: state.bestLower, state)
    }

    /// The round's line of the solver log (`TrainingOptions.progress`).
    func progress(_ priced: [PricedPoint], gap: Double, elapsed: Double, _ state: ColumnGenerationState)
        -> TrainingProgress
    {
        // The bounds in the user's units (the master solves for y/s).
        let k = objectiveScale(state.problem)
        return TrainingProgress(
            round: rounds, columns: master.neurons.count, upperBound: k * state.incumbent.upper,
            lowerBound: k * state.bestLower, gap: gap, maxAbsEta: priced[0].maxValue, seconds: elapsed,
            searchNodes: priced.reduce(0) { $0 + $1.nodes }, searchLeaves: priced.reduce(0) { $0 + $1.leaves },
            searchPruned: priced.reduce(0) { $0 + $1.pruned },
            searchOpen: priced.reduce(0) { $0 + $1.pricing.openNodes }, boundSource: Self.boundSource(of: priced))
    }

    /// The weakest bound source of a round's priced points: none for a heuristic round, search-bound when a
    /// search was cut.
    static func boundSource(of priced: [PricedPoint]) -> BoundSource {
        let sources = priced.map(\.pricing.boundSource)
        return sources.contains(.none) ? .none : sources.contains(.searchBound) ? .searchBound : .exact
    }

    /// Whether the run stops (gap closed, limits, no progress), the interpolation's penalty rises, or the
    /// violating neurons are added.
    func decide(
        _ round: MasterRound, _ priced: [PricedPoint], gap: Double, elapsed: Double,
        _ state: inout ColumnGenerationState
    ) -> RoundDecision {
        let vertices = options.method == .vertices
        if gap <= options.tolerance {
            // Certified. Prefer to report a complementary pair (see `certificate`): if no dual of this round
            // certifies its own network yet, polish a few rounds without smoothing.
            state.polishing += 1
            if state.certificate != nil || state.polishing > 20 || vertices { return .stop(.gapClosed) }
        }
        // A vertex LP solved after its deadline passed may lack its columns (an enumeration the deadline ended).
        if let reason = state.deadline.reason { return .stop(reason) }
        if vertices { return .stop(.vertexLPSolved) }
        if rounds - state.firstRound >= options.maxRounds { return .stop(.roundLimit) }
        // The penalised problem is solved but still leaves residuals: the penalty is below the size of the
        // interpolation's optimal dual.
        if !round.fits && !priced[0].violates { return .raisePenalty }
        // Neither bound moved for 20 rounds: the LP no longer takes the priced neurons (numerical trouble).
        if state.incumbent.upper < state.lastProgress.upper || state.bestLower > state.lastProgress.lower {
            state.lastProgress = (rounds, state.incumbent.upper, state.bestLower)
        } else if rounds - state.lastProgress.round >= 20 {
            return .stop(state.ended(.stalled))
        }
        return .addColumns
    }

    /// Raises the interpolation's penalty a hundredfold (an exact penalty once it exceeds the optimal dual's
    /// largest entry); the next round continues from this basis.
    mutating func raisePenalty(_ round: MasterRound, _ state: inout ColumnGenerationState) throws(TrainingError) {
        guard state.residualCost < 1e15 else {
            throw .invalidOption(
                "the labels could not be interpolated (residual \(round.residual) at penalty "
                    + "\(state.residualCost)); are there repeated points with different labels?")
        }
        state.residualCost *= 100
        try setResidualCost(state.residualCost, interpolating: true)
    }

    /// Adds Newton's atoms and the violating region sides as columns; returns why the run ends when it does:
    /// nothing new to add (no violated region side, no new Newton atom) while the gap is open is a stall, unless
    /// the round was priced by the heuristic only (its violations can all be columns already in the LP, seen
    /// with the hinge loss): then the next round prices exactly. A master that would pass its entry limit (its
    /// memory) ends the run with the bounds reached.
    mutating func addColumns(
        _ round: MasterRound, proposal: [DiracAtom], priced: [PricedPoint], heuristic: Bool,
        _ state: inout ColumnGenerationState
    ) throws(TrainingError) -> Termination? {
        // Column aging: neurons out of the solution whose certificate stayed below `agingThreshold` (reduced cost
        // above 0.1) for `agingRounds` rounds leave the master. At small λ the master otherwise grows by hundreds of
        // columns a round and its re-solves dominate (plane n = 300, λ = 1e-4: 16,000 columns, 85 % of 153 s in
        // the master; benchmarks/RESULTS.md, "Small λ"); removed after one round, the neurons the oscillating dual
        // drops come back and cost rounds (72 against 43 after three; "Small λ, part 4"). Pricing is exact, so a
        // neuron needed again comes back; the squared loss's dual is unique, so there it cannot cycle either. The
        // interpolation ages too (plane n = 300: 13,740 columns and 57 CPU s without, 2,414 and 14 s with;
        // docs/mathematics.md §4a, "The interpolation ages its columns"). Only with the primal form: the dual form's
        // cuts leaving the dual simplex's basis stalled with it in the tests.
        if options.loss.isQuadratic || master.form == .primal {
            last = round.solution
            // The patience is for the LP's oscillating dual; the squared loss's QP dual is unique, and with the
            // patience its master stalled at λ = 1e-12 (LambdaRangeTests, 1-D).
            try prune(
                belowEta: Self.agingThreshold,
                afterRounds: options.loss.isQuadratic ? 1 : Self.agingRounds(rows: master.numberOfPoints))
        }
        let added: Int
        do throws(TrainingError) {
            added = try addNeurons(
                proposal: proposal, priced: priced, perRound: state.perRound, deadline: state.deadline)
        } catch {
            guard case .masterTooLarge = error else { throw error }
            return state.ended(.sizeLimit)
        }
        // A deadline or signal that came while the columns were chosen ends the run here, not as a stall.
        if let reason = state.deadline.reason { return reason }
        guard added > 0 else {
            // A cut search that found nothing new: a longer slice next round.
            if options.anytime || state.searchSlice != nil, priced.contains(where: { !$0.pricing.complete }) {
                state.searchSlice = state.searchSlice.map { 2 * $0 }
                if options.anytime { state.searchNodes = 2 * (state.searchNodes ?? TrainingOptions.anytimeSearchNodes) }
                return nil
            }
            if heuristic {
                state.heuristicRounds = 2
                return nil
            }
            return state.ended(.stalled)
        }
        return nil
    }

    /// The result: the network of the certifying pair, else the incumbent, merged per region, its objective
    /// recomputed, the gap and whether it certifies, and the certificate in the unscaled problem.
    func finish(_ state: ColumnGenerationState, termination: Termination) -> TrainingResult {
        let points = trainer.points
        let loss = options.loss
        let raw = state.certificate?.network ?? state.incumbent.network
        // The neurons as a measure, merged per region (docs/mathematics.md §4, post-processing).
        // Amplitudes at the level of the LP's tolerances (degenerate basic columns) are zeros: drop them.
        let lpMass = raw.reduce(0) { $0 + abs($1.amplitude) }
        let measure = DiracMeasure(dimension: points.dimension, atoms: raw)
            .merged(over: points, dropBelow: 1e-11 * lpMass)
        let (dataTerm, intercept) = dataTerm(outputs: measure.values(at: points))
        let tv = measure.totalVariation
        // The interpolation's objective is the total variation; its loss is reported to show the fit.
        let objective: Double
        let scaled = state.certificate?.dual ?? state.bestDual ?? []
        let dual: [Double]
        switch state.problem {
        case .interpolation:
            objective = tv
            // Its dual u is a certificate as it is (any positive multiple is feasible).
            dual = scaled
        case .regularized(let lambda):
            objective = dataTerm + lambda * tv
            // The master's dual u is that of the scaled problem: p = λu.
            dual = scaled.map { lambda * $0 }
        }
        // A run stopped before any exact or search-bound round still has the bound 0 (every objective is ≥ 0).
        let lower = state.bestLower == -.infinity ? 0 : state.bestLower
        // The interpolation's network bounds its optimum only once it fits the labels: a run that ended before
        // (a time limit, a signal, the round limit) has U = ∞, and its gap is 1, the limit of (U − L)/U.
        let fits = state.problem != .interpolation || state.certificate != nil || state.incumbent.upper.isFinite
        let gap = fits ? relativeGap(upper: objective, lower: lower, state) : 1
        return TrainingResult(
            measure: measure, intercept: intercept, lossFunction: loss, classes: classes, objective: objective,
            loss: dataTerm, totalVariation: tv, lowerBound: lower,
            boundSource: state.bestLower == -.infinity ? .none : state.bestSource, boundPoints: state.bestSubset,
            gap: gap, problem: state.problem,
            termination: termination, certified: gap <= options.tolerance,  // false when the gap is NaN
            // No bound round (a run stopped by its deadline at once): no certificate, max |η| 0.
            certificate: Certificate(
                dual: dual, maxAbsEta: state.certificate?.max ?? (state.bestMax.isFinite ? state.bestMax : 0)),
            method: options.method, backend: options.backend, master: master.form == .dual ? .dual : .primal,
            rounds: rounds - state.firstRound, columns: master.neurons.count, masterEntries: master.entries,
            regions: trainer.arrangement?.numberOfRegions ?? 0, seconds: Date().timeIntervalSince(state.start))
    }
}
