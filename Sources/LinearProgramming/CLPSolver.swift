import CClp

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The COIN-OR CLP backend (1.17, C interface): one `Clp_Simplex` model per instance, freed in `deinit`.
///
/// A fresh model is solved with the dual simplex (`Clp_initialSolve` would print to stdout even at log
/// level 0); after `addColumns` or `setCosts` the old basis stays primal feasible, so the re-solve is a warm
/// primal simplex; after `addRows` or `setBounds` it stays dual feasible, so the re-solve is a warm dual simplex.
/// With quadratic costs (`setQuadraticCosts`) every solve is CLP's primal simplex, which handles a convex
/// quadratic objective (its dual simplex does not). Not thread-safe: use an instance from one thread at a time.
public final class CLPSolver: LPSolver {
    public static let name = "clp"

    public var options: LPOptions {
        didSet { Clp_setLogLevel(model, Int32(clamping: options.logLevel)) }
    }

    /// The C model; never nil, owned by this instance.
    private let model: UnsafeMutableRawPointer
    private var loaded = false
    /// Costs of the loaded columns, so the reported objective is exactly c·x of the returned x.
    private var costs: [Double] = []
    /// Quadratic costs q_j of the loaded columns (objective ½ Σ q_j x_j²); empty while the model is an LP.
    private var quadratic: [Double] = []
    /// Whether CLP holds a quadratic objective (it resizes it itself when columns are added or deleted).
    private var quadraticLoaded = false
    private var rows = 0
    /// How the next solve starts: from scratch, or warm with the primal or the dual simplex.
    private var nextStart = WarmStart.cold

    public init(options: LPOptions) {
        guard let model = Clp_newModel() else { fatalError("Clp_newModel returned NULL (out of memory)") }
        self.model = model
        self.options = options
        Clp_setLogLevel(model, Int32(clamping: options.logLevel))
    }

    deinit { Clp_deleteModel(model) }

    public var numberOfRows: Int { rows }
    public var numberOfColumns: Int { costs.count }

    public func load(_ problem: LinearProgram) throws(LPError) {
        try problem.validate()
        let csc = CSCColumns(problem.columns)
        // Empty arrays may have no base address; CLP reads `start[numcols]` and copies zero elements.
        let index = csc.rows.isEmpty ? [Int32(0)] : csc.rows
        let value = csc.values.isEmpty ? [0.0] : csc.values
        let colLower = csc.lower.isEmpty ? [0.0] : csc.lower
        let colUpper = csc.upper.isEmpty ? [0.0] : csc.upper
        let cost = csc.cost.isEmpty ? [0.0] : csc.cost
        let rowLower = problem.rowLower.isEmpty ? [0.0] : problem.rowLower
        let rowUpper = problem.rowUpper.isEmpty ? [0.0] : problem.rowUpper
        Clp_loadProblem(
            model, Int32(problem.numberOfColumns), Int32(problem.numberOfRows),
            csc.starts, index, value, colLower, colUpper, cost, rowLower, rowUpper)
        guard Clp_numberRows(model) == Int32(problem.numberOfRows),
            Clp_numberColumns(model) == Int32(problem.numberOfColumns)
        else {
            throw .invalidModel(
                "CLP loaded \(Clp_numberRows(model)) × \(Clp_numberColumns(model)), "
                    + "expected \(problem.numberOfRows) × \(problem.numberOfColumns)")
        }
        costs = csc.cost
        quadratic = []
        quadraticLoaded = false
        rows = problem.numberOfRows
        loaded = true
        nextStart = .cold
    }

    public func addColumns(_ columns: [LPColumn]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(columns: columns, rows: rows, firstIndex: costs.count)
        guard !columns.isEmpty else { return }
        let csc = CSCColumns(columns)
        let index = csc.rows.isEmpty ? [Int32(0)] : csc.rows
        let value = csc.values.isEmpty ? [0.0] : csc.values
        Clp_addColumns(model, Int32(columns.count), csc.lower, csc.upper, csc.cost, csc.starts, index, value)
        let expected = costs.count + columns.count
        guard Clp_numberColumns(model) == Int32(expected) else {
            throw .invalidModel("CLP has \(Clp_numberColumns(model)) columns after adding, expected \(expected)")
        }
        costs.append(contentsOf: csc.cost)
        if !quadratic.isEmpty { quadratic.append(contentsOf: [Double](repeating: 0, count: columns.count)) }
    }

    public func setCosts(_ costs: [Double], columns: [Int]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(costs: costs, columns: columns, numberOfColumns: self.costs.count)
        for (cost, column) in zip(costs, columns) { self.costs[column] = cost }
        Clp_chgObjCoefficients(model, self.costs)
    }

    public func removeColumns(_ columns: [Int]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(removing: columns, count: costs.count, what: "column")
        guard !columns.isEmpty else { return }
        Clp_deleteColumns(model, Int32(columns.count), columns.map { Int32($0) })
        let removed = Set(columns)
        costs = costs.indices.filter { !removed.contains($0) }.map { costs[$0] }
        if !quadratic.isEmpty { quadratic = quadratic.indices.filter { !removed.contains($0) }.map { quadratic[$0] } }
    }

    public func addRows(_ newRows: [LPRow]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(rows: newRows, columns: costs.count, firstIndex: rows)
        guard !newRows.isEmpty else { return }
        var starts: [Int32] = [0]
        var index: [Int32] = []
        var value: [Double] = []
        for row in newRows {
            index += row.columns.map { Int32($0) }
            value += row.values
            starts.append(Int32(index.count))
        }
        Clp_addRows(
            model, Int32(newRows.count), newRows.map(\.lower), newRows.map(\.upper), starts,
            index.isEmpty ? [0] : index, value.isEmpty ? [0] : value)
        guard Clp_numberRows(model) == Int32(rows + newRows.count) else {
            throw .invalidModel("CLP has \(Clp_numberRows(model)) rows after adding, expected \(rows + newRows.count)")
        }
        // Scaling off from here: with CLP's scaling, recomputed for the grown matrix, the warm dual simplex took
        // 10⁴ iterations through infeasibilities of 1e11 where it needs 14 unscaled (benchmarks/RESULTS.md,
        // "The master's two forms").
        Clp_scaling(model, 0)
        nextStart = nextStart.afterDualChange
        rows += newRows.count
    }

    public func removeRows(_ indices: [Int]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(removing: indices, count: rows, what: "row")
        guard !indices.isEmpty else { return }
        Clp_deleteRows(model, Int32(indices.count), indices.map { Int32($0) })
        rows -= indices.count
    }

    public func setBounds(lower: [Double], upper: [Double], columns: [Int]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(lower: lower, upper: upper, columns: columns, numberOfColumns: costs.count)
        var newLower = copy(Clp_getColLower(model), costs.count)
        var newUpper = copy(Clp_getColUpper(model), costs.count)
        guard newLower.count == costs.count, newUpper.count == costs.count else {
            throw .invalidModel("CLP returned no column bounds")
        }
        for (k, column) in columns.enumerated() {
            newLower[column] = lower[k]
            newUpper[column] = upper[k]
        }
        Clp_chgColumnLower(model, newLower)
        Clp_chgColumnUpper(model, newUpper)
        nextStart = nextStart.afterDualChange
    }

    public func setQuadraticCosts(_ costs: [Double], columns: [Int]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(costs: costs, columns: columns, numberOfColumns: self.costs.count)
        for (cost, column) in zip(costs, columns) where cost < 0 {
            throw .invalidModel(
                "quadratic cost update: column \(column): coefficient \(cost) < 0 (the objective must be convex)")
        }
        if quadratic.isEmpty { quadratic = [Double](repeating: 0, count: self.costs.count) }
        let before = quadratic
        for (cost, column) in zip(costs, columns) { quadratic[column] = cost }
        guard quadratic != before || !quadraticLoaded else { return }
        // CLP accepts a quadratic objective only on a linear one (an assertion otherwise): to change it, reload
        // the model from CLP's own arrays first. The basis is lost, so the next solve is cold.
        if quadraticLoaded { reloadLinearModel() }
        loadQuadraticObjective()
    }

    /// Loads CLP's current model into itself again, which replaces the objective by the linear costs.
    private func reloadLinearModel() {
        let n = costs.count
        var starts: [Int32] = [0]
        var index: [Int32] = []
        var values: [Double] = []
        if n > 0, let start = Clp_getVectorStarts(model), let length = Clp_getVectorLengths(model),
            let rowIndex = Clp_getIndices(model), let element = Clp_getElements(model)
        {
            for j in 0..<n {
                let first = Int(start[j])
                for k in first..<(first + Int(length[j])) {
                    index.append(rowIndex[k])
                    values.append(element[k])
                }
                starts.append(Int32(index.count))
            }
        }
        let colLower = copy(Clp_getColLower(model), n)
        let colUpper = copy(Clp_getColUpper(model), n)
        let rowLower = copy(Clp_getRowLower(model), rows)
        let rowUpper = copy(Clp_getRowUpper(model), rows)
        func nonEmpty(_ a: [Double]) -> [Double] { a.isEmpty ? [0] : a }
        Clp_loadProblem(
            model, Int32(n), Int32(rows), starts, index.isEmpty ? [0] : index, nonEmpty(values),
            nonEmpty(colLower), nonEmpty(colUpper), nonEmpty(costs), nonEmpty(rowLower), nonEmpty(rowUpper))
        quadraticLoaded = false
        nextStart = .cold
    }

    /// Hands the diagonal quadratic objective to CLP (CSC, one entry per column with q_j ≠ 0).
    private func loadQuadraticObjective() {
        let n = quadratic.count
        var starts: [Int32] = [0]
        var index: [Int32] = []
        var values: [Double] = []
        for j in 0..<n {
            if quadratic[j] != 0 {
                index.append(Int32(j))
                values.append(quadratic[j])
            }
            starts.append(Int32(index.count))
        }
        if index.isEmpty {
            index = [0]
            values = [0]
        }
        Clp_loadQuadraticObjective(model, Int32(n), starts, index, values)
        quadraticLoaded = true
    }

    public func solve() throws(LPError) -> LPResult {
        guard loaded else { throw .noModelLoaded }
        try options.validate()
        let watch = Stopwatch()
        Clp_setPrimalTolerance(model, options.primalTolerance)
        Clp_setDualTolerance(model, options.dualTolerance)
        Clp_setLogLevel(model, Int32(clamping: options.logLevel))
        var iterations = 0
        if case .barrier(let crossover) = options.algorithm {
            return try barrier(crossover: crossover, watch: watch)
        }
        stopped = false
        runUntilClean(iterations: &iterations, watch: watch)
        let status = stopped ? .interrupted : mapStatus(iterations: iterations)
        guard status == .optimal else { return unsolved(status, iterations: iterations, watch: watch) }
        return optimalResult(iterations: iterations, watch: watch)
    }

    /// A cold solve by CLP's barrier (presolve off, so that nothing is printed), with or without its crossover to
    /// a vertex. Without crossover the point is the barrier's: optimal to its tolerances, so the simplex's sign test
    /// of the reduced costs does not apply, and no basis is left for a warm start. The time limit is CLP's (CPU
    /// seconds, not stretched: `run`) and the stop hook is read once, before it starts; the next simplex solve
    /// starts cold.
    private func barrier(crossover: Bool, watch: Stopwatch) throws(LPError) -> LPResult {
        guard !quadraticLoaded else {
            throw .unsupported("CLP's barrier is offered for linear objectives only; solve the QP with the simplex")
        }
        if let stopHook, stopHook() { return unsolved(.interrupted, iterations: 0, watch: watch) }
        guard let solve = ClpSolve_new() else { fatalError("ClpSolve_new returned NULL (out of memory)") }
        defer { ClpSolve_delete(solve) }
        ClpSolve_setSolveType(solve, crossover ? 3 : 4, -1)
        ClpSolve_setPresolveType(solve, 1, -1)
        // A dense Cholesky factor of A D Aᵀ: the masters have few rows and dense columns, which CLP's sparse
        // factor treats one by one as "dense columns" (measured: 3–30 s a solve at 300 rows × 1,400 columns).
        ClpSolve_setSpecialOption(solve, 4, 1, -1)
        // No interrupt handling: by default CLP's initial solve installs its own SIGINT handler for the solve's
        // duration, pointing at the model. Two solves on two threads then left CLP's handler installed for good
        // (each restores what it saw), so a later SIGINT wrote into a freed model and never reached the caller's
        // handler (`Interruption`): seen as lost signals and a crash in the parallel test suite.
        ClpSolve_setSpecialOption(solve, 2, 1, -1)
        Clp_setMaximumIterations(model, Int32(clamping: options.iterationLimit ?? Int(Int32.max)))
        Clp_setMaximumSeconds(model, options.timeLimit.map { max(0, $0) } ?? -1)
        Clp_setNumberIterations(model, 0)
        // Without crossover CLP's basis arrays are left in a state its dual simplex asserts on
        // (ClpSimplexDual::resetFakeBounds): the model is reloaded from its own arrays once the result is copied.
        defer { if !crossover { reloadLinearModel() } }
        _ = Clp_initialSolveWithOptions(model, solve)
        let iterations = Int(Clp_numberIterations(model))
        nextStart = .cold
        if crossover, isUnclean() {
            var more = 0
            stopped = false
            runUntilClean(iterations: &more, watch: watch)
            let status = stopped ? .interrupted : mapStatus(iterations: iterations + more)
            guard status == .optimal else { return unsolved(status, iterations: iterations + more, watch: watch) }
            return optimalResult(iterations: iterations + more, watch: watch)
        }
        let status = crossover ? mapStatus(iterations: iterations) : mapBarrierStatus(iterations: iterations)
        guard status == .optimal else { return unsolved(status, iterations: iterations, watch: watch) }
        return optimalResult(iterations: iterations, watch: watch)
    }

    /// `mapStatus` for a barrier run without crossover: CLP's status 0 is the barrier's own convergence test.
    private func mapBarrierStatus(iterations: Int) -> LPTerminationStatus {
        guard Clp_status(model) == 0 else { return mapStatus(iterations: iterations) }
        return .optimal
    }

    /// The simplex runs of one solve: the warm (or cold) run, then the repairs CLP's scaling and its quadratic
    /// primal need before its status can be trusted.
    private func runUntilClean(iterations: inout Int, watch: Stopwatch) {
        let isQuadratic = quadraticLoaded
        run(primal: nextStart == .primal || isQuadratic, iterations: &iterations, watch: watch)
        // Scaling can make CLP report a feasible, unbounded LP as primal infeasible (status 1, in the dual and the
        // primal simplex; seen on min x + y, x ≤ 0 in no row, y free with 0.082·y ≤ −1.56): such a verdict is
        // confirmed without scaling too, as is an unclean optimum; the model then stays unscaled.
        if isUnclean() || Clp_status(model) == 1, Clp_scalingFlag(model) != 0 {
            Clp_scaling(model, 0)
            run(primal: true, iterations: &iterations, watch: watch)
            // The unscaled primal pass can stop on errors (status 4) on an infeasible LP: the dual decides.
            if Clp_status(model) == 4 { run(primal: false, iterations: &iterations, watch: watch) }
        }
        if isUnclean() { run(primal: isQuadratic, iterations: &iterations, watch: watch) }
        // CLP's quadratic primal can stop with a reduced cost just above its tolerance; a re-run continues from
        // there (measured: 5e-6, then 3e-7 on a 30-point master).
        var reruns = 0
        while isQuadratic, reruns < 4, isUnclean() {
            run(primal: true, iterations: &iterations, watch: watch)
            reruns += 1
        }
    }

    /// One simplex run with fresh per-solve limits; CLP compares its iteration counter (reset here) with
    /// the maximum, and measures the time limit from the moment `Clp_setMaximumSeconds` is called.
    ///
    /// CLP's time limit counts the process's CPU seconds (CoinCpuTime; the C interface has no wall-clock
    /// setter), so on a loaded machine one QP solve ran 739 s past a 300 s budget (benchmarks/RESULTS.md,
    /// "CLP's time limit is CPU time"). Under a time limit or a stop hook the run therefore goes in stretches of
    /// iterations (`IterationStretch`), with the wall clock and the hook read between stretches; CLP resumes from
    /// its current basis on the next call, and its CPU limit stays as a backstop. Primal passes (every QP solve,
    /// warm LP re-solves after new columns) are stretched under either; dual passes only under a stop hook, in
    /// longer stretches: restarting CLP’s dual simplex costs iterations (benchmarks/RESULTS.md). The stretch
    /// lengths come from the model, not the clock, so a stretched solve is reproducible.
    private func run(primal: Bool, iterations: inout Int, watch: Stopwatch) {
        guard !stopped else { return }
        let stretched =
            stopHook != nil || (primal && (options.timeLimit != nil || stretchOverride != nil))
        var stretch = IterationStretch(entries: Int(Clp_getNumElements(model)), fixed: stretchOverride)
        while true {
            let userLeft = options.iterationLimit.map { max(0, $0 - iterations) }
            let limit = stretched ? min(userLeft ?? Int.max, stretch.length) : userLeft ?? Int(Int32.max)
            Clp_setMaximumIterations(model, Int32(clamping: limit))
            if let seconds = options.timeLimit {
                Clp_setMaximumSeconds(model, max(0, seconds - watch.seconds))
            } else {
                Clp_setMaximumSeconds(model, -1)
            }
            Clp_setNumberIterations(model, 0)
            // The return value repeats Clp_status; the status is read by the caller.
            _ = primal ? Clp_primal(model, 0) : Clp_dual(model, 0)
            let done = Int(Clp_numberIterations(model))
            iterations += done
            // Only a stretch that ended on its own iteration limit continues; the caller's limits end the run.
            guard stretched, Clp_status(model) == 3, done >= limit, limit > 0, limit < userLeft ?? Int.max,
                options.timeLimit.map({ watch.seconds < $0 }) ?? true
            else { return }
            if let stopHook, stopHook() {
                stopped = true
                return
            }
            stretch.grow()
        }
    }

    public var stopHook: LPStopHook? = nil

    /// Whether the stop hook ended the current solve (reset by `solve`).
    private var stopped = false

    /// A fixed stretch length in iterations, used in primal passes even without a time limit or stop hook (and in
    /// dual passes under a stop hook); nil: stretches sized by `IterationStretch`. For tests that compare
    /// stretched and unstretched solves.
    public var stretchOverride: Int? = nil

    /// Whether CLP ended "optimal" for its scaled model while the unscaled one is not: secondary status 2–4, or
    /// even status 0 with reduced costs of the wrong sign beyond the tolerance (seen after warm re-solves in
    /// column generation).
    private func isUnclean() -> Bool {
        guard Clp_status(model) == 0 else { return false }
        let secondary = Clp_secondaryStatus(model)
        return (secondary != 0 && secondary != 6) || !reducedCostsHaveOptimalSigns()
    }

    /// The result of a solve that did not end optimal; the next solve starts cold.
    private func unsolved(_ status: LPTerminationStatus, iterations: Int, watch: Stopwatch) -> LPResult {
        nextStart = .cold
        return .unsolved(status, iterations: iterations, seconds: watch.seconds)
    }

    /// The optimal point, duals and reduced costs, copied from CLP (its pointers move when the model changes),
    /// with the objective recomputed as c·x (+ ½ Σ q x²) of the returned x.
    private func optimalResult(iterations: Int, watch: Stopwatch) -> LPResult {
        let n = costs.count
        let primal = copy(Clp_getColSolution(model), n)
        let duals = copy(Clp_getRowPrice(model), rows)
        let reduced = currentReducedCosts()
        guard primal.count == n, duals.count == rows, reduced.count == n else {
            return unsolved(.numericalTrouble("CLP returned no solution arrays"), iterations: iterations, watch: watch)
        }
        var objective = 0.0
        for j in 0..<n { objective += costs[j] * primal[j] }
        if quadraticLoaded {
            for j in 0..<n where quadratic[j] != 0 { objective += 0.5 * quadratic[j] * primal[j] * primal[j] }
            // The quadratic objective is CLP's own copy, resized by CLP when columns change: check it is ours.
            let clp = Clp_objectiveValue(model)
            guard abs(clp - objective) <= 1e-7 * max(1, abs(objective)) else {
                let why = "CLP's quadratic objective \(clp) differs from c·x + ½ Σ q x² = \(objective)"
                return unsolved(.numericalTrouble(why), iterations: iterations, watch: watch)
            }
        }
        nextStart = .primal
        return LPResult(
            status: .optimal, objective: objective, primal: primal, rowDuals: duals,
            reducedCosts: reduced, iterations: iterations, seconds: watch.seconds)
    }

    /// The reduced costs of the current point. With a quadratic objective they are computed here as
    /// `c_j + q_j x_j − (Aᵀy)_j` from CLP's matrix and row duals (CLP's own array leaves out the `q_j x_j`).
    private func currentReducedCosts() -> [Double] {
        let n = costs.count
        guard quadraticLoaded else { return copy(Clp_getReducedCost(model), n) }
        guard n > 0, let x = Clp_getColSolution(model), let y = Clp_getRowPrice(model),
            let start = Clp_getVectorStarts(model), let length = Clp_getVectorLengths(model),
            let rowIndex = Clp_getIndices(model), let element = Clp_getElements(model)
        else { return [] }
        var d = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var value = costs[j] + quadratic[j] * x[j]
            let first = Int(start[j])
            for k in first..<(first + Int(length[j])) { value -= element[k] * y[Int(rowIndex[k])] }
            d[j] = value
        }
        return d
    }

    /// Dual feasibility of the current point: a column strictly above its lower bound may not have a clearly
    /// positive reduced cost, one strictly below its upper bound not a clearly negative one.
    private func reducedCostsHaveOptimalSigns() -> Bool {
        let n = costs.count
        guard n > 0, let x = Clp_getColSolution(model), let lower = Clp_getColLower(model),
            let upper = Clp_getColUpper(model)
        else { return true }
        let d = currentReducedCosts()
        guard d.count == n else { return true }
        // CLP's quadratic (reduced-gradient) primal stops at reduced costs of about 1e-8 (measured on the squared
        // loss's masters): hold it to 1e-7, not to the simplex's tolerance.
        let tolerance = quadraticLoaded ? max(10 * options.dualTolerance, 1e-7) : 10 * options.dualTolerance
        let primalTolerance = 10 * options.primalTolerance
        for j in 0..<n {
            if d[j] < -tolerance && x[j] < upper[j] - primalTolerance { return false }
            if d[j] > tolerance && x[j] > lower[j] + primalTolerance { return false }
        }
        return true
    }

    public func writeMPS(to path: String) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        // CoinMpsIO throws a C++ exception (terminating the process) when it cannot open the file: check first.
        try checkWritable(path)
        let code = Clp_writeMps(model, path, 0, 1, 1.0)
        guard code == 0 else { throw .io("CLP could not write MPS file '\(path)' (code \(code))") }
    }

    /// Maps `Clp_status` / `Clp_secondaryStatus` after the last run. Secondary 9 marks a time stop; a stop
    /// without it is attributed to the iteration limit when that many iterations were spent.
    private func mapStatus(iterations: Int) -> LPTerminationStatus {
        let primary = Clp_status(model)
        let secondary = Clp_secondaryStatus(model)
        switch primary {
        case 0:
            // Secondary 6 with status 0: CLP solved an empty problem (no rows, no columns or no entries) directly.
            guard secondary == 0 || secondary == 6 else {
                return .numericalTrouble("CLP optimal only for the scaled model (secondary status \(secondary))")
            }
            return reducedCostsHaveOptimalSigns()
                ? .optimal
                : .numericalTrouble("CLP reported optimal with reduced costs of the wrong sign")
        case 1: return .infeasible
        case 2: return .unbounded
        case 3:
            if secondary == 9 { return .timeLimit }
            if let limit = options.iterationLimit, iterations >= limit { return .iterationLimit }
            if options.timeLimit != nil { return .timeLimit }
            return .numericalTrouble("CLP stopped early (status 3, secondary status \(secondary))")
        default:
            return .numericalTrouble("CLP stopped on errors (status \(primary), secondary status \(secondary))")
        }
    }
}

/// Throws `LPError.io` unless `path` can be opened for writing (creating or truncating it).
func checkWritable(_ path: String) throws(LPError) {
    guard let file = fopen(path, "w") else {
        throw .io("cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
    fclose(file)
}

/// Copies `count` doubles from a C array (empty when the pointer is NULL).
func copy(_ pointer: UnsafePointer<Double>?, _ count: Int) -> [Double] {
    guard count > 0 else { return [] }
    guard let pointer else { return [] }
    return Array(UnsafeBufferPointer(start: pointer, count: count))
}
