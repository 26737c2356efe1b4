import LinearProgramming

/// The interpolating network with the fewest neurons, proven by a MIP over the dual regions (issue 27;
/// docs/mathematics.md, "The sparsest interpolant"): enumerate the regions, take the least-TV interpolant and
/// reweighted ℓ1 as incumbents, then let branch and cut prove the count.
public enum SparsestInterpolant {
    /// Finds the sparsest interpolant of `labels` at `points` (lifted), or with `heuristicOnly` the reweighted ℓ1
    /// count alone. Refuses above the region limit, conflicting labels and data no network fits.
    public static func solve(points: LiftedData, labels: [Double], options: SparsestOptions) throws(SparsestError)
        -> SparsestResult
    {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = Deadline(seconds: options.timeLimit, watchesSignals: options.watchesSignals)
        try checkLabels(points: points, labels: labels)
        let limit = options.heuristicOnly ? options.maxHeuristicRegions : options.maxRegions
        let arrangement: Arrangement
        do { arrangement = try Arrangement.enumerate(points, maxRegions: limit) } catch {
            if case .tooManyRegions(let estimate, _) = error { throw .tooManyRegions(estimate: estimate, limit: limit) }
            throw .arrangement(error)
        }
        let columns = RayColumns(arrangement: arrangement)
        options.progress?("sparsest: \(columns.regions.count) regions, \(columns.count) rays with an output")
        let labelScale = labels.reduce(0.0) { max($0, abs($1)) }
        var search = Search(
            columns: columns, points: points, labels: labels, labelScale: labelScale, options: options,
            started: started, regions: arrangement.numberOfRegions)
        guard labelScale > 0 else {
            return try search.result(pairs: [], lowerBound: 0, status: options.heuristicOnly ? .heuristic : .optimal)
        }
        let heuristic = ReweightedL1(
            columns: columns, labels: labels.map { $0 / labelScale }, backend: options.lpBackend)
        guard
            let (leastTV, best) = try heuristic.run(
                exponent: options.exponent, rounds: options.reweightingRounds, deadline: deadline)
        else {
            throw .notInterpolable("no network with these inputs fits the labels (the interpolation LP is infeasible)")
        }
        search.leastTVCount = leastTV.count
        search.reweightedCount = best.count
        options.progress?("sparsest: least TV \(leastTV.count) neurons, reweighted ℓ1 \(best.count)")
        let heuristicPairs = best.cover.map { pair in
            (pair.region, pair.positive, pair.columns.map { (column: $0, mu: abs(best.amplitudes[$0])) })
        }
        if options.heuristicOnly { return try search.result(pairs: heuristicPairs, lowerBound: 0, status: .heuristic) }
        return try search.prove(start: best, heuristicPairs: heuristicPairs, deadline: deadline)
    }

    /// Finite labels, one per point, and no input given twice with different labels.
    static func checkLabels(points: LiftedData, labels: [Double]) throws(SparsestError) {
        guard labels.count == points.count else {
            throw .notInterpolable("\(labels.count) labels for \(points.count) points")
        }
        if let j = labels.firstIndex(where: { !$0.isFinite }) {
            throw .notInterpolable("label \(j + 1) is \(labels[j])")
        }
        var firstRow: [[Double]: Int] = [:]
        for j in 0..<points.count {
            let x = Array(points[point: j])
            if let k = firstRow[x] {
                guard labels[k] == labels[j] else { throw .conflictingLabels(first: k + 1, second: j + 1) }
            } else {
                firstRow[x] = j
            }
        }
        for j in 0..<points.count where labels[j] != 0 && points[point: j].allSatisfy({ $0 == 0 }) {
            throw .notInterpolable("row \(j + 1) has the zero input (no bias) and the label \(labels[j]) ≠ 0")
        }
    }
}
