/// Everything that can go wrong before or around a solve. A failed solve itself is not an error of this
/// type but a `LPTerminationStatus`; `LPResult.requireOptimal()` turns it into `.notOptimal`.
public enum LPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A backend name that is not `clp` or `glpk`.
    case unknownBackend(String)
    /// The solve did not end optimal; the values must not be used.
    case notOptimal(LPTerminationStatus)
    /// The model violates a precondition of the C libraries; the string names the offending row/column/value.
    case invalidModel(String)
    /// `solve`, `addColumns` or `writeMPS` before `load`.
    case noModelLoaded
    /// A file could not be written.
    case io(String)

    public var description: String {
        switch self {
        case .unknownBackend(let name):
            "unknown LP backend '\(name)'; choose one of: \(LPBackend.allCases.map(\.rawValue).joined(separator: ", "))"
        case .notOptimal(let status): "the LP solve did not end optimal: \(status)"
        case .invalidModel(let why): "invalid LP: \(why)"
        case .noModelLoaded: "no LP has been loaded into the solver"
        case .io(let why): why
        }
    }
}
