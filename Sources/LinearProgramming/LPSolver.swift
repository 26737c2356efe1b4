/// Why a solve of the model ended (MathOptInterface's termination status). Kept apart from the values: only
/// `.optimal` means the primal values, duals and objective describe an optimal solution. A misused call (no
/// model loaded, invalid options or input) is not a status but a thrown `LPError`, as HiGHS keeps the call status
/// apart from the model status.
public enum LPTerminationStatus: Sendable, Equatable, CustomStringConvertible {
    case optimal
    case infeasible
    case unbounded
    case iterationLimit
    case timeLimit
    /// The caller's stop hook (`LPSolver.stopHook`) ended the solve between two stretches of iterations
    /// (MathOptInterface's `INTERRUPTED`).
    case interrupted
    /// The backend gave up or returned an inconsistent answer; the string says what it reported.
    case numericalTrouble(String)

    /// MathOptInterface's three groups of termination statuses.
    public enum Category: Sendable, Equatable {
        /// The solve answered the question: optimal, infeasible or unbounded.
        case ok
        /// A limit the caller set stopped it first.
        case limit
        /// The backend failed; nothing is known about the model.
        case problematic
    }

    public var category: Category {
        switch self {
        case .optimal, .infeasible, .unbounded: .ok
        case .iterationLimit, .timeLimit, .interrupted: .limit
        case .numericalTrouble: .problematic
        }
    }

    public var description: String {
        switch self {
        case .optimal: "optimal"
        case .infeasible: "infeasible"
        case .unbounded: "unbounded"
        case .iterationLimit: "iteration limit"
        case .timeLimit: "time limit"
        case .interrupted: "interrupted"
        case .numericalTrouble(let why): "numerical trouble (\(why))"
        }
    }
}

/// The outcome of one `LPSolver.solve()`.
///
/// Sign conventions (identical for every backend): `rowDuals[i]` = ∂ objective / ∂ (right-hand side of row i);
/// for a minimisation a binding `≥` row has dual ≥ 0, a binding `≤` row dual ≤ 0, an equality row a free dual;
/// `reducedCosts = c − Aᵀ rowDuals`. The arrays are empty unless `status == .optimal`.
public struct LPResult: Sendable {
    public var status: LPTerminationStatus
    public var objective: Double
    public var primal: [Double]
    public var rowDuals: [Double]
    public var reducedCosts: [Double]
    /// Simplex iterations of this solve only (not cumulative).
    public var iterations: Int
    /// Wall-clock seconds of this solve.
    public var seconds: Double

    public init(
        status: LPTerminationStatus, objective: Double, primal: [Double], rowDuals: [Double],
        reducedCosts: [Double], iterations: Int, seconds: Double
    ) {
        self.status = status
        self.objective = objective
        self.primal = primal
        self.rowDuals = rowDuals
        self.reducedCosts = reducedCosts
        self.iterations = iterations
        self.seconds = seconds
    }

    /// This result if it is optimal; otherwise throws `LPError.notOptimal` carrying the status.
    public func requireOptimal() throws(LPError) -> LPResult {
        guard status == .optimal else { throw .notOptimal(status) }
        return self
    }

    /// A result without values, for a solve that did not end optimal.
    static func unsolved(_ status: LPTerminationStatus, iterations: Int, seconds: Double) -> LPResult {
        LPResult(
            status: status, objective: .nan, primal: [], rowDuals: [], reducedCosts: [], iterations: iterations,
            seconds: seconds)
    }
}

/// Which method a solve uses (MathOptInterface's algorithm attribute). The barrier answers with a well-centred
/// point of the optimal face; without crossover its primal and duals are optimal and feasible only to the
/// barrier's tolerances, and the next solve starts cold.
public enum LPAlgorithm: Sendable, Equatable, CustomStringConvertible {
    /// The simplex (warm after a model change; see each backend).
    case simplex
    /// An interior-point method; with `crossover` it ends at a vertex (CLP only: GLPK has no crossover).
    case barrier(crossover: Bool)

    public var description: String {
        switch self {
        case .simplex: "simplex"
        case .barrier(let crossover): crossover ? "barrier with crossover" : "barrier"
        }
    }
}

/// Settings shared by all backends.
public struct LPOptions: Sendable, Equatable {
    /// Primal feasibility tolerance.
    public var primalTolerance: Double = 1e-9
    /// Dual feasibility (optimality) tolerance.
    public var dualTolerance: Double = 1e-9
    /// Simplex iteration limit per solve (`nil`: none).
    public var iterationLimit: Int? = nil
    /// Wall-clock time limit per solve in seconds (`nil`: none). Read between stretches of simplex iterations, so
    /// approximate (overrun about a stretch: `CLPSolver.run`).
    public var timeLimit: Double? = nil
    /// 0 silent; higher values let the backend print its own log (to stdout, the backends' choice).
    public var logLevel: Int = 0
    /// The method of the next solves; `.simplex` unless a caller asks for the barrier.
    public var algorithm: LPAlgorithm = .simplex

    public init(
        primalTolerance: Double = 1e-9, dualTolerance: Double = 1e-9, iterationLimit: Int? = nil,
        timeLimit: Double? = nil, logLevel: Int = 0, algorithm: LPAlgorithm = .simplex
    ) {
        self.algorithm = algorithm
        self.primalTolerance = primalTolerance
        self.dualTolerance = dualTolerance
        self.iterationLimit = iterationLimit
        self.timeLimit = timeLimit
        self.logLevel = logLevel
    }
}

/// A caller's request to end a solve early (`LPSolver.stopHook`): called on the solver's thread, true to stop.
public typealias LPStopHook = () -> Bool

/// A simplex backend holding one LP, built for column generation: load, solve, add columns, re-solve warm
/// from the previous basis.
///
/// A backend owns C state and is not thread-safe: create, use and release it on one thread (GLPK aborts the
/// process when a problem is freed from another thread). Every input is validated before any C call
/// (`LinearProgram.validate()`), so invalid data throws `LPError` instead of reaching the library.
public protocol LPSolver: AnyObject {
    /// The name used to select this backend (`"clp"`, `"glpk"`).
    static var name: String { get }

    init(options: LPOptions)

    var options: LPOptions { get set }

    /// Polled between stretches of simplex iterations of every solve (`IterationStretch`; HiGHS's interrupt
    /// callback): when it returns true the solve ends with status `.interrupted`. Kept apart from the `Equatable`
    /// `LPOptions`; nil: no polling, and the dual simplex runs unbroken. The interior-point methods read it once,
    /// before they start (they have no stretches).
    var stopHook: LPStopHook? { get set }

    /// Replaces the model held by the solver.
    func load(_ problem: LinearProgram) throws(LPError)

    /// Appends columns to the loaded model; the next `solve()` starts from the previous basis. Throws
    /// `.noModelLoaded` before `load`, `.invalidModel` (adding nothing) for an invalid column.
    func addColumns(_ columns: [LPColumn]) throws(LPError)

    /// Changes the costs of existing columns (`costs[i]` for column `columns[i]`); the basis is kept, so the
    /// next `solve()` is warm. Used by regularisation paths, where only some costs change between solves.
    func setCosts(_ costs: [Double], columns: [Int]) throws(LPError)

    /// Deletes columns (indices into the current model, distinct); the later columns move down. Deleting
    /// nonbasic columns keeps the basis, so the next `solve()` stays warm.
    func removeColumns(_ columns: [Int]) throws(LPError)

    /// Appends rows to the loaded model; their slacks enter the basis, so the previous basis stays dual feasible
    /// and the next `solve()` is a warm dual simplex (cutting planes; the master LP in its dual form). Throws
    /// `.noModelLoaded` before `load`, `.invalidModel` (adding nothing) for an invalid row.
    func addRows(_ rows: [LPRow]) throws(LPError)

    /// Deletes rows (indices into the current model, distinct); the later rows move down. Deleting rows whose
    /// slacks are basic keeps the basis.
    func removeRows(_ rows: [Int]) throws(LPError)

    /// Changes the bounds of existing columns; the basis stays dual feasible (unless a nonbasic column loses the
    /// finite bound it sits at), so the next `solve()` is a warm dual simplex.
    func setBounds(lower: [Double], upper: [Double], columns: [Int]) throws(LPError)

    /// Sets the quadratic coefficients `q_j ≥ 0` of the given columns (others keep theirs; new columns start at 0),
    /// making the objective `cᵀx + ½ Σ_j q_j x_j²`: the master problem of the squared loss. `LPResult.objective`
    /// then includes the quadratic part; `rowDuals` and `reducedCosts` are the QP's (reduced cost =
    /// c_j + q_j x_j − (Aᵀy)_j). Throws `.unsupported` on a backend without a quadratic objective
    /// (`LPBackend.solvesQuadraticObjectives`), `.invalidModel` for a negative or non-finite coefficient or a bad
    /// index, before any C call.
    func setQuadraticCosts(_ costs: [Double], columns: [Int]) throws(LPError)

    /// Solves (warm when a basis exists). A failed solve is not an error: the status says what happened. Throws
    /// `.noModelLoaded` before `load` and `.invalidOption` for options that fail `LPOptions.validate()`, without
    /// calling the library.
    func solve() throws(LPError) -> LPResult

    var numberOfRows: Int { get }
    var numberOfColumns: Int { get }

    /// Writes the current model in MPS format (CLP: fixed columns, GLPK: free MPS), for debugging with other
    /// solvers. Throws `.noModelLoaded` before `load` and `.io` when the file cannot be written.
    func writeMPS(to path: String) throws(LPError)
}

/// The available backends, selected by name.
public enum LPBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case clp
    case glpk

    /// The backend called `name` (case-insensitive), or `LPError.unknownBackend`.
    public init(named name: String) throws(LPError) {
        guard let backend = LPBackend(rawValue: name.lowercased()) else { throw .unknownBackend(name) }
        self = backend
    }

    /// A new, empty solver of this backend.
    public func makeSolver(options: LPOptions = LPOptions()) -> any LPSolver {
        switch self {
        case .clp: CLPSolver(options: options)
        case .glpk: GLPKSolver(options: options)
        }
    }

    /// Whether the backend minimises a separable convex quadratic objective (`LPSolver.setQuadraticCosts`), as the
    /// squared loss needs: CLP does (`Clp_loadQuadraticObjective`, solved by its primal simplex), GLPK solves LPs
    /// only. The one place this capability is stated.
    public var solvesQuadraticObjectives: Bool {
        switch self {
        case .clp: true
        case .glpk: false
        }
    }

    public var description: String { rawValue }
}

/// How a backend's next solve starts: from scratch, or warm from the last optimal basis with the primal simplex
/// (columns or costs changed: the basis stays primal feasible) or the dual simplex (rows or bounds changed: it stays
/// dual feasible).
enum WarmStart {
    case cold, primal, dual

    /// The start after a change that keeps only dual feasibility.
    var afterDualChange: WarmStart { self == .cold ? .cold : .dual }
}

/// Wall-clock time since the start of one solve, for its time limit and its reported seconds.
struct Stopwatch {
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant

    init() { start = clock.now }

    var seconds: Double { elapsedSeconds(clock.now - start) }
}

/// The stretches of iterations a simplex pass runs in when it must read the wall clock or the stop hook between
/// them (the backends resume from their current basis). A restart changes the pivoting path, so the lengths come
/// from the model alone, never from measured time: a solve's path, and the network a run ends with, are then the
/// same at any machine load (with lengths from the measured rate, two scikit-learn fits of the same data differed).
/// A restart also refactorises the basis (0.1 s for the dense 1000-row master of plane n = 1000, whose re-solves of
/// 250–450 iterations took two or three stretches of 115: benchmarks/RESULTS.md, "The master's cost at 1000
/// points"), so the first stretch is the iterations that visit about `stretchEntries` matrix entries, between 100
/// and 2000, and each next one twice the last up to that visit count: about a second of CLP's primal on that
/// master, and a master of 10⁵ columns still reads the hook within a second or two. `fixed` (tests) keeps one
/// length.
struct IterationStretch {
    private(set) var length: Int
    let longest: Int
    let fixed: Bool

    /// `entries`: the matrix entries of the model.
    init(entries: Int, fixed: Int?) {
        let visits = Self.stretchEntries / max(entries, 1)
        let first = min(2000, max(100, visits))
        length = fixed ?? first
        longest = max(first, visits)
        self.fixed = fixed != nil
    }

    /// The matrix entries a stretch visits in about a second of CLP's primal: 1200 iterations a second on the
    /// 1000-row master of 1.8·10⁶ entries (its pricing is partial, so an iteration visits fewer than all).
    static let stretchEntries = 2_000_000_000

    /// The next stretch's length: twice the last, within `longest`.
    mutating func grow() {
        guard !fixed else { return }
        length = min(2 * length, longest)
    }
}
