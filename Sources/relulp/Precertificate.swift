import ArgumentParser
import Foundation
import ReLULP

/// `relulp precertificate`: the minimal-norm certificate η₀ of the noise-free problem and its non-degeneracy.
struct PrecertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precertificate",
        abstract: "The minimal-norm certificate η₀ of the noise-free limit and whether it is non-degenerate.",
        discussion: """
            Solves the noise-free limit of the labels (min ‖μ‖_TV subject to f_μ(x_j) = y_j, certified as with \
            `solve --interpolate`), then p₀, its optimal dual of least Euclidean norm, by cutting planes (each QP a \
            least-distance program solved by NNLS, KKT-checked) priced over every dual region (so max |η₀| ≤ 1 holds over the whole sphere, not on samples), with \
            η₀(w) = Σ_j p₀_j σ(⟨w, x̃_j⟩). Reports the support of η₀ (region sides where |η₀| = 1), each Dirac of \
            the noise-free solution (its region, inside or on a boundary, and η₀ there), the margin (largest |η₀| \
            on a region side without a Dirac) and the verdict of the non-degeneracy condition of \
            docs/mathematics.md §9: |η₀| < 1 off the Diracs' regions, every Dirac a maximiser of its region with \
            every multiplier of the hyperplanes through it positive, and independent activation vectors. \
            Needs the enumerated regions (--max-regions). Exits 0 whether degenerate or not; non-zero when p₀ \
            could not be computed.
            """)

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Also write the report as JSON to this file ('-' for stdout instead of the text report).")
    var json: String?

    @Option(
        help: """
            Also write the noise-free limit as a model file whose certificate dual is p₀ (`relulp plot MODEL DATA \
            --kind certificate` then draws η₀); its bounds are what p₀ proves, so its status is optimal only when \
            p₀'s dual gap is within 1e-9.
            """)
    var model: String?

    @Option(help: "LP backend of the noise-free limit (clp or glpk; the least-norm QP is solved in Swift).")
    var backend: LPBackend = .clp

    @Option(
        name: .customLong("max-regions"),
        help: "Refuse data whose dual-region estimate exceeds this (the regions are enumerated).")
    var maxRegions: Int = Arrangement.defaultMaxRegions

    @Flag(name: .shortAndLong, help: "No progress notes on stderr.")
    var quiet = false

    func validate() throws {
        try requirePositive(maxRegions, option: "--max-regions")
    }

    func run() throws {
        try reportingFailures(body)
    }

    private func body() throws {
        let log = Log(quiet: quiet)
        let path = dataOptions.data
        if let json, json != "-" {
            _ = try cli { () throws(OutputFileError) in try OutputFile.check(json, notSameAs: [(path, "the data file")])
            }
        }
        let dataset = try dataOptions.load()
        let points = dataset.lifted(bias: dataOptions.bias)
        let pricer = try cli(file: path) { () throws(ArrangementError) in
            EnumeratedPricer(
                arrangement: try Arrangement.enumerate(points, maxRegions: maxRegions, progress: log.enumeration))
        }
        var options = PrecertificateOptions()
        options.backend = backend
        options.progress = { log.line($0) }
        let (report, limit) = try cli { () throws(PrecertificateError) in
            try Precertificate.computeWithLimit(
                points: points, labels: dataset.labels, pricer: pricer, options: options)
        }
        if let model {
            let file = ModelFile(result: limit, data: dataset, bias: dataOptions.bias, tolerance: options.tolerance)
            try cli { () throws(ModelFileError) in try file.write(to: model) }
        }
        try printReport(text: report.text, json: report.json, to: json)
    }
}
