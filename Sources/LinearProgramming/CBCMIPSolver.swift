import CCbc
import Foundation

/// CBC's C interface solves through `CbcMain1`, which keeps process-wide state: two solves at once on different
/// threads fail (status −1) or hang, so every solve holds this lock.
private let cbcSolveLock = NSLock()

/// COIN-OR CBC behind `MIPSolver`, through its C interface: a fresh `Cbc_Model` per solve (CBC's model is not
/// meant to be solved twice), loaded in column form, the start given by `Cbc_setMIPStartI`, the best bound from
/// `Cbc_getBestPossibleObjValue`. Solves are serialised process-wide (`cbcSolveLock`). The stop hook is read by a
/// cut callback (`StopCuts`).
public final class CBCMIPSolver: MIPSolver {
    public static let name = "cbc"

    public var options: MIPOptions
    public var stopHook: LPStopHook? = nil

    public init(options: MIPOptions) { self.options = options }

    public func solve(_ program: MixedIntegerProgram, start: [Double]?) throws(LPError) -> MIPResult {
        try options.validate()
        try program.validate(start: start)
        let clock = Stopwatch()
        if let stopHook, stopHook() {
            return MIPResult(
                status: .interrupted, solution: [], objective: .nan, bestBound: -.infinity, nodes: 0,
                seconds: clock.seconds)
        }
        cbcSolveLock.lock()
        defer { cbcSolveLock.unlock() }
        guard let model = Cbc_newModel() else {
            return MIPResult(
                status: .numericalTrouble("Cbc_newModel returned NULL"), solution: [], objective: .nan,
                bestBound: -.infinity, nodes: 0, seconds: clock.seconds)
        }
        defer { Cbc_deleteModel(model) }
        let lp = program.linear
        let packed = CSCColumns(lp.columns)
        Cbc_loadProblem(
            model, Int32(lp.numberOfColumns), Int32(lp.numberOfRows), packed.starts, packed.rows, packed.values,
            packed.lower, packed.upper, packed.cost, lp.rowLower, lp.rowUpper)
        for (k, isInteger) in program.integer.enumerated() where isInteger { Cbc_setInteger(model, Int32(k)) }
        Cbc_setLogLevel(model, Int32(options.logLevel))
        Cbc_setParameter(model, "integerTolerance", "\(options.integralityTolerance)")
        Cbc_setParameter(model, "primalTolerance", "\(options.primalTolerance)")
        Cbc_setParameter(model, "timeMode", "elapsed")
        Cbc_setAllowableGap(model, 0)
        Cbc_setAllowableFractionGap(model, 0)
        if let limit = options.timeLimit { Cbc_setMaximumSeconds(model, max(limit, 1e-3)) }
        if let start {
            let columns = (0..<Int32(start.count)).map { $0 }
            Cbc_setMIPStartI(model, Int32(start.count), columns, start)
        }
        let stop = stopHook.map { StopCuts(stopHook: $0) }
        if let stop {
            Cbc_addCutCallback(model, StopCuts.callback, "relulp-stop", Unmanaged.passUnretained(stop).toOpaque())
        }
        withExtendedLifetime(stop) { _ = Cbc_solve(model) }
        var solved = result(model, columns: lp.numberOfColumns, clock: clock)
        if stop?.stopped == true {
            // The infeasible cuts pruned the open nodes: CBC's bound and verdict no longer hold; the incumbent does.
            solved.status = .interrupted
            solved.bestBound = -.infinity
        }
        return solved
    }

    /// Reads the status, incumbent and bound of a solved model. When the time limit struck without CBC saying so,
    /// its verdict is not trusted: a limit inside the first LP reads as "finished, relaxation infeasible" (status 0,
    /// secondary 1), which the sparsest interpolant once took for a proof. Such a solve is a time limit that
    /// proves nothing (`MIPTests.timeLimitIsNeverInfeasibility`).
    private func result(_ model: UnsafeMutableRawPointer, columns: Int, clock: Stopwatch) -> MIPResult {
        let limitReached = Cbc_isSecondsLimitReached(model) != 0
        let unnoticedLimit = !limitReached && options.timeLimit.map { clock.seconds >= $0 } == true
        let status: MIPTerminationStatus
        if unnoticedLimit || limitReached {
            status = .timeLimit
        } else if Cbc_isProvenOptimal(model) != 0 {
            status = .optimal
        } else if Cbc_isProvenInfeasible(model) != 0 {
            status = .infeasible
        } else {
            status = .numericalTrouble(
                "CBC status \(Cbc_status(model)), secondary \(Cbc_secondaryStatus(model))"
                    + (Cbc_isAbandoned(model) != 0 ? ", abandoned" : ""))
        }
        var solution: [Double] = []
        // Without integer columns CBC solves the LP only and keeps no "best solution": read the column solution.
        let fallback = status == .optimal ? Cbc_getColSolution(model) : nil
        if let best = Cbc_bestSolution(model).map({ UnsafePointer($0) }) ?? fallback, columns > 0 {
            solution = Array(UnsafeBufferPointer(start: best, count: columns))
        }
        let objective = solution.isEmpty ? .nan : Cbc_getObjValue(model)
        var bound = Cbc_getBestPossibleObjValue(model)
        if status == .optimal { bound = min(bound, objective) }
        if status == .infeasible { bound = .infinity }
        if !bound.isFinite && status != .infeasible || unnoticedLimit { bound = -.infinity }
        return MIPResult(
            status: status, solution: solution, objective: objective, bestBound: bound,
            nodes: Int(Cbc_getNodeCount(model)), seconds: clock.seconds)
    }
}

/// The stop hook inside CBC, whose C interface (2.10) has no callback that can end a search: a cut generator called
/// at every round of cut generation, at the root and in every node (`Cbc_addCutCallback`, how often 1), that once
/// the hook fired adds a cut no point within the node's bounds meets (x_k ≤ lower − 1 or x_k ≥ upper + 1 for the
/// first column with a finite bound), so the node is infeasible and the search prunes what is left. CBC then
/// reports a finished search; `CBCMIPSolver.solve` reports it as interrupted, with its incumbent and no bound
/// (docs/lp-backends.md, "Stopping a solve").
private final class StopCuts {
    let stopHook: LPStopHook
    /// Whether the hook fired (read at every call until it does).
    var stopped = false

    init(stopHook: @escaping LPStopHook) { self.stopHook = stopHook }

    static let callback: cbc_cut_callback = { solver, cuts, info in
        guard let solver, let cuts, let info else { return }
        let context = Unmanaged<StopCuts>.fromOpaque(info).takeUnretainedValue()
        if !context.stopped { context.stopped = context.stopHook() }
        guard context.stopped else { return }
        let columns = Int(Osi_getNumCols(solver))
        guard columns > 0, let lower = Osi_getColLower(solver), let upper = Osi_getColUpper(solver) else { return }
        var one = 1.0
        for k in 0..<columns where abs(lower[k]) < 1e20 || abs(upper[k]) < 1e20 {
            var index = Int32(k)
            if abs(lower[k]) < 1e20 {
                OsiCuts_addRowCut(cuts, 1, &index, &one, CChar(UInt8(ascii: "L")), lower[k] - 1)
            } else {
                OsiCuts_addRowCut(cuts, 1, &index, &one, CChar(UInt8(ascii: "G")), upper[k] + 1)
            }
            return
        }
    }
}
