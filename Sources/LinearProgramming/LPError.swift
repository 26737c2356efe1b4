/// A call the backend refused (the call status, as HiGHS returns one from every call): no model loaded,
/// invalid input or options, a missing capability, a file that cannot be written. A failed solve itself is not an
/// error of this type but a `LPTerminationStatus`; `LPResult.requireOptimal()` turns it into `.notOptimal`.
public enum LPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A backend name that is not `clp` or `glpk`.
    case unknownBackend(String)
    /// The solve did not end optimal; the values must not be used.
    case notOptimal(LPTerminationStatus)
    /// The model violates a precondition of the C libraries; the string names the offending row/column/value.
    case invalidModel(String)
    /// An `LPOptions` setting a backend would reject (GLPK aborts on some); the string names it.
    case invalidOption(String)
    /// A capability the backend does not have (GLPK has no quadratic objective).
    case unsupported(String)
    /// `solve`, a model change or `writeMPS` before `load`.
    case noModelLoaded
    /// A file could not be written.
    case io(String)

    public var description: String {
        switch self {
        case .unknownBackend(let name):
            "unknown LP backend '\(name)'; choose one of: \(LPBackend.allCases.map(\.rawValue).joined(separator: ", "))"
        case .notOptimal(let status): "the LP solve did not end optimal: \(status)"
        case .invalidModel(let why): "invalid LP: \(why)"
        case .invalidOption(let why): "invalid LP option: \(why)"
        case .unsupported(let why): why
        case .noModelLoaded: "no LP has been loaded into the solver"
        case .io(let why): why
        }
    }
}
