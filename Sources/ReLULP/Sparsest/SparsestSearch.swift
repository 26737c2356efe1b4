import LinearProgramming

/// One run of `SparsestInterpolant.solve` after the regions: the MIP from the heuristic's incumbent, and the
/// network of the chosen (region, sign) pairs refitted by an LP.
struct Search {
    typealias Pair = (region: Int, positive: Bool, coefficients: [(column: Int, mu: Double)])

    let columns: RayColumns
    let points: LiftedData
    let labels: [Double]
    let labelScale: Double
    let options: SparsestOptions
    let started: ContinuousClock.Instant
    let regions: Int
    var leastTVCount = 0
    var reweightedCount = 0
    var outputBound: Double? = nil
    var outputBoundActive = false
    var nodes = 0
    var backend = "none"
    /// The big-M MIP's bound (valid only within M), and what the M-free proof used.
    var boundWithinM: Int? = nil
    var proof: SparsestProof? = nil

    /// Proves the count by support cuts, which assume no bound on the coefficients (docs/mathematics.md §10),
    /// from the heuristic's count; if they have not closed by `incumbentShare` of the time, the big-M MIP looks
    /// for a smaller network in half of what is left and the cuts resume against it.
    mutating func prove(
        start: ReweightedL1.Solution, heuristicPairs: [Pair], deadline: Deadline
    ) throws(SparsestError) -> SparsestResult {
        func share(_ fraction: Double) -> Deadline { deadline.cut(after: deadline.remaining.map { $0 * fraction }) }
        let fitter = self
        var cuts = SupportCuts(
            columns: columns, labels: labels.map { $0 / labelScale }, mipBackend: options.backend,
            lpBackend: options.lpBackend, fit: { support throws(SparsestError) in try fitter.refit(support) })
        var pairs = heuristicPairs
        backend = options.backend.rawValue
        pairs = try neighbourhoodSearch(from: pairs, cuts: &cuts, deadline: share(options.neighbourhoodShare))
        if options.subsetBounds, pairs.count > 1 {
            cuts.floor = try subsetBound(deadline: share(options.subsetShare))
            options.progress?("sparsest: at least \(cuts.floor) neurons on half of the points")
        }
        options.progress?("sparsest: proving \(pairs.count) neurons by support cuts (\(cuts.cuts.count) to start)")
        var outcome = try cuts.run(incumbent: pairs.count, deadline: share(options.incumbentShare))
        if !outcome.closed, deadline.end != nil, !deadline.expired {
            let found = try incumbent(start: start, heuristicPairs: pairs, deadline: share(0.5))
            if found.count < pairs.count {
                pairs = try neighbourhoodSearch(from: found, cuts: &cuts, deadline: share(0.5))
            }
            options.progress?("sparsest: resuming the support cuts against \(pairs.count) neurons")
            let resumed = try cuts.run(incumbent: pairs.count, deadline: deadline)
            outcome = SupportCuts.Outcome(
                lowerBound: max(outcome.lowerBound, resumed.lowerBound), support: resumed.support,
                closed: resumed.closed)
        }
        if let support = outcome.support, support.count < pairs.count { pairs = support }
        let added = cuts.checkedCuts + cuts.lpVerdictCuts
        proof = SparsestProof(
            checkedCuts: cuts.checkedCuts, lpVerdictCuts: cuts.lpVerdictCuts, masterSolves: cuts.masterSolves,
            meanCutPairs: added > 0 ? Double(cuts.cutPairs) / Double(added) : 0,
            cuts: cuts.cuts.map { cut in
                cut.flatMap { p in columns.members[p / 2].map { SparsestPair(region: $0, positive: p % 2 == 0) } }
            })
        options.progress?(
            "sparsest: support cuts: at least \(outcome.lowerBound) (\(cuts.checkedCuts) checked, "
                + "\(cuts.lpVerdictCuts) from LP verdicts, \(cuts.masterSolves) master solves)")
        let optimal = outcome.closed || outcome.lowerBound >= pairs.count
        let status: SparsestStatus = optimal ? .optimal : deadline.interrupted ? .interrupted : .timeLimit
        return try result(pairs: pairs, lowerBound: min(outcome.lowerBound, pairs.count), status: status)
    }

    /// A smaller network among the pairs around `pairs` (each pair's region and those across one facet, with the
    /// pair's sign): the least support of that pool, by the support cuts restricted to it, repeated around each
    /// network found until the pool holds none smaller or the deadline passes (docs/mathematics.md §10, "Finding
    /// a network").
    private func neighbourhoodSearch(
        from pairs: [Pair], cuts: inout SupportCuts, deadline: Deadline
    ) throws(SparsestError) -> [Pair] {
        var best = pairs
        while true {
            var pool = Set<Int>()
            for pair in best {
                for k in [pair.region] + columns.facetNeighbours(of: pair.region, dimension: points.dimension) {
                    pool.insert(2 * k + (pair.positive ? 0 : 1))
                }
            }
            let outcome = try cuts.run(incumbent: best.count, deadline: deadline, pool: pool)
            guard let found = outcome.support, found.count < best.count else { return best }
            options.progress?("sparsest: \(found.count) neurons among the \(pool.count) pairs around the last network")
            best = found
        }
    }

    /// A proven count on half of the points, which bounds the count on all (every network that fits all fits
    /// half): the larger of the two interleaved halves in the order of the first coordinate, each solved in half
    /// of the time to `deadline` (without one, `subsetSeconds` each), with no halves of its own (docs/mathematics.md §10, "Halves").
    private func subsetBound(deadline: Deadline) throws(SparsestError) -> Int {
        let first = (0..<points.count).map { points.values[$0 * points.dimension] }
        let order = (0..<points.count).sorted { first[$0] < first[$1] }
        var bound = 0
        for parity in 0..<2 {
            let half = order.indices.filter { $0 % 2 == parity }.map { order[$0] }
            var halfOptions = options
            halfOptions.subsetBounds = false
            halfOptions.progress = nil
            halfOptions.timeLimit = deadline.remaining.map { $0 / Double(2 - parity) } ?? options.subsetSeconds
            guard (halfOptions.timeLimit ?? 0) > 0, !deadline.expired else { break }
            let subset = points.subset(half)
            let result = try SparsestInterpolant.solve(
                points: subset, labels: half.map { labels[$0] }, options: halfOptions)
            bound = max(bound, result.lowerBound)
        }
        return bound
    }

    /// The pairs of the big-M MIP's best network (never more than the heuristic's), within `deadline`; records
    /// the MIP's bound, which holds only within M.
    private mutating func incumbent(
        start: ReweightedL1.Solution, heuristicPairs: [Pair], deadline: Deadline
    ) throws(SparsestError) -> [Pair] {
        // M covers the incumbent, so the MIP's optimum is never worse than the heuristic's.
        let bound = max(options.outputBoundFactor * Self.spread(points), 1.01 * SparsestMIP.largestPairSum(start))
        let model = SparsestMIP(columns: columns, labels: labels.map { $0 / labelScale }, outputBound: bound)
        outputBound = bound * labelScale
        let mipOptions = MIPOptions(timeLimit: deadline.remaining.map { max(0.01, $0) })
        let program = model.program
        options.progress?(
            "sparsest: MIP (\(options.backend)) with \(program.numberOfColumns) columns, \(program.numberOfRows) rows, "
                + "start \(start.count) neurons")
        let result: MIPResult
        do {
            let solver = options.backend.makeSolver(options: mipOptions)
            solver.stopHook = deadline.stopHook
            result = try solver.solve(program, start: model.start(from: start))
        } catch { throw .solver("the sparsest-interpolant MIP was refused: \(error)") }
        nodes = result.nodes
        options.progress?(
            "sparsest: MIP \(result.status), best \(result.objective), bound \(result.bestBound), \(result.nodes) nodes"
        )
        // The count is an integer: a bound b proves ⌈b − 1e-6⌉ within M (capped: CBC reports 1e50 when closed).
        let trusted = [.optimal, .timeLimit, .interrupted].contains(result.status)
        let capped = min(result.bestBound, Double(2 * columns.regions.count))
        boundWithinM = trusted && capped.isFinite ? max(0, Int((capped - 1e-6).rounded(.up))) : 0
        if case .numericalTrouble(let why) = result.status, !result.hasSolution {
            throw .solver("the sparsest-interpolant MIP failed: \(why)")
        }
        var pairs = result.hasSolution ? model.pairs(in: result.solution) : heuristicPairs
        if pairs.count > heuristicPairs.count { pairs = heuristicPairs }
        outputBoundActive = pairs.contains { $0.coefficients.reduce(0) { $0 + $1.mu } >= 0.99 * bound }
        return pairs
    }

    /// The network of `pairs`, refitted by the least-TV LP over their regions' rays, checked against the labels.
    func result(pairs: [Pair], lowerBound: Int, status: SparsestStatus) throws(SparsestError) -> SparsestResult {
        let fitted = (try? refit(pairs)) ?? pairs
        var atoms: [DiracAtom] = []
        for pair in fitted {
            var v = [Double](repeating: 0, count: points.dimension)
            for (i, mu) in pair.coefficients {
                for l in 0..<v.count { v[l] += mu / columns.scale[i] * columns.rays[i][l] }
            }
            let length = norm(v)
            guard length > 0 else { continue }
            let amplitude = labelScale * length
            atoms.append(DiracAtom(amplitude: pair.positive ? amplitude : -amplitude, weights: v.map { $0 / length }))
        }
        let measure = DiracMeasure(dimension: points.dimension, atoms: atoms)
        let outputs = measure.values(at: points)
        let misfit = zip(outputs, labels).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
        guard misfit <= options.fitTolerance * max(1, labelScale) else {
            throw .solver("the network found misses a label by \(misfit) (more than the fit tolerance)")
        }
        return SparsestResult(
            measure: measure, count: atoms.count, lowerBound: min(lowerBound, atoms.count), boundWithinM: boundWithinM,
            proof: proof, status: status,
            leastTVCount: leastTVCount, reweightedCount: reweightedCount, outputBound: outputBound,
            outputBoundActive: outputBoundActive, regions: regions, columns: columns.count, nodes: nodes,
            misfit: misfit, backend: backend, seconds: Self.seconds(ContinuousClock.now - started))
    }

    /// The least-TV coefficients of the given pairs' region rays that fit the labels exactly (an LP, which removes
    /// the MIP's tolerance from the fit); nil when no combination fits (the LP is infeasible).
    func refit(_ pairs: [Pair]) throws(SparsestError) -> [Pair]? {
        guard !pairs.isEmpty else { return nil }
        var lpColumns: [LPColumn] = []
        var owner: [(pair: Int, column: Int)] = []
        for (p, pair) in pairs.enumerated() {
            for i in columns.regions[pair.region] {
                let (rows, values) = columns.outputs[i]
                let signed = pair.positive ? values : values.map { -$0 }
                lpColumns.append(LPColumn(cost: 1 / columns.scale[i], rows: rows, values: signed))
                owner.append((p, i))
            }
        }
        let solver = options.lpBackend.makeSolver(options: LPOptions())
        let result: LPResult
        do {
            try solver.load(LinearProgram(equalityRows: labels.map { $0 / labelScale }, columns: lpColumns))
            result = try solver.solve()
        } catch { throw .solver("the fit LP of a support was refused: \(error)") }
        switch result.status {
        case .optimal: break
        case .infeasible: return nil
        default: throw .solver("the fit LP of a support ended \(result.status)")
        }
        var fitted = pairs.map { Pair($0.region, $0.positive, []) }
        for (k, (p, i)) in owner.enumerated() where result.primal[k] > 0 {
            fitted[p].coefficients.append((i, result.primal[k]))
        }
        return fitted
    }

    /// ρ = max_j ‖x̃_j‖ / min_{x̃_i ≠ x̃_j} ‖x̃_i − x̃_j‖ (at least 1): close points with different labels need
    /// steep neurons, whose outputs elsewhere grow with this ratio.
    static func spread(_ points: LiftedData) -> Double {
        var largest = 0.0
        var closest = Double.infinity
        for i in 0..<points.count {
            largest = max(largest, norm(points[point: i]))
            for j in 0..<i {
                let gap = norm(zip(points[point: i], points[point: j]).map { $0 - $1 })
                if gap > 0 { closest = min(closest, gap) }
            }
        }
        return closest.isFinite && closest > 0 ? max(1, largest / closest) : 1
    }

    static func seconds(_ duration: Duration) -> Double {
        let (s, atto) = duration.components
        return Double(s) + Double(atto) * 1e-18
    }
}
