import Foundation

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

    /// `subsetBound` for lifted points and labels given apart (the column generation passes its scaled labels).
    static func subsetBound(
        points: LiftedData, labels: [Double], indices: [Int], options: TrainingOptions
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
        let trainer = ExactTrainer(
            points: subset, labels: indices.map { labels[$0] }, pricer: CertificateSearch(points: subset),
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

extension MasterProblem {
    /// Whether a solve of `problem` keeps a share of its budget for the subset bounds: anytime mode, (P).
    func usesSubsetBounds(_ problem: Objective) -> Bool {
        options.anytime && options.subsetBounds && problem != .interpolation
    }

    /// The column generation's deadline in a run of budget `run`: earlier by `TrainingOptions.subsetShare` of
    /// the budget when the run keeps it for the subset bounds.
    func columnGenerationDeadline(_ run: Deadline, problem: Objective, start: Date) -> Deadline {
        guard usesSubsetBounds(problem), let end = run.end else { return run }
        let cut = start.addingTimeInterval((1 - TrainingOptions.subsetShare) * end.timeIntervalSince(start))
        return Deadline(end: min(end, cut), watchesSignals: run.watchesSignals)
    }

    /// The result of a solve that stopped for `termination`: a run cut by the column generation's deadline takes
    /// the subset bounds in the rest of its budget, a stalled one in at most the subset share more (a signal
    /// skips them); then `finish`. A subset bound that closes the gap ends the run as a closed gap.
    func conclude(_ state: inout ColumnGenerationState, termination: Termination) -> TrainingResult {
        var termination = termination
        let run = state.runDeadline
        guard usesSubsetBounds(state.problem), let end = run.end, !run.interrupted,
            relativeGap(upper: state.incumbent.upper, lower: state.bestLower, state)
                > options.tolerance
        else { return finish(state, termination: termination) }
        let phase: Deadline
        switch termination {
        case .timeLimit: phase = run
        case .stalled: phase = run.cut(after: TrainingOptions.subsetShare * end.timeIntervalSince(state.start))
        default: return finish(state, termination: termination)
        }
        subsetBounds(&state, until: phase)
        if run.interrupted {
            termination = .interrupted
        } else if relativeGap(upper: state.incumbent.upper, lower: state.bestLower, state)
            <= options.tolerance
        {
            termination = .gapClosed
        }
        return finish(state, termination: termination)
    }

    /// The subset bounds (docs/mathematics.md §11, "Subsets"): the points the incumbent fits worst, first
    /// `TrainingOptions.firstSubsetSize` of them, doubled after each subset solve that certifies, until `deadline`
    /// or all of the points (the whole problem is the rounds' own); each bound above the best becomes it (with its
    /// padded dual) and has a log line.
    func subsetBounds(_ state: inout ColumnGenerationState, until deadline: Deadline) {
        let order = subsetOrder(state.incumbent.network)
        var options = self.options
        (options.problem, options.deadline, options.timeLimit) = (state.problem, deadline, nil)
        var size = TrainingOptions.firstSubsetSize
        while size < order.count, !deadline.expired {
            let started = Date()
            let indices = subsetIndices(order, size: size)
            // A subset solve that fails (its master, past the deadline) proves nothing; its line says so.
            let bound = try? ExactTrainer.subsetBound(
                points: trainer.points, labels: targets, indices: indices, options: options)
            if let bound, bound.lowerBound > state.bestLower {
                state.bestLower = bound.lowerBound
                // The master's scaling: p = λu.
                state.bestDual = bound.dual.map { $0 / state.problem.lambda }
                state.bestMax = bound.maxAbsEta
                (state.bestSource, state.bestSubset) = (.subset, indices.count)
            }
            let k = objectiveScale(state.problem)
            var line = TrainingProgress(
                round: rounds, columns: master.neurons.count, upperBound: k * state.incumbent.upper,
                lowerBound: k * state.bestLower,
                gap: relativeGap(upper: state.incumbent.upper, lower: state.bestLower, state),
                maxAbsEta: bound?.maxAbsEta ?? 0, seconds: Date().timeIntervalSince(state.start),
                boundSource: .subset, subsetPoints: indices.count, subsetStatus: bound?.result.status)
            line.pricingSeconds = Date().timeIntervalSince(started)
            options.progress?(line)
            guard bound?.result.certified == true else { return }
            size *= 2
        }
    }

    /// The points by the incumbent's loss term `v_j ℓ_j` (with its best intercept), largest first (ties by index),
    /// without the points of weight 0.
    func subsetOrder(_ network: [DiracAtom]) -> [Int] {
        let points = trainer.points
        var f = DiracMeasure(dimension: points.dimension, atoms: network).values(at: points)
        if let b = dataTerm(outputs: f).intercept { f = f.map { $0 + b } }
        let terms = targets.indices.map { j in
            (weights?[j] ?? 1) * options.loss.value(outputs: [f[j]], targets: [targets[j]])
        }
        return targets.indices.filter { (weights?[$0] ?? 1) > 0 }.sorted {
            terms[$0] != terms[$1] ? terms[$0] > terms[$1] : $0 < $1
        }
    }

    /// The first `size` points of `order`; for the hinge loss with one class only, the first point of the other.
    func subsetIndices(_ order: [Int], size: Int) -> [Int] {
        var chosen = Array(order.prefix(size))
        if options.loss == .hinge, let first = chosen.first, chosen.allSatisfy({ targets[$0] == targets[first] }),
            let other = order.dropFirst(size).first(where: { targets[$0] != targets[first] })
        {
            chosen.append(other)
        }
        return chosen
    }
}
