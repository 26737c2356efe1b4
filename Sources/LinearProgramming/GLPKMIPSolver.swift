import CGLPK

/// GLPK's branch and cut (`glp_intopt`) behind `MIPSolver`: a fresh `glp_prob` per solve, its LP relaxation solved
/// by `glp_simplex` first (the MIP presolver stays off so that the start can be offered as it is), the start given
/// to the search by a callback at its first heuristic request, and the best bound read from the open nodes. The
/// same callback reads the stop hook and ends the search by `glp_ios_terminate` (GLPK's own way out of a callback).
public final class GLPKMIPSolver: MIPSolver {
    public static let name = "glpk"

    public var options: MIPOptions
    public var stopHook: LPStopHook? = nil

    public init(options: MIPOptions) { self.options = options }

    public func solve(_ program: MixedIntegerProgram, start: [Double]?) throws(LPError) -> MIPResult {
        try options.validate()
        try program.validate(start: start)
        guard program.numberOfRows <= GLPKSolver.maximumSize, program.numberOfColumns <= GLPKSolver.maximumSize
        else { throw .invalidModel("\(program.numberOfRows) rows × \(program.numberOfColumns) columns exceed GLPK") }
        let clock = Stopwatch()
        let previous = glp_term_out(options.logLevel > 0 ? GLP_ON : GLP_OFF)
        defer { glp_term_out(previous) }
        guard let problem = glp_create_prob() else { return failed("glp_create_prob returned NULL", clock) }
        defer { glp_delete_prob(problem) }
        load(program, into: problem)
        if let stopHook, stopHook() { return unsolved(.interrupted, clock) }
        var simplex = glp_smcp()
        glp_init_smcp(&simplex)
        simplex.msg_lev = options.logLevel > 0 ? GLP_MSG_ON : GLP_MSG_OFF
        simplex.tol_bnd = options.primalTolerance
        if let limit = options.timeLimit { simplex.tm_lim = Int32(limit * 1000) }
        let code = glp_simplex(problem, &simplex)
        if code == GLP_ETMLIM { return unsolved(.timeLimit, clock) }
        guard code == 0 else { return failed("glp_simplex returned \(code)", clock) }
        switch glp_get_status(problem) {
        case GLP_OPT: break
        case GLP_NOFEAS: return unsolved(.infeasible, clock)
        default: return failed("the LP relaxation ended with GLPK status \(glp_get_status(problem))", clock)
        }
        return branchAndCut(problem, program: program, start: start, clock: clock)
    }

    /// `glp_intopt` from a solved relaxation; the callback offers the start and records the bound and nodes.
    private func branchAndCut(
        _ problem: OpaquePointer, program: MixedIntegerProgram, start: [Double]?, clock: Stopwatch
    ) -> MIPResult {
        let context = SearchContext(
            start: start.map { [0] + $0 }, rootBound: glp_get_obj_val(problem), stopHook: stopHook)
        var parameters = glp_iocp()
        glp_init_iocp(&parameters)
        parameters.msg_lev = options.logLevel > 0 ? GLP_MSG_ON : GLP_MSG_OFF
        parameters.tol_int = options.integralityTolerance
        parameters.mip_gap = 0
        parameters.gmi_cuts = GLP_ON
        parameters.mir_cuts = GLP_ON
        if let limit = options.timeLimit { parameters.tm_lim = Int32(max(1, (limit - clock.seconds) * 1000)) }
        parameters.cb_func = { tree, info in
            guard let tree, let info else { return }
            Unmanaged<SearchContext>.fromOpaque(info).takeUnretainedValue().visit(tree)
        }
        parameters.cb_info = Unmanaged.passUnretained(context).toOpaque()
        let code = withExtendedLifetime(context) { glp_intopt(problem, &parameters) }
        let mipStatus = glp_mip_status(problem)
        let hasSolution = mipStatus == GLP_OPT || mipStatus == GLP_FEAS
        let solution =
            hasSolution
            ? (1...max(1, program.numberOfColumns)).prefix(program.numberOfColumns).map {
                glp_mip_col_val(problem, Int32($0))
            } : []
        let objective = hasSolution ? glp_mip_obj_val(problem) : .nan
        let status: MIPTerminationStatus
        switch code {
        case 0 where mipStatus == GLP_OPT: status = .optimal
        case 0 where mipStatus == GLP_NOFEAS, GLP_ENOPFS: status = .infeasible
        case GLP_ETMLIM: status = .timeLimit
        case GLP_ESTOP where context.stopped: status = .interrupted
        default: status = .numericalTrouble("glp_intopt returned \(code), MIP status \(mipStatus)")
        }
        let bound = status == .optimal ? objective : (status == .infeasible ? .infinity : context.bound)
        return MIPResult(
            status: status, solution: solution, objective: objective, bestBound: bound, nodes: context.nodes,
            seconds: clock.seconds)
    }

    /// Rows, columns (integer kinds), costs and the matrix of a validated program.
    private func load(_ program: MixedIntegerProgram, into problem: OpaquePointer) {
        let lp = program.linear
        glp_set_obj_dir(problem, GLP_MIN)
        if lp.numberOfRows > 0 { glp_add_rows(problem, Int32(lp.numberOfRows)) }
        for i in 0..<lp.numberOfRows {
            let (type, lower, upper) = glpkBounds(lp.rowLower[i], lp.rowUpper[i])
            glp_set_row_bnds(problem, Int32(i + 1), type, lower, upper)
        }
        guard lp.numberOfColumns > 0 else { return }
        glp_add_cols(problem, Int32(lp.numberOfColumns))
        var index = [Int32](repeating: 0, count: lp.numberOfRows + 1)
        var value = [Double](repeating: 0, count: lp.numberOfRows + 1)
        for (k, column) in lp.columns.enumerated() {
            let j = Int32(k + 1)
            let (type, lower, upper) = glpkBounds(column.lower, column.upper)
            glp_set_col_bnds(problem, j, type, lower, upper)
            glp_set_obj_coef(problem, j, column.cost)
            if program.integer[k] { glp_set_col_kind(problem, j, GLP_IV) }
            for (e, (row, v)) in zip(column.rows, column.values).enumerated() {
                index[e + 1] = Int32(row + 1)
                value[e + 1] = v
            }
            glp_set_mat_col(problem, j, Int32(column.rows.count), index, value)
        }
    }

    private func unsolved(_ status: MIPTerminationStatus, _ clock: Stopwatch) -> MIPResult {
        MIPResult(
            status: status, solution: [], objective: .nan, bestBound: status == .infeasible ? .infinity : -.infinity,
            nodes: 0, seconds: clock.seconds)
    }

    private func failed(_ why: String, _ clock: Stopwatch) -> MIPResult { unsolved(.numericalTrouble(why), clock) }
}

/// What the `glp_intopt` callback reads and writes: the start (1-based, offered once), the search's best bound
/// (the least bound of the open nodes, which only rises) and node count, and whether the stop hook ended it.
private final class SearchContext {
    var start: [Double]?
    var bound: Double
    var nodes = 0
    let stopHook: LPStopHook?
    var stopped = false

    init(start: [Double]?, rootBound: Double, stopHook: LPStopHook?) {
        self.start = start
        bound = rootBound
        self.stopHook = stopHook
    }

    func visit(_ tree: OpaquePointer) {
        if !stopped, let stopHook, stopHook() {
            stopped = true
            glp_ios_terminate(tree)
        }
        if glp_ios_reason(tree) == GLP_IHEUR, let start {
            _ = glp_ios_heur_sol(tree, start)
            self.start = nil
        }
        let best = glp_ios_best_node(tree)
        if best != 0 { bound = max(bound, glp_ios_node_bound(tree, best)) }
        var active: Int32 = 0
        var current: Int32 = 0
        var total: Int32 = 0
        glp_ios_tree_size(tree, &active, &current, &total)
        nodes = Int(total)
    }
}

/// GLPK's bound type for validated bounds (infinite only outwards, lower ≤ upper).
private func glpkBounds(_ lower: Double, _ upper: Double) -> (Int32, Double, Double) {
    switch (lower.isFinite, upper.isFinite) {
    case (false, false): (GLP_FR, 0, 0)
    case (true, false): (GLP_LO, lower, 0)
    case (false, true): (GLP_UP, 0, upper)
    case (true, true): lower == upper ? (GLP_FX, lower, upper) : (GLP_DB, lower, upper)
    }
}
