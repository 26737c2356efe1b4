import CClp
import CGLPK

extension LPBackend {
    /// The linked C library and its version, e.g. "CLP 1.17.6" or "GLPK 5.0", for logs and reports.
    public var libraryVersion: String {
        switch self {
        case .clp: "CLP " + (Clp_Version().map { String(cString: $0) } ?? "?")
        case .glpk: "GLPK " + (glp_version().map { String(cString: $0) } ?? "?")
        }
    }
}
