/// A mixed-integer linear program: a `LinearProgram` whose columns flagged in `integer` must take integer values.
/// Value type: build it, validate it, hand it to any `MIPSolver`.
public struct MixedIntegerProgram: Sendable, Equatable {
    public var linear: LinearProgram
    /// One flag per column of `linear`: true for an integer column.
    public var integer: [Bool]

    public init(linear: LinearProgram, integer: [Bool]) {
        self.linear = linear
        self.integer = integer
    }

    public var numberOfRows: Int { linear.numberOfRows }
    public var numberOfColumns: Int { linear.numberOfColumns }

    /// Throws `LPError.invalidModel` for an invalid LP part (`LinearProgram.validate()`), an `integer` of the wrong
    /// length, or a `start` of the wrong length or with non-finite entries; nothing unchecked reaches C.
    public func validate(start: [Double]? = nil) throws(LPError) {
        try linear.validate()
        guard integer.count == linear.numberOfColumns else {
            throw .invalidModel("integer has \(integer.count) flags for \(linear.numberOfColumns) columns")
        }
        if let start {
            guard start.count == linear.numberOfColumns else {
                throw .invalidModel("the start has \(start.count) values for \(linear.numberOfColumns) columns")
            }
            if let k = start.firstIndex(where: { !$0.isFinite }) {
                throw .invalidModel("start value \(k) is \(start[k])")
            }
        }
    }
}

/// Why a MIP solve ended. Kept apart from the values: a solution (incumbent) and a best bound may exist for any
/// status; only `.optimal` means the incumbent is proven optimal (to the backend's integrality tolerance).
public enum MIPTerminationStatus: Sendable, Equatable, CustomStringConvertible {
    case optimal
    case infeasible
    case timeLimit
    /// The caller's stop hook (`MIPSolver.stopHook`) ended the search: the incumbent found so far (if any) and a
    /// bound that stays valid (−∞ when the backend cannot say which of its bounds still holds).
    case interrupted
    /// The backend gave up; the string says what it reported.
    case numericalTrouble(String)

    public var description: String {
        switch self {
        case .optimal: "optimal"
        case .infeasible: "infeasible"
        case .timeLimit: "time limit"
        case .interrupted: "interrupted"
        case .numericalTrouble(let why): "numerical trouble (\(why))"
        }
    }
}

/// The outcome of one `MIPSolver.solve`: the termination status, the incumbent (if any) and the best bound, a
/// valid lower bound on the optimum whatever the status (−∞ when none was proven).
public struct MIPResult: Sendable {
    public var status: MIPTerminationStatus
    /// The best integer-feasible point found, or empty.
    public var solution: [Double]
    /// Its objective, or `.nan` without one.
    public var objective: Double
    /// A lower bound on the optimal objective proven by the search (minimisation).
    public var bestBound: Double
    /// Branch-and-bound nodes (CBC: its count; GLPK: nodes created).
    public var nodes: Int
    /// Wall-clock seconds of this solve.
    public var seconds: Double

    public init(
        status: MIPTerminationStatus, solution: [Double], objective: Double, bestBound: Double, nodes: Int,
        seconds: Double
    ) {
        self.status = status
        self.solution = solution
        self.objective = objective
        self.bestBound = bestBound
        self.nodes = nodes
        self.seconds = seconds
    }

    /// Whether an incumbent exists.
    public var hasSolution: Bool { !solution.isEmpty }
}

/// Settings shared by the MIP backends.
public struct MIPOptions: Sendable, Equatable {
    /// Wall-clock limit in seconds (`nil`: none); the best bound and incumbent at the limit are returned.
    public var timeLimit: Double? = nil
    /// Distance from an integer below which a value counts as integral.
    public var integralityTolerance: Double = 1e-9
    /// Primal feasibility tolerance of the LP relaxations.
    public var primalTolerance: Double = 1e-9
    /// 0 silent; higher values let the backend print its own log (to stdout).
    public var logLevel: Int = 0

    public init(
        timeLimit: Double? = nil, integralityTolerance: Double = 1e-9, primalTolerance: Double = 1e-9,
        logLevel: Int = 0
    ) {
        self.timeLimit = timeLimit
        self.integralityTolerance = integralityTolerance
        self.primalTolerance = primalTolerance
        self.logLevel = logLevel
    }

    /// Throws `LPError.invalidOption` for a tolerance outside (0, 0.5) or a negative, NaN or over-large time
    /// limit (GLPK takes milliseconds in an `int`).
    public func validate() throws(LPError) {
        guard integralityTolerance > 0, integralityTolerance < 0.5 else {
            throw .invalidOption("integralityTolerance \(integralityTolerance) is not in (0, 0.5)")
        }
        guard primalTolerance > 0, primalTolerance < 1 else {
            throw .invalidOption("primalTolerance \(primalTolerance) is not in (0, 1)")
        }
        if let limit = timeLimit, !(limit >= 0 && limit <= 2e6) {
            throw .invalidOption("timeLimit \(limit) is not in [0, 2e6] seconds")
        }
    }
}

/// A branch-and-cut backend: one solve of one model, from an optional feasible start (an incumbent), within the
/// options' time limit. Every input is validated before any C call (`MixedIntegerProgram.validate(start:)`,
/// `MIPOptions.validate()`). Not thread-safe: create, use and release on one thread.
public protocol MIPSolver: AnyObject {
    /// The name used to select this backend (`"cbc"`, `"glpk"`).
    static var name: String { get }

    init(options: MIPOptions)

    var options: MIPOptions { get set }

    /// Polled inside the search (GLPK: at every call of its branch-and-cut callback; CBC: at every round of cut
    /// generation, at the root and in the nodes): when it returns true the search ends with status `.interrupted`.
    /// As `LPSolver.stopHook`, kept apart from the `Equatable` options; nil: no polling (docs/lp-backends.md,
    /// "Stopping a solve").
    var stopHook: LPStopHook? { get set }

    /// Minimises `program`; `start`, when given, is offered as the first incumbent (the backend checks it and
    /// ignores it if infeasible). A solve that ends early is not an error: the status says why.
    func solve(_ program: MixedIntegerProgram, start: [Double]?) throws(LPError) -> MIPResult
}

/// The available MIP backends, selected by name.
public enum MIPBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case cbc
    case glpk

    /// The backend called `name` (case-insensitive), or `LPError.invalidOption` naming the choices.
    public init(named name: String) throws(LPError) {
        guard let backend = MIPBackend(rawValue: name.lowercased()) else {
            throw .invalidOption("unknown MIP backend '\(name)'; choose one of: cbc, glpk")
        }
        self = backend
    }

    public func makeSolver(options: MIPOptions = MIPOptions()) -> any MIPSolver {
        switch self {
        case .cbc: CBCMIPSolver(options: options)
        case .glpk: GLPKMIPSolver(options: options)
        }
    }

    public var description: String { rawValue }
}
