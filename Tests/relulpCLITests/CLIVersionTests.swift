import Foundation
import ReLULP
import Testing

/// `relulp --version`: the package's version and both LP libraries'.
@Suite struct CLIVersionTests {
    @Test(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
    func versionNamesThePackageAndBothLPLibraries() throws {
        let run = try runRelulp(["--version"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "relulp \(relulpVersion)")
        // The library versions as the C libraries report them, e.g. "CLP 1.17.6" and "GLPK 5.0".
        for prefix in ["CLP ", "GLPK "] {
            let line = lines.first { $0.hasPrefix(prefix) }
            let version = line.map { String($0.dropFirst(prefix.count)) } ?? ""
            #expect(version.first?.isNumber == true && version.contains("."), "no \(prefix)version in \(run.stdout)")
        }
    }
}
