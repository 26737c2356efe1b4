import CClp
import CGLPK

/// The versions of the linked C libraries, e.g. "CLP 1.17.6, GLPK 5.0" (the skeleton's `relulp` prints it).
public func _probeVersions() -> String {
    let clp = Clp_Version().map { String(cString: $0) } ?? "?"
    let glpk = glp_version().map { String(cString: $0) } ?? "?"
    return "CLP \(clp), GLPK \(glpk)"
}
