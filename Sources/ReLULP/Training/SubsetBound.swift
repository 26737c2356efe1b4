import Dispatch
import Foundation
import Synchronization

/// The lower bound a subset S of the points proves for the whole problem (docs/mathematics.md §11, "Subsets"): every
/// loss term is ≥ 0, so J(μ) ≥ Σ_{j∈S} (v_j/n) ℓ_j(μ) + λ TV(μ) ≥ J*_S, and J*_S = α J*(S at λ/α) with α = Σ_{j∈S} v_j / n.
public struct SubsetBound: Sendable {
    /// The subset's points, as indices into the whole data.
    public var indices: [Int]
    /// A lower bound on the whole problem's optimum: α times the subset problem's lower bound.
    public var lowerBound: Double
    /// The subset problem's dual times α, zero off the subset: a dual of the whole problem whose certificate is the
    /// subset's, so it proves `lowerBound` with `maxAbsEta` (empty entries are zeros: the bound 0).
    public var dual: [Double]
    public var maxAbsEta: Double
    /// The subset problem's own run (λ/α, its weights renormalised), for its status.
    public var result: TrainingResult
}

extension ExactTrainer {
    /// The lower bound of (P) (`options`: loss, λ, intercept, sample weights of the whole data) from the problem
    /// restricted to the points `indices`, solved by column generation within `options`' deadline and time limit;
    /// valid whether or not that solve certifies.
    public func subsetBound(points indices: [Int], options: TrainingOptions) throws(TrainingError) -> SubsetBound {
        try Self.subsetBound(points: points, labels: labels, indices: indices, options: options)
    }

    /// `subsetBound` for lifted points and labels given apart (the column generation passes its scaled labels);
    /// `parallel`: whether the subset's search may now use all cores (`CertificateSearch.parallel`).
    static func subsetBound(
        points: LiftedData, labels: [Double], indices: [Int], options: TrainingOptions,
        parallel: @escaping @Sendable () -> Bool = { true }
    ) throws(TrainingError) -> SubsetBound {
        try options.validate()
        guard case .regularized(let lambda) = options.problem else {
            throw .invalidOption("subset bounds are for (P) with λ > 0, not for the interpolation")
        }
        guard !indices.isEmpty, Set(indices).count == indices.count,
            indices.allSatisfy({ $0 >= 0 && $0 < points.count })
        else {
            throw .invalidOption("a subset needs distinct point indices in 0..<\(points.count), got \(indices)")
        }
        if let w = options.sampleWeights, w.count != points.count {
            throw .invalidOption("\(w.count) sample weights for \(points.count) points")
        }
        let v = Loss.normalisedWeights(options.sampleWeights)
        let mass = indices.reduce(0.0) { $0 + (v?[$1] ?? 1) }
        guard mass > 0 else { throw .invalidOption("every point of the subset has sample weight 0") }
        let alpha = mass / Double(points.count)
        // Priced by the search, which reads the deadline every few nodes (an enumeration of 16 points in 11
        // dimensions took 24 s past a 5 s budget in a debug build); anytime above the search limit.
        let subset = points.subset(indices)
        var search = CertificateSearch(points: subset)
        search.parallel = parallel
        let trainer = ExactTrainer(
            points: subset, labels: indices.map { labels[$0] }, pricer: search,
            anytime: PricingMode.auto.searchesAnytime(points: subset.count, dimension: subset.dimension))
        var sub = options
        sub.problem = .regularized(lambda: lambda / alpha)
        sub.sampleWeights = v.map { v in indices.map { v[$0] } }
        (sub.pricing, sub.method, sub.subsetBounds, sub.anytime, sub.searchSlice) = (
            .auto, .columnGeneration, false, false, nil
        )
        (sub.progress, sub.searchProgress) = (nil, nil)
        let result = try trainer.train(sub)
        // α and the product round: a few ulps per point, taken off so that S = all points stays below the optimum.
        let scaled = alpha * result.lowerBound
        let lower = scaled - abs(scaled) * 2 * Double(indices.count + 2) * Double.ulpOfOne
        var dual = [Double](repeating: 0, count: points.count)
        if result.certificate.dual.count == indices.count {
            for (k, j) in indices.enumerated() { dual[j] = alpha * result.certificate.dual[k] }
        }
        return SubsetBound(
            indices: indices, lowerBound: lower, dual: dual, maxAbsEta: result.certificate.maxAbsEta, result: result)
    }
}

/// The subset bounds beside the column generation (docs/mathematics.md §11, "Subsets"): a thread of their own that
/// waits for the last `TrainingOptions.subsetShare` of an anytime solve's budget (or the rounds' early stop) and
/// solves subsets until the budget ends, while the rounds go on to the end of the budget. While the rounds run, each
/// subset's search stays on this thread, so that the rounds and the subsets have a core each; once the rounds have
/// stopped, the subtrees left go on all cores. The rounds publish their incumbent and best bound every round; each
/// subset is chosen by the incumbent published last (a late incumbent's worst-fitted points give far better bounds
/// than an early one's). One thread creates, uses and frees each subset's LP solvers.
final class SubsetPhase: Sendable {
    /// What the column generation tells the phase after a round: the round, the master's columns, the incumbent
    /// and the best lower bound (in the master's scaling).
    struct Round: Sendable {
        var round = 0
        var columns = 0
        var upper = Double.infinity
        var network: [DiracAtom] = []
        var lower = -Double.infinity
    }

    /// The round published last and the best subset bound so far.
    private let shared = Mutex<(round: Round, best: SubsetBound?)>((Round(), nil))
    /// Ends the phase before its deadline: the column generation stopped with a closed gap, or stalled and gave the
    /// phase the share of the budget a stall allows.
    private let cancellation = Cancellation()
    /// Set when the rounds have stopped (`join`): the subsets' searches go on on all cores.
    private let roundsStopped = Cancellation()
    /// Signalled when the rounds stop before the phase's start (`join`) or the phase is cancelled.
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()

    /// Starts a thread that solves the subsets of `chooser` from `start` (or an earlier `join`) until `deadline`
    /// (or `join` ends them).
    init(_ chooser: SubsetChooser, from start: Date, until deadline: Deadline) {
        self.start = start
        var deadline = deadline
        deadline.cancellation = cancellation
        let bounds = deadline
        // A thread of its own, not a block on the global queue, whose threads the searches' `concurrentPerform`
        // may all hold (a 2 s run under a loaded test suite had no subset line).
        finished.enter()
        Thread { [self] in
            _ = wake.wait(timeout: .now() + max(0, start.timeIntervalSinceNow))
            chooser.run(until: bounds, phase: self)
            finished.leave()
        }.start()
    }

    /// When the subsets start (unless the rounds stop earlier).
    let start: Date

    /// What the rounds published last.
    var published: Round {
        get { shared.withLock { $0.round } }
        set { shared.withLock { $0.round = newValue } }
    }

    /// Whether the rounds still run beside the phase.
    var roundsRunning: Bool { !roundsStopped.isCancelled }

    /// Keeps `bound` when it is the best subset bound so far; returns the best.
    func offer(_ bound: SubsetBound) -> SubsetBound {
        shared.withLock { state in
            if let best = state.best, best.lowerBound >= bound.lowerBound { return best }
            state.best = bound
            return bound
        }
    }

    /// Ends the phase at once (a no-op once it has ended).
    func cancel() {
        cancellation.cancel()
        wake.signal()
    }

    /// Waits for the phase (started now if it has not started), ending it at `deadline` (at once when nil); the best
    /// subset bound it proved.
    func join(until deadline: Deadline?) -> SubsetBound? {
        roundsStopped.cancel()
        wake.signal()
        if let deadline, let end = deadline.end, !deadline.expired {
            let wait = DispatchTime.now() + max(0, end.timeIntervalSinceNow)
            if finished.wait(timeout: wait) == .timedOut { cancel() }
        } else if deadline == nil {
            cancel()
        }
        finished.wait()
        return shared.withLock { $0.best }
    }
}

/// What the subset bounds need of a column generation, apart from its master LP: the points, the master's scaled
/// labels and weights, the options and the objective (in the master's scaling) and the factor of its log lines.
struct SubsetChooser: Sendable {
    let points: LiftedData
    let targets: [Double]
    let weights: [Double]?
    let options: TrainingOptions
    let problem: Objective
    let start: Date
    /// `MasterProblem.objectiveScale`: the log's bounds are in the user's units.
    let scale: Double
    /// The gap's floor of the run (`RelativeGap.floor`).
    let gapFloor: Double

    /// The subsets: the points the published incumbent fits worst, first `TrainingOptions.firstSubsetSize` of them,
    /// doubled after each subset solve that certifies, until `deadline` or all but one of the points (the whole
    /// problem is the rounds' own); each bound goes to `phase` and has a log line.
    func run(until deadline: Deadline, phase: SubsetPhase) {
        var options = self.options
        (options.problem, options.deadline, options.timeLimit) = (problem, deadline, nil)
        var size = TrainingOptions.firstSubsetSize
        while !deadline.expired {
            let started = Date()
            let order = self.order(phase.published.network)
            guard size < order.count else { return }
            let indices = self.indices(order, size: size)
            // A subset solve that fails (its master, past the deadline) proves nothing; its line says so.
            let bound = try? ExactTrainer.subsetBound(
                points: points, labels: targets, indices: indices, options: options,
                parallel: { !phase.roundsRunning })
            let best = bound.map { phase.offer($0) }
            let round = phase.published
            let lower = max(round.lower, best?.lowerBound ?? -.infinity)
            var line = TrainingProgress(
                round: round.round, columns: round.columns, upperBound: scale * round.upper,
                lowerBound: scale * lower,
                gap: RelativeGap.of(upper: round.upper, lower: lower, floor: gapFloor, tolerance: options.tolerance),
                maxAbsEta: bound?.maxAbsEta ?? 0, seconds: Date().timeIntervalSince(start),
                boundSource: .subset, subsetPoints: indices.count, subsetStatus: bound?.result.status)
            line.pricingSeconds = Date().timeIntervalSince(started)
            options.progress?(line)
            guard bound?.result.certified == true else { return }
            size *= 2
        }
    }

    /// The points by the incumbent's loss term `v_j ℓ_j` (with its best intercept), largest first (ties by index),
    /// without the points of weight 0.
    func order(_ network: [DiracAtom]) -> [Int] {
        let loss = options.loss
        var f = DiracMeasure(dimension: points.dimension, atoms: network).values(at: points)
        if options.intercept {
            let b = loss.bestIntercept(outputs: f, targets: targets, weights: weights)
            f = f.map { $0 + b }
        }
        let terms = targets.indices.map { j in (weights?[j] ?? 1) * loss.value(outputs: [f[j]], targets: [targets[j]]) }
        return targets.indices.filter { (weights?[$0] ?? 1) > 0 }.sorted {
            terms[$0] != terms[$1] ? terms[$0] > terms[$1] : $0 < $1
        }
    }

    /// The first `size` points of `order`; for the hinge loss with one class only, the first point of the other.
    func indices(_ order: [Int], size: Int) -> [Int] {
        var chosen = Array(order.prefix(size))
        if options.loss == .hinge, let first = chosen.first, chosen.allSatisfy({ targets[$0] == targets[first] }),
            let other = order.dropFirst(size).first(where: { targets[$0] != targets[first] })
        {
            chosen.append(other)
        }
        return chosen
    }
}

extension MasterProblem {
    /// Whether a solve of `problem` with the run's deadline `run` computes subset bounds beside its rounds: anytime
    /// mode, (P), a budget with an end.
    func usesSubsetBounds(_ problem: Objective, run: Deadline) -> Bool {
        options.anytime && options.subsetBounds && problem != .interpolation && run.end != nil
    }

    /// The subset bounds of a solve of `problem` started at `start` (nil when it takes none), on their own thread
    /// in the last `TrainingOptions.subsetShare` of the run's budget `run`.
    func subsetPhase(_ problem: Objective, run: Deadline, start: Date, gapFloor: Double) -> SubsetPhase? {
        guard usesSubsetBounds(problem, run: run), let end = run.end else { return nil }
        let chooser = SubsetChooser(
            points: trainer.points, targets: targets, weights: weights, options: options, problem: problem,
            start: start, scale: objectiveScale(problem), gapFloor: gapFloor)
        let from = start.addingTimeInterval((1 - TrainingOptions.subsetShare) * end.timeIntervalSince(start))
        return SubsetPhase(chooser, from: from, until: run)
    }

    /// The result of a solve that stopped for `termination`: its subset phase ends (a time limit or a signal
    /// already ended it; a stall leaves it at most `TrainingOptions.subsetShare` of the budget more; any other
    /// stop ends it at once) and its best bound becomes the run's when it is above the rounds' (with its padded
    /// dual); then `finish`. A subset bound that closes the gap ends the run as a closed gap.
    func conclude(_ state: inout ColumnGenerationState, termination: Termination) -> TrainingResult {
        if termination == .timeLimit || termination == .stalled { descend(&state) }
        guard let phase = state.subsets else { return finish(state, termination: termination) }
        var termination = termination
        let run = state.runDeadline
        let wait: Deadline?
        switch termination {
        case .timeLimit, .interrupted: wait = run
        case .stalled:
            let budget = run.end.map { $0.timeIntervalSince(state.start) } ?? 0
            wait = run.cut(after: TrainingOptions.subsetShare * budget)
        default: wait = nil
        }
        let subset = phase.join(until: wait)
        guard wait != nil else { return finish(state, termination: termination) }
        if let bound = subset, bound.lowerBound > state.bestLower {
            state.bestLower = bound.lowerBound
            // The master's scaling: p = λu.
            state.bestDual = bound.dual.map { $0 / state.problem.lambda }
            state.bestMax = bound.maxAbsEta
            (state.bestSource, state.bestSubset) = (.subset, bound.indices.count)
        }
        if run.interrupted {
            termination = .interrupted
        } else if relativeGap(upper: state.incumbent.upper, lower: state.bestLower, state) <= options.tolerance {
            termination = .gapClosed
        }
        return finish(state, termination: termination)
    }
}
