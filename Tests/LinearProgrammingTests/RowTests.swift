import LinearProgramming
import Testing

/// `addRows`, `removeRows` and `setBounds` (the master LP in its dual form: box-bounded variables, cutting planes
/// added each round, bounds moved along a regularisation path), on every backend: hand-derived LPs, the warm
/// start, seeded random runs checked against cold solves of the other backend (optimum and status), invalid input.
@Suite struct RowTests {
    /// min −x − 2y  s.t.  r0: x + y ≤ 1.5,  0 ≤ x ≤ 1,  0 ≤ y ≤ 1.
    /// y is worth more, so y = 1 (upper), then x = 0.5 fills r0: objective −2.5. x basic ⇒ d_x = −1 − y0 = 0 ⇒
    /// y0 = −1 (binding ≤ row, ≤ 0); d_y = −2 − (−1) = −1 ≤ 0 at its upper bound. Dual objective
    /// 1.5·(−1) + 1·(−1) = −2.5.
    static let boxLP = LinearProgram(
        rowLower: [-.infinity], rowUpper: [1.5],
        columns: [
            LPColumn(cost: -1, lower: 0, upper: 1, rows: [0], values: [1]),
            LPColumn(cost: -2, lower: 0, upper: 1, rows: [0], values: [1]),
        ])

    /// Checks the first optimum of `boxLP` (with `extra` more rows that are all slack, duals 0).
    static func expectFirstOptimum(_ r: LPResult, extra: Int = 0, _ comment: Comment = "") {
        #expect(close(r.objective, -2.5), comment)
        #expect(close(r.primal, [0.5, 1]), comment)
        #expect(close(r.rowDuals, [-1] + [Double](repeating: 0, count: extra)), comment)
        #expect(close(r.reducedCosts, [0, -1]), comment)
    }

    /// Cuts on `boxLP`, each violated by the optimum before it:
    /// 1. r1: x + 3y ≤ 2 (old optimum: 0.5 + 3 = 3.5). Vertices: x = 1 (upper), 3y = 1 ⇒ (1, 1/3), −5/3
    ///    (r0: 4/3 < 1.5 slack); (0, 2/3) gives only −4/3; r0 ∩ r1 is (1.25, 0.25), outside the box.
    ///    y basic ⇒ −2 − 3·y1 = 0 ⇒ y1 = −2/3; y0 = 0; d_x = −1 − y1 = −1/3 ≤ 0 at upper.
    ///    Dual objective 2·(−2/3) + 1·(−1/3) = −5/3.
    /// 2. r2: y − x ≥ −0.5 (at (1, 1/3): −2/3). r1 ∩ r2: x = y + 0.5, 4y + 0.5 = 2 ⇒ (7/8, 3/8), −13/8
    ///    (r0: 1.25 slack); (0, 2/3) −4/3 and (0.5, 0) −0.5 are worse. Both basic: y1 − y2 = −1, 3y1 + y2 = −2
    ///    ⇒ y1 = −3/4, y2 = 1/4 (binding ≥ row, ≥ 0); d = 0. Dual objective 2·(−3/4) − 0.5·(1/4) = −13/8.
    /// Removing r1 (binding): (0.5, 1) satisfies r2 (0.5 ≥ −0.5), so the first optimum returns with r2 slack;
    /// removing r2 as well gives `boxLP` back.
    @Test(arguments: LPBackend.allCases) func cutsMoveTheOptimumAndRemovingThemRestoresIt(_ backend: LPBackend) throws {
        let solver = backend.makeSolver()
        var lp = Self.boxLP
        try solver.load(lp)
        Self.expectFirstOptimum(try solver.solve().requireOptimal())

        let cut1 = LPRow(upper: 2, columns: [0, 1], values: [1, 3])
        try solver.addRows([cut1])
        lp.append(rows: [cut1])
        #expect(solver.numberOfRows == 2 && solver.numberOfColumns == 2)
        let r1 = try solver.solve().requireOptimal()
        #expect(close(r1.objective, -5.0 / 3))
        #expect(close(r1.primal, [1, 1.0 / 3]))
        #expect(close(r1.rowDuals, [0, -2.0 / 3]))
        #expect(close(r1.reducedCosts, [-1.0 / 3, 0]))
        #expect(kktViolations(lp, r1).isEmpty, "\(kktViolations(lp, r1))")

        // Columns listed out of order: the entries follow `columns`, not their position.
        let cut2 = LPRow(lower: -0.5, columns: [1, 0], values: [1, -1])
        try solver.addRows([cut2])
        lp.append(rows: [cut2])
        let r2 = try solver.solve().requireOptimal()
        #expect(close(r2.objective, -13.0 / 8))
        #expect(close(r2.primal, [7.0 / 8, 3.0 / 8]))
        #expect(close(r2.rowDuals, [0, -3.0 / 4, 1.0 / 4]))
        #expect(close(r2.reducedCosts, [0, 0]))
        #expect(kktViolations(lp, r2).isEmpty, "\(kktViolations(lp, r2))")

        try solver.removeRows([1])
        lp.remove(rows: [1])
        #expect(solver.numberOfRows == 2)
        let r3 = try solver.solve().requireOptimal()
        Self.expectFirstOptimum(r3, extra: 1, "after removing the binding cut")
        #expect(kktViolations(lp, r3).isEmpty, "\(kktViolations(lp, r3))")

        try solver.removeRows([1])
        #expect(solver.numberOfRows == 1)
        Self.expectFirstOptimum(try solver.solve().requireOptimal(), "after removing both cuts")
    }

    /// Both cuts of the previous test added in one batch and removed in one call (in descending order), so
    /// the deletion takes the binding rows of the optimum (7/8, 3/8) at once.
    @Test(arguments: LPBackend.allCases) func batchOfCutsAddedAndRemovedTogether(_ backend: LPBackend) throws {
        let solver = backend.makeSolver()
        try solver.load(Self.boxLP)
        _ = try solver.solve().requireOptimal()
        try solver.addRows([
            LPRow(upper: 2, columns: [0, 1], values: [1, 3]),
            LPRow(lower: -0.5, columns: [1, 0], values: [1, -1]),
        ])
        let both = try solver.solve().requireOptimal()
        #expect(close(both.objective, -13.0 / 8) && close(both.primal, [7.0 / 8, 3.0 / 8]))
        #expect(close(both.rowDuals, [0, -3.0 / 4, 1.0 / 4]))
        try solver.removeRows([2, 1])
        #expect(solver.numberOfRows == 1)
        Self.expectFirstOptimum(try solver.solve().requireOptimal())
    }

    /// The dual form starts from the box alone: min −x − 2y, 0 ≤ x, y ≤ 1 and no rows has x = y = 1 (−3;
    /// d = c). The equality cut x + y = 1.5 then gives y = 1 (upper), x = 0.5 (basic): −2.5, y0 = −1 (an
    /// equality row: free sign), d = (0, −1). A row the optimum satisfies strictly (x − y ≤ 5: −0.5) and an
    /// empty row (−1 ≤ 0 ≤ 1) are slack: duals 0.
    @Test(arguments: LPBackend.allCases) func cutsOnAModelWithoutRows(_ backend: LPBackend) throws {
        let solver = backend.makeSolver()
        var lp = LinearProgram(
            rowLower: [], rowUpper: [],
            columns: Self.boxLP.columns.map {
                LPColumn(cost: $0.cost, lower: $0.lower, upper: $0.upper, rows: [], values: [])
            })
        try solver.load(lp)
        let box = try solver.solve().requireOptimal()
        #expect(close(box.objective, -3) && close(box.primal, [1, 1]) && close(box.reducedCosts, [-1, -2]))
        #expect(box.rowDuals.isEmpty)
        let rows = [
            LPRow(lower: 1.5, upper: 1.5, columns: [0, 1], values: [1, 1]),
            LPRow(upper: 5, columns: [0, 1], values: [1, -1]),
            LPRow(lower: -1, upper: 1, columns: [], values: []),
        ]
        try solver.addRows(rows)
        lp.append(rows: rows)
        let r = try solver.solve().requireOptimal()
        #expect(close(r.objective, -2.5) && close(r.primal, [0.5, 1]))
        #expect(close(r.rowDuals, [-1, 0, 0]) && close(r.reducedCosts, [0, -1]))
        #expect(kktViolations(lp, r).isEmpty, "\(kktViolations(lp, r))")
        // Adding nothing and removing nothing leave the model and its optimum.
        try solver.addRows([])
        try solver.removeRows([])
        try solver.setBounds(lower: [], upper: [], columns: [])
        #expect(solver.numberOfRows == 3)
        #expect(close(try solver.solve().requireOptimal().objective, -2.5))
    }

    /// Bound changes on `boxLP`, each re-solved warm and compared with the hand-derived optimum and with a cold
    /// solve of the same LP on a fresh solver:
    /// 1. y ∈ [0, ∞) (y's upper bound, where it sits, becomes infinite): y fills r0 alone ⇒ (0, 1.5), −3;
    ///    y basic ⇒ y0 = −2; d_x = −1 + 2 = 1 ≥ 0 at lower.
    /// 2. x ∈ [0.2, 1] (x nonbasic at the bound that moves): (0.2, 1.3), −2.8, same duals.
    /// 3. x fixed at 1 (lower = upper): (1, 0.5), −2, y0 = −2, d_x = 1. Dual objective 1.5·(−2) + 1·1 = −2.
    /// 4. x ∈ [0, 1], y ∈ (−∞, 0.25] (an infinite lower bound; x unfixed): both at their upper bounds, r0 at
    ///    1.25 is slack ⇒ (1, 0.25), −1.5, y0 = 0, d = c = (−1, −2).
    /// 5. x ∈ [−1, 2], y ∈ (−∞, 1] (widened): on r0 the objective is −3 + x while y = 1.5 − x ≤ 1 ⇒ x = 0.5:
    ///    the first optimum (0.5, 1), −2.5, y0 = −1, d = (0, −1).
    @Test(arguments: LPBackend.allCases) func boundChangesAlongAPath(_ backend: LPBackend) throws {
        let steps:
            [(
                lower: [Double], upper: [Double], columns: [Int],
                objective: Double, primal: [Double], dual: Double, reduced: [Double]
            )] = [
                ([0], [.infinity], [1], -3, [0, 1.5], -2, [1, 0]),
                ([0.2], [1], [0], -2.8, [0.2, 1.3], -2, [1, 0]),
                ([1], [1], [0], -2, [1, 0.5], -2, [1, 0]),
                ([-.infinity, 0], [0.25, 1], [1, 0], -1.5, [1, 0.25], 0, [-1, -2]),
                ([-1, -.infinity], [2, 1], [0, 1], -2.5, [0.5, 1], -1, [0, -1]),
            ]
        let solver = backend.makeSolver()
        var lp = Self.boxLP
        try solver.load(lp)
        Self.expectFirstOptimum(try solver.solve().requireOptimal())
        for (k, step) in steps.enumerated() {
            try solver.setBounds(lower: step.lower, upper: step.upper, columns: step.columns)
            lp.setBounds(lower: step.lower, upper: step.upper, columns: step.columns)
            #expect(solver.numberOfRows == 1 && solver.numberOfColumns == 2)
            let r = try solver.solve().requireOptimal()
            #expect(close(r.objective, step.objective), "step \(k + 1): \(r.objective)")
            #expect(close(r.primal, step.primal), "step \(k + 1): \(r.primal)")
            #expect(close(r.rowDuals, [step.dual]), "step \(k + 1): \(r.rowDuals)")
            #expect(close(r.reducedCosts, step.reduced), "step \(k + 1): \(r.reducedCosts)")
            #expect(kktViolations(lp, r).isEmpty, "step \(k + 1): \(kktViolations(lp, r))")
            let cold = backend.makeSolver()
            try cold.load(lp)
            #expect(close(try cold.solve().requireOptimal().objective, r.objective), "step \(k + 1) cold")
        }
    }

    /// Bounds and rows together: after the cut x + 3y ≤ 2 (optimum (1, 1/3)), lowering x's upper bound to 0.5
    /// gives y = 1/2 from the cut, (0.5, 0.5), −1.5 (r0 at 1 is slack); y basic ⇒ y1 = −2/3, d_x = −1/3 at upper.
    @Test(arguments: LPBackend.allCases) func boundChangeAfterACut(_ backend: LPBackend) throws {
        let solver = backend.makeSolver()
        try solver.load(Self.boxLP)
        _ = try solver.solve().requireOptimal()
        try solver.addRows([LPRow(upper: 2, columns: [0, 1], values: [1, 3])])
        try solver.setBounds(lower: [0], upper: [0.5], columns: [0])
        let r = try solver.solve().requireOptimal()
        #expect(close(r.objective, -1.5) && close(r.primal, [0.5, 0.5]))
        #expect(close(r.rowDuals, [0, -2.0 / 3]) && close(r.reducedCosts, [-1.0 / 3, 0]))
    }

    /// The warm start the protocol promises, where it can be checked exactly: after a change that leaves the last
    /// optimal basis optimal the re-solve takes no simplex iteration, while a cold solve of `boxLP` takes at least
    /// one (every start puts y at a bound, and no basis without y at its upper bound and x basic is optimal).
    /// Changes: a satisfied cut x − y ≤ 5 (its slack enters the basis), its removal, and y's upper bound (where
    /// y sits) lowered to 0.9, which moves x to 0.6 in the same basis (objective −0.6 − 1.8 = −2.4).
    @Test(arguments: LPBackend.allCases) func changesThatKeepTheBasisOptimalNeedNoIterations(_ backend: LPBackend)
        throws
    {
        let cold = backend.makeSolver()
        try cold.load(Self.boxLP)
        #expect(try cold.solve().requireOptimal().iterations >= 1)

        let solver = backend.makeSolver()
        try solver.load(Self.boxLP)
        _ = try solver.solve().requireOptimal()
        try solver.addRows([LPRow(upper: 5, columns: [0, 1], values: [1, -1])])
        let added = try solver.solve().requireOptimal()
        Self.expectFirstOptimum(added, extra: 1)
        #expect(added.iterations == 0, "after a satisfied cut: \(added.iterations) iterations")
        try solver.removeRows([1])
        let removed = try solver.solve().requireOptimal()
        Self.expectFirstOptimum(removed)
        #expect(removed.iterations == 0, "after removing a slack row: \(removed.iterations) iterations")
        try solver.setBounds(lower: [0], upper: [0.9], columns: [1])
        let moved = try solver.solve().requireOptimal()
        #expect(close(moved.objective, -2.4) && close(moved.primal, [0.6, 0.9]))
        #expect(close(moved.rowDuals, [-1]) && close(moved.reducedCosts, [0, -1]))
        #expect(moved.iterations == 0, "after moving a bound: \(moved.iterations) iterations")
    }

    /// A seeded cutting-plane run on min cᵀx, −1 ≤ x ≤ 1 (no rows at first): each round adds a batch of rows
    /// (mostly cuts violated by the current optimum, some ranged, ≥ or equality rows), some rounds remove rows
    /// (binding ones among them) or shrink and widen column bounds. Every row contains 0 and every box does,
    /// so each LP is feasible and bounded. After every warm re-solve: the KKT check, and the objective of a
    /// cold solve of the same LP on a fresh solver of the other backend.
    @Test(arguments: LPBackend.allCases, [UInt64(1), 2, 3]) func cuttingPlanesAgreeWithColdSolves(
        _ backend: LPBackend, _ seed: UInt64
    ) throws {
        var rng = SplitMix64(seed: seed)
        let n = 10
        let other = LPBackend.allCases.first { $0 != backend }!
        var lp = LinearProgram(
            rowLower: [], rowUpper: [],
            columns: (0..<n).map { _ in
                LPColumn(cost: rng.symmetric(), lower: -1, upper: 1, rows: [], values: [])
            })
        let solver = backend.makeSolver()
        try solver.load(lp)
        var r = try solver.solve().requireOptimal()
        var changes = 0  // rounds whose optimum moved, so the test cannot pass by doing nothing
        for round in 0..<8 {
            var rows: [LPRow] = []
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                // A random subset of the columns in random order, 2 to n entries.
                var columns = Array(0..<n).shuffled(using: &rng)
                columns.removeLast(Int(rng.next() % UInt64(n - 1)))
                let values = columns.map { _ in rng.symmetric() }
                let activity = zip(columns, values).reduce(0) { $0 + r.primal[$1.0] * $1.1 }
                let kind = rng.next() % 6
                switch kind {
                case 0:  // ranged row around 0
                    rows.append(
                        LPRow(
                            lower: -0.3 * abs(rng.symmetric()) - 0.01, upper: 0.3 * abs(rng.symmetric()) + 0.01,
                            columns: columns, values: values))
                case 1:  // equality through 0
                    rows.append(LPRow(lower: 0, upper: 0, columns: columns, values: values))
                case 2:  // ≥ cut violated by the optimum when its activity is below 0
                    rows.append(LPRow(lower: min(0, activity / 2), columns: columns, values: values))
                default:  // ≤ cut halving a positive activity
                    rows.append(LPRow(upper: max(0, activity / 2), columns: columns, values: values))
                }
            }
            try solver.addRows(rows)
            lp.append(rows: rows)
            if round % 3 == 2, lp.numberOfRows > 2 {
                // Remove two rows, the first with the largest |dual| of the last solve (binding, if any is).
                let binding = r.rowDuals.indices.max { abs(r.rowDuals[$0]) < abs(r.rowDuals[$1]) } ?? 0
                var second = Int(rng.next() % UInt64(lp.numberOfRows))
                if second == binding { second = (second + 1) % lp.numberOfRows }
                try solver.removeRows([binding, second])
                lp.remove(rows: [binding, second])
            }
            if round % 2 == 1 {
                // Shrink three boxes toward [−t, t] or widen them back to [−1, 1] (a regularisation path).
                let columns = Array(Array(0..<n).shuffled(using: &rng).prefix(3))
                let lower = columns.map { _ in round % 4 == 1 ? -0.2 - 0.5 * abs(rng.symmetric()) : -1 }
                let upper = columns.map { _ in round % 4 == 1 ? 0.2 + 0.5 * abs(rng.symmetric()) : 1 }
                try solver.setBounds(lower: lower, upper: upper, columns: columns)
                lp.setBounds(lower: lower, upper: upper, columns: columns)
            }
            #expect(solver.numberOfRows == lp.numberOfRows && solver.numberOfColumns == n)
            let next = try solver.solve().requireOptimal()
            #expect(kktViolations(lp, next).isEmpty, "round \(round): \(kktViolations(lp, next))")
            let cold = other.makeSolver()
            try cold.load(lp)
            let reference = try cold.solve().requireOptimal()
            #expect(
                close(next.objective, reference.objective, tol: 1e-9),
                "round \(round): warm \(backend) \(next.objective), cold \(other) \(reference.objective)")
            if !close(next.objective, r.objective, tol: 1e-6) { changes += 1 }
            r = next
        }
        #expect(changes >= 3, "only \(changes) rounds moved the optimum")
    }

    /// Random changes with any kind of bounds (free, one-sided, fixed, boxed; rows too), so many of the LPs are
    /// infeasible or unbounded: after each warm re-solve the status must equal that of a cold solve on the other
    /// backend, and an optimum must pass the KKT check and match the other objective. Seeds 100–139 include LPs
    /// on which CLP, scaled, called a feasible unbounded LP infeasible (102, 111) and on which its unscaled primal
    /// pass then stopped on errors (103, 107).
    @Test(arguments: LPBackend.allCases) func randomChangesAgreeOnTheStatus(_ backend: LPBackend) throws {
        let other = LPBackend.allCases.first { $0 != backend }!
        var statuses: [String: Int] = [:]
        for seed in UInt64(100)..<140 {
            var rng = SplitMix64(seed: seed)
            let n = 3 + Int(rng.next() % 6)
            func bounds() -> (Double, Double) {
                switch rng.next() % 7 {
                case 0: return (-.infinity, .infinity)
                case 1: return (-.infinity, rng.symmetric())
                case 2: return (rng.symmetric(), .infinity)
                case 3:
                    let v = rng.symmetric()
                    return (v, v)
                default:
                    let a = rng.symmetric()
                    let b = rng.symmetric()
                    return (min(a, b) - 0.5, max(a, b) + 0.5)
                }
            }
            var lp = LinearProgram(
                rowLower: [], rowUpper: [],
                columns: (0..<n).map { _ in
                    let (lower, upper) = bounds()
                    return LPColumn(cost: rng.symmetric(), lower: lower, upper: upper, rows: [], values: [])
                })
            let solver = backend.makeSolver()
            try solver.load(lp)
            _ = try solver.solve()
            for step in 0..<12 {
                switch rng.next() % 3 {
                case 0:
                    var rows: [LPRow] = []
                    for _ in 0..<(1 + Int(rng.next() % 3)) {
                        var columns = Array(0..<n).shuffled(using: &rng)
                        columns.removeLast(Int(rng.next() % UInt64(n)))
                        let (lower, upper) = bounds()
                        rows.append(
                            LPRow(
                                lower: 2 * lower, upper: 2 * upper, columns: columns,
                                values: columns.map { _ in rng.symmetric() }))
                    }
                    try solver.addRows(rows)
                    lp.append(rows: rows)
                case 1 where lp.numberOfRows > 0:
                    let k = 1 + Int(rng.next() % UInt64(min(3, lp.numberOfRows)))
                    let removed = Array(Array(0..<lp.numberOfRows).shuffled(using: &rng).prefix(k))
                    try solver.removeRows(removed)
                    lp.remove(rows: removed)
                default:
                    let columns = Array(Array(0..<n).shuffled(using: &rng).prefix(1 + Int(rng.next() % UInt64(n))))
                    let new = columns.map { _ in bounds() }
                    try solver.setBounds(lower: new.map(\.0), upper: new.map(\.1), columns: columns)
                    lp.setBounds(lower: new.map(\.0), upper: new.map(\.1), columns: columns)
                }
                if rng.next() % 3 == 0 { continue }  // sometimes several changes before a solve
                #expect(solver.numberOfRows == lp.numberOfRows)
                let warm = try solver.solve()
                let cold = other.makeSolver()
                try cold.load(lp)
                let reference = try cold.solve()
                statuses["\(warm.status)", default: 0] += 1
                #expect(
                    warm.status == reference.status,
                    "seed \(seed) step \(step): warm \(backend) \(warm.status), cold \(other) \(reference.status)")
                guard warm.status == .optimal, reference.status == .optimal else { continue }
                #expect(close(warm.objective, reference.objective, tol: 1e-9), "seed \(seed) step \(step)")
                #expect(kktViolations(lp, warm).isEmpty, "seed \(seed) step \(step): \(kktViolations(lp, warm))")
            }
        }
        // The run covers all three outcomes.
        #expect(statuses.count == 3 && statuses.values.allSatisfy { $0 >= 10 }, "\(statuses)")
    }

    // MARK: - Invalid input

    /// Each bad call on a loaded and solved `boxLP` (2 columns, 1 row) must throw `.invalidModel` naming the
    /// problem, before any C call (GLPK would abort), and leave the model as it was: the same counts and the
    /// same optimum on the next solve. Batches start with a valid entry that would move the optimum if applied.
    @Test(arguments: LPBackend.allCases) func invalidChangesAreRejectedAndChangeNothing(_ backend: LPBackend) throws {
        let cut = LPRow(upper: 2, columns: [0, 1], values: [1, 3])  // valid, cuts off (0.5, 1)
        let badRows: [([LPRow], String)] = [
            ([LPRow(upper: 1, columns: [2], values: [1])], "row 1: column index 2 is out of range 0..<2"),
            ([LPRow(upper: 1, columns: [-1], values: [1])], "row 1: column index -1 is out of range 0..<2"),
            ([cut, LPRow(upper: 1, columns: [0, 1, 0], values: [1, 1, 1])], "row 2: column index 0 appears twice"),
            ([LPRow(upper: 1, columns: [0, 1], values: [1, .nan])], "row 1: value nan in column 1 is not finite"),
            ([cut, LPRow(upper: 1, columns: [0], values: [.infinity])], "row 2: value inf in column 0 is not finite"),
            ([LPRow(lower: 2, upper: 1, columns: [0], values: [1])], "row 1: lower bound 2.0 > upper bound 1.0"),
            ([cut, LPRow(lower: .infinity, columns: [0], values: [1])], "row 2: lower bound inf is invalid"),
            ([LPRow(lower: 0, upper: -.infinity, columns: [0], values: [1])], "row 1: upper bound -inf is invalid"),
            ([LPRow(lower: .nan, upper: 1, columns: [0], values: [1])], "row 1: lower bound nan is invalid"),
            ([LPRow(upper: 1, columns: [0, 1], values: [1])], "row 1: 2 column indices but 1 values"),
        ]
        let badDeletions: [([Int], String)] = [
            ([1], "row deletion: index 1 outside 0..<1"),
            ([-1], "row deletion: index -1 outside 0..<1"),
            ([0, 0], "row deletion: index 0 appears twice"),
        ]
        let badBounds: [(lower: [Double], upper: [Double], columns: [Int], String)] = [
            ([0, 0], [1], [0], "bound update: 2 lower and 1 upper bounds for 1 column indices"),
            ([0], [1], [0, 1], "bound update: 1 lower and 1 upper bounds for 2 column indices"),
            ([0, 0], [0, 1], [0, 2], "bound update: column index 2 outside 0..<2"),
            ([0], [1], [-1], "bound update: column index -1 outside 0..<2"),
            ([.nan], [1], [0], "bound update: column 0: lower bound nan is invalid"),
            ([0, 0], [0, .nan], [0, 1], "bound update: column 1: upper bound nan is invalid"),
            ([0, 3], [0, 2], [0, 1], "bound update: column 1: lower bound 3.0 > upper bound 2.0"),
            ([.infinity], [.infinity], [1], "bound update: column 1: lower bound inf is invalid"),
            ([-.infinity], [-.infinity], [0], "bound update: column 0: upper bound -inf is invalid"),
        ]

        let solver = backend.makeSolver()
        try solver.load(Self.boxLP)
        Self.expectFirstOptimum(try solver.solve().requireOptimal())
        func expectUnchanged(_ what: String) throws {
            #expect(solver.numberOfRows == 1 && solver.numberOfColumns == 2, "\(what)")
            let r = try solver.solve()
            #expect(r.status == .optimal, "\(what): \(r.status)")
            if r.status == .optimal { Self.expectFirstOptimum(r, "after \(what)") }
        }
        for (rows, text) in badRows {
            let error = #expect(throws: LPError.self) { try solver.addRows(rows) }
            #expect(error.map(message) == text, "\(String(describing: error))")
            try expectUnchanged(text)
        }
        for (indices, text) in badDeletions {
            let error = #expect(throws: LPError.self) { try solver.removeRows(indices) }
            #expect(error.map(message) == text, "\(String(describing: error))")
            try expectUnchanged(text)
        }
        for (lower, upper, columns, text) in badBounds {
            let error = #expect(throws: LPError.self) {
                try solver.setBounds(lower: lower, upper: upper, columns: columns)
            }
            #expect(error.map(message) == text, "\(String(describing: error))")
            try expectUnchanged(text)
        }
        // removeColumns shares the deletion check.
        let error = #expect(throws: LPError.self) { try solver.removeColumns([1, 1]) }
        #expect(error.map(message) == "column deletion: index 1 appears twice")
        try expectUnchanged("removeColumns([1, 1])")
    }

    @Test(arguments: LPBackend.allCases) func changesBeforeLoadThrowNoModelLoaded(_ backend: LPBackend) {
        let solver = backend.makeSolver()
        #expect(throws: LPError.noModelLoaded) { try solver.addRows([LPRow(upper: 1, columns: [0], values: [1])]) }
        #expect(throws: LPError.noModelLoaded) { try solver.addRows([]) }
        #expect(throws: LPError.noModelLoaded) { try solver.removeRows([0]) }
        #expect(throws: LPError.noModelLoaded) { try solver.removeRows([]) }
        #expect(throws: LPError.noModelLoaded) { try solver.setBounds(lower: [0], upper: [1], columns: [0]) }
        #expect(throws: LPError.noModelLoaded) { try solver.setBounds(lower: [], upper: [], columns: []) }
        #expect(solver.numberOfRows == 0 && solver.numberOfColumns == 0)
    }

    /// The static checks name the index a row will get in the model (`firstIndex` + position in the batch).
    @Test func validateRowsAlone() {
        #expect(throws: Never.self) {
            try LinearProgram.validate(rows: [LPRow(upper: 1, columns: [1, 0], values: [1, 2])], columns: 2)
        }
        let error = #expect(throws: LPError.self) {
            try LinearProgram.validate(
                rows: [
                    LPRow(upper: 1, columns: [0], values: [1]),
                    LPRow(upper: 1, columns: [3], values: [1]),
                ], columns: 3, firstIndex: 7)
        }
        #expect(error.map(message) == "row 8: column index 3 is out of range 0..<3")
        // A negative column count is an error, not a trap when the check sizes its work array.
        let negative = #expect(throws: LPError.self) { try LinearProgram.validate(rows: [], columns: -1) }
        #expect(negative.map(message) == "negative number of columns -1")
    }
}

/// The same changes applied to a `LinearProgram` value, to give the KKT check and the cold solves the model
/// the solver should hold.
extension LinearProgram {
    mutating func append(rows: [LPRow]) {
        for row in rows {
            let i = numberOfRows
            rowLower.append(row.lower)
            rowUpper.append(row.upper)
            for (j, value) in zip(row.columns, row.values) {
                columns[j].rows.append(i)
                columns[j].values.append(value)
            }
        }
    }

    /// Deletes rows; the later rows move down.
    mutating func remove(rows removed: [Int]) {
        let gone = Set(removed)
        var newIndex = [Int?](repeating: nil, count: numberOfRows)
        var next = 0
        for i in 0..<numberOfRows where !gone.contains(i) {
            newIndex[i] = next
            next += 1
        }
        rowLower = rowLower.indices.filter { !gone.contains($0) }.map { rowLower[$0] }
        rowUpper = rowUpper.indices.filter { !gone.contains($0) }.map { rowUpper[$0] }
        for j in columns.indices {
            let kept = zip(columns[j].rows, columns[j].values).compactMap { i, v in newIndex[i].map { ($0, v) } }
            columns[j].rows = kept.map(\.0)
            columns[j].values = kept.map(\.1)
        }
    }

    mutating func setBounds(lower: [Double], upper: [Double], columns indices: [Int]) {
        for (k, j) in indices.enumerated() {
            columns[j].lower = lower[k]
            columns[j].upper = upper[k]
        }
    }
}
