import CGLPK

/// The GLPK 5.0 backend: one `glp_prob` per instance, freed in `deinit`.
///
/// Threads: GLPK keeps per-thread state and aborted the process when a problem was freed on another thread
/// than the one that created it, so create, use and release an instance on one thread (not across an
/// `await` that may hop threads). GLPK `abort()`s on invalid input; every model and option is validated
/// before it is passed on. Presolve stays off (slow on these LPs, and it discards the warm start).
public final class GLPKSolver: LPSolver {
    public static let name = "glpk"

    /// GLPK's own limit on rows and columns (`M_MAX`, `N_MAX`).
    public static let maximumSize = 100_000_000

    public var options: LPOptions

    public var stopHook: LPStopHook? = nil

    /// A fixed stretch length in iterations for the passes under a stop hook (nil: sized by `IterationStretch`);
    /// for tests.
    public var stretchOverride: Int? = nil

    private let problem: OpaquePointer
    private var loaded = false
    private var costs: [Double] = []
    private var rows = 0
    /// How the next solve starts: from scratch, or warm with the primal or the dual simplex.
    private var nextStart = WarmStart.cold

    public init(options: LPOptions) {
        self.options = options
        let previous = glp_term_out(GLP_OFF)
        guard let problem = glp_create_prob() else { fatalError("glp_create_prob returned NULL") }
        glp_term_out(previous)
        self.problem = problem
        glp_set_obj_dir(problem, GLP_MIN)
    }

    deinit { glp_delete_prob(problem) }

    public var numberOfRows: Int { rows }
    public var numberOfColumns: Int { costs.count }

    public func load(_ lp: LinearProgram) throws(LPError) {
        try lp.validate()
        try Self.checkSize(rows: lp.numberOfRows, columns: lp.numberOfColumns)
        quietly {
            glp_erase_prob(problem)
            glp_set_obj_dir(problem, GLP_MIN)
            if lp.numberOfRows > 0 { glp_add_rows(problem, Int32(lp.numberOfRows)) }
            for i in 0..<lp.numberOfRows {
                let (type, lower, upper) = Self.boundType(lp.rowLower[i], lp.rowUpper[i])
                glp_set_row_bnds(problem, Int32(i + 1), type, lower, upper)
            }
        }
        costs = []
        rows = lp.numberOfRows
        appendColumns(lp.columns)
        loaded = true
        nextStart = .cold
    }

    public func addColumns(_ columns: [LPColumn]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(columns: columns, rows: rows, firstIndex: costs.count)
        try Self.checkSize(rows: rows, columns: costs.count + columns.count)
        appendColumns(columns)
    }

    /// Adds validated columns, each nonbasic at a finite bound (or free at zero) so an existing basis stays valid.
    private func appendColumns(_ columns: [LPColumn]) {
        guard !columns.isEmpty else { return }
        quietly {
            let first = Int(glp_add_cols(problem, Int32(columns.count)))
            var index = [Int32](repeating: 0, count: rows + 1)
            var value = [Double](repeating: 0, count: rows + 1)
            for (k, column) in columns.enumerated() {
                let j = Int32(first + k)
                let (type, lower, upper) = Self.boundType(column.lower, column.upper)
                glp_set_col_bnds(problem, j, type, lower, upper)
                glp_set_obj_coef(problem, j, column.cost)
                for (e, (row, v)) in zip(column.rows, column.values).enumerated() {
                    index[e + 1] = Int32(row + 1)
                    value[e + 1] = v
                }
                glp_set_mat_col(problem, j, Int32(column.rows.count), index, value)
                let status: Int32 =
                    switch type {
                    case GLP_FR: GLP_NF
                    case GLP_UP: GLP_NU
                    case GLP_FX: GLP_NS
                    default: GLP_NL
                    }
                glp_set_col_stat(problem, j, status)
            }
        }
        costs.append(contentsOf: columns.map(\.cost))
    }

    public func setCosts(_ costs: [Double], columns: [Int]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(costs: costs, columns: columns, numberOfColumns: self.costs.count)
        for (cost, column) in zip(costs, columns) {
            self.costs[column] = cost
            glp_set_obj_coef(problem, Int32(column + 1), cost)
        }
    }

    public func removeColumns(_ columns: [Int]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(removing: columns, count: costs.count, what: "column")
        guard !columns.isEmpty else { return }
        var indices = [Int32(0)] + columns.map { Int32($0 + 1) }  // 1-based, element 0 unused
        quietly { glp_del_cols(problem, Int32(columns.count), &indices) }
        let removed = Set(columns)
        costs = costs.indices.filter { !removed.contains($0) }.map { costs[$0] }
    }

    public func addRows(_ newRows: [LPRow]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(rows: newRows, columns: costs.count, firstIndex: rows)
        try Self.checkSize(rows: rows + newRows.count, columns: costs.count)
        guard !newRows.isEmpty else { return }
        quietly {
            let first = Int(glp_add_rows(problem, Int32(newRows.count)))
            var index = [Int32](repeating: 0, count: costs.count + 1)
            var value = [Double](repeating: 0, count: costs.count + 1)
            for (k, row) in newRows.enumerated() {
                let i = Int32(first + k)
                let (type, lower, upper) = Self.boundType(row.lower, row.upper)
                glp_set_row_bnds(problem, i, type, lower, upper)
                for (e, (column, v)) in zip(row.columns, row.values).enumerated() {
                    index[e + 1] = Int32(column + 1)
                    value[e + 1] = v
                }
                glp_set_mat_row(problem, i, Int32(row.columns.count), index, value)
                glp_set_row_stat(problem, i, GLP_BS)
            }
        }
        rows += newRows.count
        nextStart = nextStart.afterDualChange
    }

    public func removeRows(_ indices: [Int]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(removing: indices, count: rows, what: "row")
        guard !indices.isEmpty else { return }
        var list = [Int32(0)] + indices.map { Int32($0 + 1) }  // 1-based, element 0 unused
        quietly { glp_del_rows(problem, Int32(indices.count), &list) }
        rows -= indices.count
    }

    public func setBounds(lower: [Double], upper: [Double], columns: [Int]) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try LinearProgram.validate(lower: lower, upper: upper, columns: columns, numberOfColumns: costs.count)
        quietly {
            for (k, column) in columns.enumerated() {
                let j = Int32(column + 1)
                let (type, low, up) = Self.boundType(lower[k], upper[k])
                let status = glp_get_col_stat(problem, j)
                glp_set_col_bnds(problem, j, type, low, up)
                // A nonbasic column keeps a status its new bounds allow (GLPK would otherwise reject the basis).
                guard status != GLP_BS else { continue }
                let allowed: Int32 =
                    switch (type, status) {
                    case (GLP_FR, _): GLP_NF
                    case (GLP_FX, _): GLP_NS
                    case (GLP_LO, _): GLP_NL
                    case (GLP_UP, _): GLP_NU
                    case (_, GLP_NU): GLP_NU
                    default: GLP_NL
                    }
                glp_set_col_stat(problem, j, allowed)
            }
        }
        nextStart = nextStart.afterDualChange
    }

    public func setQuadraticCosts(_ costs: [Double], columns: [Int]) throws(LPError) {
        throw .unsupported("GLPK minimises linear objectives only; a quadratic objective needs the CLP backend")
    }

    public func solve() throws(LPError) -> LPResult {
        guard loaded else { throw .noModelLoaded }
        try options.validate()
        let watch = Stopwatch()
        if case .barrier(let crossover) = options.algorithm, rows > 0, !costs.isEmpty {
            guard !crossover else {
                throw .unsupported("GLPK's interior-point method has no crossover; use the barrier without it or CLP")
            }
            return interior(watch: watch)
        }
        let before = Int(glp_get_it_cnt(problem))
        let status = runToStatus(watch: watch, before: before)
        guard status == .optimal else {
            nextStart = .cold
            return .unsolved(status, iterations: iterations(since: before), seconds: watch.seconds)
        }
        nextStart = .primal
        return optimalResult(
            primal: glp_get_col_prim, reducedCost: glp_get_col_dual, rowDual: glp_get_row_dual,
            iterations: iterations(since: before), watch: watch)
    }

    /// The optimal result read through one solution's accessors (the simplex's `glp_get_*` or the interior
    /// point's `glp_ipt_*`), the objective recomputed from the costs.
    private func optimalResult(
        primal columnValue: (OpaquePointer?, Int32) -> Double, reducedCost: (OpaquePointer?, Int32) -> Double,
        rowDual: (OpaquePointer?, Int32) -> Double, iterations: Int, watch: Stopwatch
    ) -> LPResult {
        let primal = (0..<costs.count).map { columnValue(problem, Int32($0 + 1)) }
        let reduced = (0..<costs.count).map { reducedCost(problem, Int32($0 + 1)) }
        let duals = (0..<rows).map { rowDual(problem, Int32($0 + 1)) }
        let objective = zip(costs, primal).reduce(0.0) { $0 + $1.0 * $1.1 }
        return LPResult(
            status: .optimal, objective: objective, primal: primal, rowDuals: duals, reducedCosts: reduced,
            iterations: iterations, seconds: watch.seconds)
    }

    /// A cold solve by GLPK's interior-point method (`glp_interior`, AMD ordering): a well-centred point of the
    /// optimal face, optimal to the method's tolerances; the next simplex solve starts cold. It has no iteration or
    /// time limit of its own and no callback: neither `LPOptions.timeLimit` nor the stop hook (read once, before it
    /// starts) can end it, so a time limit or a signal ends such a solve only after it. An empty model (which
    /// `glp_interior` refuses) is left to the simplex by `solve`.
    private func interior(watch: Stopwatch) -> LPResult {
        nextStart = .cold
        if let stopHook, stopHook() { return .unsolved(.interrupted, iterations: 0, seconds: watch.seconds) }
        var parameters = glp_iptcp()
        glp_init_iptcp(&parameters)
        parameters.msg_lev = options.logLevel > 0 ? GLP_MSG_ALL : GLP_MSG_OFF
        parameters.ord_alg = GLP_ORD_AMD
        let code = quietly { glp_interior(problem, &parameters) }
        let status: LPTerminationStatus
        switch code {
        case 0:
            switch glp_ipt_status(problem) {
            case GLP_OPT: status = .optimal
            case GLP_NOFEAS: status = .infeasible
            default: status = .numericalTrouble("glp_interior ended with solution status \(glp_ipt_status(problem))")
            }
        case GLP_EITLIM: status = .iterationLimit
        case GLP_ENOCVG: status = .numericalTrouble("glp_interior did not converge (GLP_ENOCVG)")
        case GLP_EINSTAB: status = .numericalTrouble("glp_interior: numerical instability (GLP_EINSTAB)")
        default: status = .numericalTrouble("glp_interior returned \(Self.codeName(code))")
        }
        guard status == .optimal else { return .unsolved(status, iterations: 0, seconds: watch.seconds) }
        return optimalResult(
            primal: glp_ipt_col_prim, reducedCost: glp_ipt_col_dual, rowDual: glp_ipt_row_dual, iterations: 0,
            watch: watch)
    }

    /// The simplex passes of one solve and the status they end with.
    ///
    /// GLPK's simplex can cycle on the very degenerate LPs of column generation (seen on noise-free data,
    /// in both the primal and the dual method): every pass is capped, and a pass that stalls (no change of
    /// the objective over a stretch of iterations) or reaches its cap is followed by the dual simplex from the
    /// basis reached, then by a restart from the slack basis. The same restart follows a basis GLPK cannot
    /// use: invalid, singular or ill-conditioned at the start (GLP_EBADB, GLP_ESING, GLP_ECOND), or singular to
    /// working precision during the search (GLP_EFAIL; nearly parallel columns after a re-solve that ended in
    /// numerical instability).
    private func runToStatus(watch: Stopwatch, before: Int) -> LPTerminationStatus {
        let cap = 20 * (rows + costs.count) + 1000
        var code = watched(nextStart == .primal ? GLP_PRIMAL : GLP_DUALP, cap: cap, watch: watch, before: before)
        if code == GLP_EITLIM, userLimitLeft(since: before) {
            code = watched(GLP_DUALP, cap: 2 * cap, watch: watch, before: before)
        }
        if code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND || code == GLP_EFAIL
            || (code == GLP_EITLIM && userLimitLeft(since: before))
        {
            quietly { glp_std_basis(problem) }
            code = simplex(method: GLP_DUALP, watch: watch, before: before, cap: 3 * cap)
        }
        if code == GLP_EITLIM, userLimitLeft(since: before) {
            return .numericalTrouble("GLPK's simplex made no progress in \(3 * cap) iterations (cycling)")
        }
        if let status = mapStatus(code) { return status }
        // The dual simplex proved dual infeasibility only: the LP is unbounded if it has a feasible point,
        // else infeasible. A primal simplex pass from the current basis decides.
        code = simplex(method: GLP_PRIMAL, watch: watch, before: before)
        return mapStatus(code) ?? .numericalTrouble("GLPK: no primal and no dual feasible solution")
    }

    /// A pass run in stretches of `2·rows + 500` iterations that gives up (GLP_EITLIM) when a stretch leaves
    /// the objective unchanged: a warm re-solve needs tens to hundreds of iterations, and a cycling one
    /// would otherwise run to its cap (once 110,000 iterations on an LP with 120 rows). The stop hook is read
    /// after each of these stretches too.
    private func watched(_ method: Int32, cap: Int, watch: Stopwatch, before: Int) -> Int32 {
        var last = Double.nan
        while true {
            let used = iterations(since: before)
            let code = simplex(method: method, watch: watch, before: before, cap: min(cap, used + 2 * rows + 500))
            guard code == GLP_EITLIM, iterations(since: before) < cap, userLimitLeft(since: before) else {
                return code
            }
            if let stopHook, stopHook() { return GLP_ESTOP }
            let objective = glp_get_obj_val(problem)
            if abs(objective - last) <= 1e-12 * max(1, abs(objective)) { return GLP_EITLIM }
            last = objective
        }
    }

    /// Simplex iterations of this solve (GLPK's counter is cumulative; `before` is its value at the start).
    private func iterations(since before: Int) -> Int { Int(glp_get_it_cnt(problem)) - before }

    /// Whether the caller's iteration limit leaves iterations for another pass.
    private func userLimitLeft(since before: Int) -> Bool {
        options.iterationLimit.map { iterations(since: before) < $0 } ?? true
    }

    public func writeMPS(to path: String) throws(LPError) {
        guard loaded else { throw .noModelLoaded }
        try checkWritable(path)
        let code = quietly { glp_write_mps(problem, GLP_MPS_FILE, nil, path) }
        guard code == 0 else { throw .io("GLPK could not write MPS file '\(path)' (code \(code))") }
    }

    /// One simplex pass; limits count from the start of this `solve()` (GLPK's `it_lim` and `tm_lim` are per
    /// call, its iteration counter is cumulative). Under a stop hook the pass runs in stretches of iterations
    /// (`IterationStretch`, through `it_lim`; GLPK resumes from the basis reached) with the hook read between
    /// them; a stop returns `GLP_ESTOP`.
    private func simplex(method: Int32, watch: Stopwatch, before: Int, cap: Int? = nil) -> Int32 {
        guard let stopHook else { return call(method: method, watch: watch, before: before, cap: cap) }
        var stretch = IterationStretch(entries: Int(glp_get_num_nz(problem)), fixed: stretchOverride)
        while true {
            let used = iterations(since: before)
            let end = used + stretch.length
            let code = call(method: method, watch: watch, before: before, cap: min(cap ?? Int.max, end))
            // Only a stretch that ended on its own iteration limit continues; the caller's limits end the pass.
            guard code == GLP_EITLIM, iterations(since: before) >= end, end < cap ?? Int.max,
                userLimitLeft(since: before)
            else { return code }
            if stopHook() { return GLP_ESTOP }
            stretch.grow()
        }
    }

    /// One `glp_simplex` call within the caller's limits and `cap` iterations of this solve.
    private func call(method: Int32, watch: Stopwatch, before: Int, cap: Int?) -> Int32 {
        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = options.logLevel <= 0 ? GLP_MSG_OFF : options.logLevel == 1 ? GLP_MSG_ON : GLP_MSG_ALL
        parm.meth = method
        // The dual simplex's long-step ratio test passes boxed variables from bound to bound in one iteration (the
        // master's dual form flips residual signs that way); GLPK uses it only in the dual simplex.
        parm.r_test = GLP_RT_FLIP
        parm.presolve = GLP_OFF
        parm.tol_bnd = options.primalTolerance
        parm.tol_dj = options.dualTolerance
        if let limit = [options.iterationLimit, cap].compactMap({ $0 }).min() {
            parm.it_lim = Int32(clamping: max(0, limit - iterations(since: before)))
        }
        if let limit = options.timeLimit {
            let left = max(0, limit - watch.seconds) * 1000
            parm.tm_lim = left >= Double(Int32.max) ? Int32.max : Int32(left.rounded(.up))
        }
        return quietly { glp_simplex(problem, &parm) }
    }

    /// Maps a `glp_simplex` return code and the solution status; nil when only dual infeasibility is known.
    private func mapStatus(_ code: Int32) -> LPTerminationStatus? {
        switch code {
        case 0: break
        case GLP_EITLIM: return .iterationLimit
        case GLP_ETMLIM: return .timeLimit
        case GLP_ESTOP: return .interrupted
        default: return .numericalTrouble("glp_simplex returned \(Self.codeName(code))")
        }
        switch glp_get_status(problem) {
        case GLP_OPT: return .optimal
        case GLP_NOFEAS: return .infeasible
        case GLP_UNBND: return .unbounded
        default:
            if glp_get_prim_stat(problem) == GLP_NOFEAS { return .infeasible }
            if glp_get_dual_stat(problem) == GLP_NOFEAS {
                return glp_get_prim_stat(problem) == GLP_FEAS ? .unbounded : nil
            }
            return .numericalTrouble("GLPK status \(glp_get_status(problem)) after a successful simplex")
        }
    }

    /// Runs `body` with GLPK's terminal output off unless `logLevel > 0`, restoring the previous setting.
    private func quietly<T>(_ body: () -> T) -> T {
        let previous = glp_term_out(options.logLevel > 0 ? GLP_ON : GLP_OFF)
        defer { glp_term_out(previous) }
        return body()
    }

    private static func checkSize(rows: Int, columns: Int) throws(LPError) {
        guard rows <= maximumSize, columns <= maximumSize else {
            throw .invalidModel("\(rows) rows × \(columns) columns exceed GLPK's limit of \(maximumSize)")
        }
    }

    /// GLPK bound type for validated bounds (infinite only outwards, lower ≤ upper).
    private static func boundType(_ lower: Double, _ upper: Double) -> (Int32, Double, Double) {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): (GLP_FR, 0, 0)
        case (true, false): (GLP_LO, lower, 0)
        case (false, true): (GLP_UP, 0, upper)
        case (true, true): lower == upper ? (GLP_FX, lower, upper) : (GLP_DB, lower, upper)
        }
    }

    private static func codeName(_ code: Int32) -> String {
        let names: [Int32: String] = [
            GLP_EBADB: "GLP_EBADB (invalid basis)", GLP_ESING: "GLP_ESING (singular basis)",
            GLP_ECOND: "GLP_ECOND (ill-conditioned basis)", GLP_EBOUND: "GLP_EBOUND (invalid bounds)",
            GLP_EFAIL: "GLP_EFAIL (solver failed)", GLP_EOBJLL: "GLP_EOBJLL (objective lower limit)",
            GLP_EOBJUL: "GLP_EOBJUL (objective upper limit)", GLP_ENOPFS: "GLP_ENOPFS (no primal feasible)",
            GLP_ENODFS: "GLP_ENODFS (no dual feasible)",
        ]
        return names[code] ?? "code \(code)"
    }
}
