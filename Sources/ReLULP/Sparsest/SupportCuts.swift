import LinearProgramming

/// The proof of the count without a bound on the coefficients (docs/mathematics.md §10, "The proof"): a set-cover
/// master over the (region, sign) pairs, each of whose optimal supports is checked by the exact fit LP; a support
/// that cannot fit yields a Farkas cut, checked here in floating point, or failing that a no-good cut.
struct SupportCuts {
    /// How one run ended: the proven least count and, when the master's support fits, its pairs.
    struct Outcome {
        var lowerBound: Int
        var support: [Search.Pair]?
        /// Whether the master reached the incumbent's count (or found a fitting support): the count is proven.
        var closed: Bool
    }

    let columns: RayColumns
    /// Labels scaled to max |y| = 1.
    let labels: [Double]
    let mipBackend: MIPBackend
    /// Fits a support: its pairs with fitted coefficients, nil when no combination of their rays fits.
    let fit: ([Search.Pair]) throws(SparsestError) -> [Search.Pair]?
    let lpBackend: LPBackend
    /// Each cut: pairs at least one of which every interpolating network uses.
    private(set) var cuts: [[Int]] = []
    /// Farkas cuts checked here in floating point.
    private(set) var checkedCuts = 0
    /// Cuts resting on the LP backend: no-good cuts, and Farkas cuts with a shared ray held at 0 by the LP.
    private(set) var lpVerdictCuts = 0
    private(set) var masterSolves = 0
    /// Pairs summed over the cuts of rejected supports (their mean is the cuts' density).
    private(set) var cutPairs = 0
    /// A count proven elsewhere (on a subset of the points): the master needs at least this many pairs.
    var floor = 0

    /// Least value of `u·y` and margin `−s u·ĝ_i` on the support's rays that a Farkas cut must show (labels at
    /// max |y| = 1, |u_j| ≤ 1): far above rounding, and `u·y` above the fit LP's residuals, which it excludes.
    static let farkasMargin = 1e-6

    init(
        columns: RayColumns, labels: [Double], mipBackend: MIPBackend, lpBackend: LPBackend,
        fit: @escaping ([Search.Pair]) throws(SparsestError) -> [Search.Pair]?
    ) {
        self.columns = columns
        self.labels = labels
        self.mipBackend = mipBackend
        self.lpBackend = lpBackend
        self.fit = fit
        // u = ±e_j: a label y_j ≠ 0 needs a neuron of its sign active at x_j.
        for (j, y) in labels.enumerated() where y != 0 {
            let value = (0..<columns.count).map { i in
                zip(columns.outputs[i].points, columns.outputs[i].values).first { $0.0 == j }?.1 ?? 0
            }
            cuts.append(pairs(where: value.map { y > 0 ? $0 : -$0 }, above: 0))
        }
    }

    var pairCount: Int { 2 * columns.regions.count }

    /// The pairs with a ray whose signed value `s · value_i` exceeds `threshold`.
    private func pairs(where value: [Double], above threshold: Double) -> [Int] {
        var result: [Int] = []
        for (k, columnsOfRegion) in columns.regions.enumerated() {
            if columnsOfRegion.contains(where: { value[$0] > threshold }) { result.append(2 * k) }
            if columnsOfRegion.contains(where: { -value[$0] > threshold }) { result.append(2 * k + 1) }
        }
        return result
    }

    /// Cuts until the master's least support fits or reaches `incumbent` pairs, or the deadline passes. With a
    /// `pool`, the master chooses among the pool's pairs only: the least support in the pool, a search for a
    /// network that proves nothing about the count (`lowerBound` stays 0; `closed` says the pool was exhausted),
    /// while its cuts hold for every network and serve the proof.
    mutating func run(
        incumbent: Int, deadline: Deadline, pool: Set<Int>? = nil
    ) throws(SparsestError) -> Outcome {
        // A pool's least support proves nothing about the count.
        func outcome(_ bound: Int, _ support: [Search.Pair]? = nil, closed: Bool) -> Outcome {
            Outcome(lowerBound: pool == nil ? bound : 0, support: support, closed: closed)
        }
        var lowerBound = floor
        if floor >= incumbent { return outcome(incumbent, closed: true) }
        while true {
            if deadline.expired { return outcome(lowerBound, closed: false) }
            let solver = mipBackend.makeSolver(options: MIPOptions(timeLimit: deadline.remaining))
            solver.stopHook = deadline.stopHook
            let result: MIPResult
            do {
                result = try solver.solve(master(below: incumbent, pool: pool), start: nil)
            } catch { throw .solver("the set-cover master was refused: \(error)") }
            masterSolves += 1
            switch result.status {
            case .infeasible: return outcome(incumbent, closed: true)
            case .optimal: break
            default:
                let bound = result.bestBound.isFinite ? max(0, Int((result.bestBound - 1e-6).rounded(.up))) : 0
                return outcome(max(lowerBound, min(bound, incumbent)), closed: false)
            }
            lowerBound = max(lowerBound, Int(result.objective.rounded()))
            let chosen = result.solution.indices.filter { result.solution[$0] > 0.5 }
            let pairs = chosen.map { Search.Pair($0 / 2, $0 % 2 == 0, []) }
            if let fitted = try fit(pairs) { return outcome(chosen.count, fitted, closed: true) }
            try cut(support: chosen, deadline: deadline)
        }
    }

    /// The master: fewest pairs meeting every cut, at least `floor` and fewer than `incumbent` (from `pool` only,
    /// if given).
    private func master(below incumbent: Int, pool: Set<Int>?) -> MixedIntegerProgram {
        var rowsOfPair = [[Int]](repeating: [], count: pairCount)
        for (c, cut) in cuts.enumerated() { for p in cut { rowsOfPair[p].append(c) } }
        let limitRow = cuts.count
        let lpColumns = rowsOfPair.enumerated().map { p, rows in
            LPColumn(
                cost: 1, lower: 0, upper: pool.map { $0.contains(p) ? 1 : 0 } ?? 1, rows: rows + [limitRow],
                values: [Double](repeating: 1, count: rows.count + 1))
        }
        let lp = LinearProgram(
            rowLower: [Double](repeating: 1, count: cuts.count) + [Double(floor)],
            rowUpper: [Double](repeating: .infinity, count: cuts.count) + [Double(incumbent - 1)], columns: lpColumns)
        return MixedIntegerProgram(linear: lp, integer: [Bool](repeating: true, count: pairCount))
    }

    /// A valid cut: pairs at least one of which every interpolating network uses, whether relulp checked it (a
    /// Farkas vector with margins) or it rests on the LP backend's answer, and the Farkas vector u (n entries).
    private struct Cut {
        var pairs: [Int]
        var checked: Bool
        var u: [Double]
    }

    /// Adds the cut of a support whose rays cannot fit the labels: a Farkas cut made sparse by the deletion filter
    /// over the points (docs/mathematics.md §10, "Sparser cuts"), else the no-good cut. Every step's cut is valid,
    /// so the deadline may stop the filter.
    private mutating func cut(support: [Int], deadline: Deadline) throws(SparsestError) {
        var points = Array(0..<labels.count)
        var best = try farkasCut(support: support, points: points)
        if let u = best?.u { points.sort { abs(u[$0]) < abs(u[$1]) } }
        for j in points {
            if deadline.expired { break }
            let fewer = points.filter { $0 != j }
            if let smaller = try farkasCut(support: support, points: fewer) {
                best = smaller
                points = fewer
            }
        }
        let inSupport = Set(support)
        let cut = best ?? Cut(pairs: (0..<pairCount).filter { !inSupport.contains($0) }, checked: false, u: [])
        cuts.append(cut.pairs)
        cutPairs += cut.pairs.count
        if cut.checked { checkedCuts += 1 } else { lpVerdictCuts += 1 }
    }

    /// The Farkas cut of `support` from a u that is zero off `points`, when the LP finds one that checks (nil
    /// otherwise). A ray inactive on `points` has `u·ĝ_i = 0` exactly: it is in neither the LP nor the cut.
    private func farkasCut(support: [Int], points: [Int]) throws(SparsestError) -> Cut? {
        let shared = sharedRays(support)
        guard let u = try farkasVector(support: support, shared: shared, points: points) else { return nil }
        var value = [Double](repeating: 0, count: columns.count)
        var rounding = [Double](repeating: 0, count: columns.count)
        for i in 0..<columns.count {
            var sum = 0.0
            var size = 0.0
            for (j, g) in zip(columns.outputs[i].points, columns.outputs[i].values) where u[j] != 0 {
                sum += u[j] * g
                size += abs(u[j])
            }
            value[i] = sum
            // Rounding of the sum is below n · 2.3e-16 · Σ|u_j| over its terms (g ≤ 1); none without a term.
            rounding[i] = size == 0 ? 0 : Double(labels.count) * 2.3e-16 * size + 1e-15
        }
        let uy = zip(u, labels).reduce(0.0) { $0 + $1.0 * $1.1 }
        // u·y must also exceed the fit LP's residuals (1e-9 a point), which the cut excludes with exact fits.
        let needed = max(Self.farkasMargin / 2, 10e-9 * Double(labels.count))
        // The support's pairs: every ray ≤ −rounding (exactly 0 when inactive on the points), except shared rays
        // active there, held at 0 by the LP (to 1e-9).
        let activeShared = shared.filter { rounding[$0] > 0 }
        let holds = support.allSatisfy { p in
            columns.regions[p / 2].allSatisfy { i in
                activeShared.contains(i)
                    ? abs(value[i]) <= 1e-9 : (p % 2 == 0 ? value[i] : -value[i]) <= -rounding[i]
            }
        }
        guard uy > needed, holds else { return nil }
        let inSupport = Set(support)
        var pairs: [Int] = []
        for (k, columnsOfRegion) in columns.regions.enumerated() {
            for p in [2 * k, 2 * k + 1] where !inSupport.contains(p) {
                let sign = p % 2 == 0 ? 1.0 : -1.0
                if columnsOfRegion.contains(where: { sign * value[$0] > -rounding[$0] }) { pairs.append(p) }
            }
        }
        return Cut(pairs: pairs, checked: activeShared.isEmpty, u: u)
    }

    /// Rays that the support holds with both signs (of adjacent regions): any multiple of them is free.
    private func sharedRays(_ support: [Int]) -> Set<Int> {
        let positive = Set(support.filter { $0 % 2 == 0 }.flatMap { columns.regions[$0 / 2] })
        let negative = Set(support.filter { $0 % 2 == 1 }.flatMap { columns.regions[$0 / 2] })
        return positive.intersection(negative)
    }

    /// A u, zero off `points`, with `|u_j| ≤ 1`, `u·y ≥ margin`, `s u·ĝ_i ≤ −margin` on the support's rays held
    /// with one sign and `u·ĝ_i = 0` on the shared ones (so no combination of them fits), by an LP maximising
    /// `u·y`; rays inactive on `points` need no row. Nil when the LP finds none.
    private func farkasVector(support: [Int], shared: Set<Int>, points: [Int]) throws(SparsestError) -> [Double]? {
        let n = labels.count
        let kept = Set(points)
        var rowsOfPoint = [[Int]](repeating: [], count: n)
        var valuesOfPoint = [[Double]](repeating: [], count: n)
        var upper: [Double] = []
        var done = Set<Int>()
        for p in support {
            let sign = p % 2 == 0 ? 1.0 : -1.0
            for i in columns.regions[p / 2] where !done.contains(i) {
                done.insert(i)
                let terms = zip(columns.outputs[i].points, columns.outputs[i].values).filter { kept.contains($0.0) }
                guard !terms.isEmpty else { continue }
                for (j, g) in terms {
                    rowsOfPoint[j].append(upper.count)
                    valuesOfPoint[j].append(sign * g)
                }
                upper.append(shared.contains(i) ? 0 : -Self.farkasMargin)
            }
        }
        let lpColumns = (0..<n).map { j in
            let bound = kept.contains(j) ? 1.0 : 0
            return LPColumn(
                cost: -labels[j], lower: -bound, upper: bound, rows: rowsOfPoint[j], values: valuesOfPoint[j])
        }
        let lower = (0..<upper.count).map { upper[$0] == 0 ? 0 : -Double.infinity }
        let lp = LinearProgram(rowLower: lower, rowUpper: upper, columns: lpColumns)
        let solver = lpBackend.makeSolver(options: LPOptions())
        let result: LPResult
        do {
            try solver.load(lp)
            result = try solver.solve()
        } catch { throw .solver("the Farkas LP was refused: \(error)") }
        guard result.status == .optimal, -result.objective >= Self.farkasMargin else { return nil }
        // Off the points u is 0 exactly (an LP may return a bound of 0 as −0 or a tiny value).
        return (0..<n).map { kept.contains($0) ? result.primal[$0] : 0 }
    }
}
