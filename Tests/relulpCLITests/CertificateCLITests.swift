import Foundation
import ReLULP
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The `relulp certify` and `relulp plot` commands, run as the built binary (`swift build` first).
@Suite(.serialized) struct CertificateCLITests {
    static func temporary(_ name: String) -> String { temporaryPath("certificate-cli-" + name) }

    static let kink = Fixtures.packageRoot.appendingPathComponent("models/kink1d_n20/data.csv").path
    static let teacher = Fixtures.packageRoot.appendingPathComponent("models/teacher2d_n30/data.csv").path

    /// Rewrites a model file through a JSON edit.
    static func edit(_ path: String, to target: String, _ change: (inout [String: Any]) -> Void) throws {
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: target))
    }

    @Test(arguments: ["clp", "glpk"])
    func certifiesSolvedModelsAndRejectsPerturbedOnes(backend: String) throws {
        for (name, data, lambda) in [("kink", Self.kink, "0.01"), ("teacher", Self.teacher, "0.05")] {
            let model = Self.temporary("\(name)-\(backend).json")
            let solved = try runRelulp([
                "solve", data, "--lambda", lambda, "--backend", backend, "--output", model, "--quiet",
            ])
            try #require(solved.status == 0, "solve failed: \(solved.stderr)")
            let json = Self.temporary("\(name)-\(backend)-report.json")
            let ok = try runRelulp(["certify", model, data, "--json", json])
            #expect(ok.status == 0, "\(name)/\(backend): \(ok.stdout) \(ok.stderr)")
            #expect(ok.stdout.contains("verdict: certified optimal"))
            let report = try JSONDecoder().decode(
                CertificateReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
            #expect(report.certifiedOptimal)

            for what in ["amplitude", "location"] {
                let bad = Self.temporary("\(name)-\(backend)-\(what).json")
                try Self.edit(model, to: bad) { object in
                    var atoms = object["atoms"] as! [[String: Any]]
                    if what == "amplitude" {
                        atoms[0]["amplitude"] = (atoms[0]["amplitude"] as! Double) * 1.02
                    } else {
                        var w = atoms[0]["weights"] as! [Double]
                        w[0] += 2e-3
                        let length = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                        atoms[0]["weights"] = w.map { $0 / length }
                    }
                    object["atoms"] = atoms
                }
                let result = try runRelulp(["certify", bad, data])
                #expect(result.status != 0, "\(name)/\(backend): perturbed \(what) still certified")
                #expect(result.stdout.contains("verdict: not certified optimal"), "\(result.stdout)")
                #expect(result.stderr.contains("not certified optimal"))
            }
        }
    }

    @Test func badInputIsRejectedClearly() throws {
        let model = Self.temporary("kink-bad.json")
        let solved = try runRelulp(["solve", Self.kink, "--lambda", "0.01", "--output", model, "--quiet"])
        try #require(solved.status == 0, "solve failed: \(solved.stderr)")
        // Data of another size.
        let other = try runRelulp(["certify", model, Self.teacher])
        #expect(other.status != 0 && other.stderr.contains("n = 20"), "\(other.stderr)")
        // A feature the data lacks.
        let renamed = Self.temporary("renamed.json")
        try Self.edit(model, to: renamed) { $0["features"] = ["z"] }
        let missing = try runRelulp(["certify", renamed, Self.kink])
        #expect(missing.status != 0 && missing.stderr.contains("'z'"), "\(missing.stderr)")
        // No labels column for the model's target.
        let target = Self.temporary("target.json")
        try Self.edit(model, to: target) { $0["target"] = "label" }
        let noLabels = try runRelulp(["certify", target, Self.kink])
        #expect(noLabels.status != 0 && noLabels.stderr.contains("label"), "\(noLabels.stderr)")
        // No dual vector.
        let noDual = Self.temporary("nodual.json")
        try Self.edit(model, to: noDual) { $0.removeValue(forKey: "certificate") }
        let dual = try runRelulp(["certify", noDual, Self.kink])
        #expect(dual.status != 0 && dual.stderr.contains("dual"), "\(dual.stderr)")
        let plotNoDual = try runRelulp(["plot", noDual, Self.kink, "--output", Self.temporary("x.svg")])
        #expect(plotNoDual.status != 0 && plotNoDual.stderr.contains("dual"), "\(plotNoDual.stderr)")
        // Bias flag flipped: the atoms no longer fit the layout.
        let flipped = Self.temporary("flipped.json")
        try Self.edit(model, to: flipped) { $0["bias"] = false }
        let bias = try runRelulp(["certify", flipped, Self.kink])
        #expect(bias.status != 0 && bias.stderr.contains("weights"), "\(bias.stderr)")
        // A plot kind the dimension does not have: --no-bias with one feature is d = 1.
        let flat = Self.temporary("nobias.json")
        let solvedFlat = try runRelulp([
            "solve", Self.kink, "--lambda", "0.01", "--no-bias", "--output", flat, "--quiet",
        ])
        try #require(solvedFlat.status == 0, "solve failed: \(solvedFlat.stderr)")
        let unsupported = try runRelulp([
            "plot", flat, Self.kink, "--output", Self.temporary("y.svg"), "--kind", "certificate",
        ])
        #expect(
            unsupported.status != 0 && unsupported.stderr.contains("kinds for this model: network"),
            "\(unsupported.stderr)")
        let unknown = try runRelulp([
            "plot", model, Self.kink, "--output", Self.temporary("z.svg"), "--kind", "histogram",
        ])
        #expect(
            unknown.status == 64
                && unknown.stderr.hasPrefix(
                    "Error: The value 'histogram' is invalid for "
                        + "'--kind <kind>'. Please provide one of 'certificate' and 'network'."),
            "\(unknown.stderr)")
    }

    /// `--pricing branch-and-bound` certifies without enumerating where `--pricing enumerate` refuses the data
    /// (above --max-regions); both name the region estimate when they refuse.
    @Test func certifiesBySearchWhereEnumerationRefuses() throws {
        let model = Self.temporary("teacher-search.json")
        let solved = try runRelulp(["solve", Self.teacher, "--lambda", "0.05", "--output", model, "--quiet"])
        try #require(solved.status == 0, "solve failed: \(solved.stderr)")
        let estimate = "\(Arrangement.generalPositionBound(points: 30, dimension: 3))"
        let refused = try runRelulp(["certify", model, Self.teacher, "--pricing", "enumerate", "--max-regions", "100"])
        #expect(
            refused.status != 0 && refused.stderr.contains(estimate)
                && refused.stderr.contains("--pricing branch-and-bound"), "\(refused.stderr)")
        let searched = try runRelulp([
            "certify", model, Self.teacher, "--pricing", "branch-and-bound", "--max-regions", "100", "--json", "-",
        ])
        #expect(searched.status == 0, "\(searched.stdout) \(searched.stderr)")
        let report = try JSONDecoder().decode(CertificateReport.self, from: Data(searched.stdout.utf8))
        #expect(report.certifiedOptimal && report.pricing == .branchAndBound && report.sparsity.regions == nil)
        #expect(report.optimality.maxAbsEtaExact && abs(report.optimality.maxAbsEta - 1) <= 1e-7)
        let auto = try runRelulp(["certify", model, Self.teacher, "--max-regions", "100"])
        #expect(
            auto.status == 0 && auto.stdout.contains("not enumerated")
                && auto.stdout.contains("verdict: certified optimal"), "\(auto.stdout) \(auto.stderr)")
        let limit = try runRelulp([
            "certify", model, Self.teacher, "--pricing", "branch-and-bound", "--max-search-regions", "100",
        ])
        #expect(
            limit.status != 0 && limit.stderr.contains(estimate) && limit.stderr.contains("--max-search-regions"),
            "\(limit.stderr)")
        let unknown = try runRelulp(["certify", model, Self.teacher, "--pricing", "sample"])
        #expect(
            unknown.status == 64
                && unknown.stderr.hasPrefix(
                    "Error: The value 'sample' is invalid for "
                        + "'--pricing <pricing>'. Please provide one of 'enumerate', 'branch-and-bound' or 'auto'."),
            "\(unknown.stderr)")
        let bad = Self.temporary("teacher-search-bad.json")
        try Self.edit(model, to: bad) { object in
            var atoms = object["atoms"] as! [[String: Any]]
            atoms[0]["amplitude"] = (atoms[0]["amplitude"] as! Double) * 1.02
            object["atoms"] = atoms
        }
        let perturbed = try runRelulp(["certify", bad, Self.teacher, "--pricing", "branch-and-bound"])
        #expect(
            perturbed.status != 0 && perturbed.stdout.contains("verdict: not certified optimal"), "\(perturbed.stdout)")
    }

    @Test func plotWritesParsableSVG() throws {
        let model = Self.temporary("teacher-plot.json")
        let solved = try runRelulp(["solve", Self.teacher, "--lambda", "0.05", "--output", model, "--quiet"])
        try #require(solved.status == 0, "solve failed: \(solved.stderr)")
        let atoms =
            try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])[
                "atoms"] as? [Any]
        for kind in ["certificate", "network"] {
            let svg = Self.temporary("teacher-\(kind).svg")
            let result = try runRelulp(["plot", model, Self.teacher, "--output", svg, "--kind", kind])
            #expect(result.status == 0, "\(result.stderr)")
            let text = try String(contentsOfFile: svg, encoding: .utf8)
            let census = try #require(SVGCensus.parse(text))
            #expect(census.root == "svg")
            if kind == "certificate" { #expect(census.counts["circle.dirac", default: 0] == atoms?.count) }
        }
    }
}
