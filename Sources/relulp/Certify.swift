import ArgumentParser
import Foundation
import ReLULP

/// `relulp certify`: re-check a trained model against its data, exactly, from its dual vector.
struct Certify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a trained model's optimality certificate against the data, exactly over the whole sphere.",
        discussion: """
            Rebuilds the dual certificate η(w) = (1/λ) Σ_j p_j σ(⟨w, x̃_j⟩) from the model's dual vector p (clamped to \
            the box of the model's loss: |p_j| ≤ 1/n for l1, p_j y_j ∈ [0, 1/n] for hinge, free for squared) and takes \
            its maximum over the whole sphere, never by sampling: --pricing enumerate scans every dual region; \
            --pricing branch-and-bound searches over sign splits without storing a region (its leaves and pruned nodes \
            cover the sphere); auto enumerates up to \(PricingMode.enumerationLimit) regions (general-position estimate) \
            and searches above. The search refines only where it matters: max |η| is exact when it exceeds 1 − 10⁻⁶ \
            (the margin tolerance), otherwise it is reported as an upper bound (which gives the same lower bound), and \
            region indices are not reported (sign vectors are). Reports:

              optimality  the objective U recomputed from the atoms and the data (not copied from the model file), the \
            lower bound (l1, hinge: L = min(1, λ/M)·Σ p_j y_j with M = max|Σ p_j σ|; squared: the best \
            t·yᵀp − t²(n/2)‖p‖² over 0 ≤ t ≤ λ/M; a noise-free-limit model, λ = 0: U its total variation if it fits \
            every label, L = Σ p_j y_j / M), the gap, and max |η| with the region attaining it (index with enumeration, \
            sign vector and point);
              support     for every Dirac: its sign vector, its dual region(s) (enumeration only), η there, and the \
            distance to the certificate's extreme point in that region (with the search: in the nearest of the cells \
            whose closure holds the Dirac, by projection onto their cones);
              sparsity    the number of Diracs against n, the number of regions and the general-position count;
              uniqueness  a sufficient condition: the support's activation vectors are linearly independent (rank, \
            smallest singular value) and every region side without a Dirac keeps |η| below 1 (the margin; with the \
            search, the largest region sides are kept until one without a Dirac is among them, so the margin is exact \
            when above 1 − 10⁻⁶ and otherwise reported as a bound).

            Exits non-zero when the model is not certified optimal for the data: (U − L) > max(tolerance · |U|, 1e-10 · U₀), U₀ the zero network's objective.

            A sparsest model (solve --sparsest) has no dual vector: certify checks that its network fits every label             (max misfit ≤ 1e-9 · max(1, max |y|)), that its count is its number of neurons and that its lower bound             lies in [0, count] (equal to it when optimal), and exits 0 when all hold; the minimality itself is the             solve's proof by support cuts, not re-checked.
            """)

    @Argument(help: "A model file written by `relulp solve --output`.")
    var model: String

    @Argument(help: "The CSV file the model was trained on (the model's feature columns and its label column).")
    var data: String

    @Option(help: "Also write the full report as JSON to this file ('-' for stdout instead of the text report).")
    var json: String?

    @Option(
        help: """
            Relative gap for 'certified optimal' (never the model file's tolerance; give the --tolerance the model \
            was solved with if it was not the default).
            """)
    var tolerance: Double = CertificateCheckOptions.defaultTolerance

    @Option(
        name: .customLong("max-regions"),
        help: """
            Refuse to enumerate data whose dual-region estimate exceeds this (--pricing enumerate; auto then searches \
            instead).
            """)
    var maxRegions: Int = Arrangement.defaultMaxRegions

    @OptionGroup var pricingOptions: PricingOptions

    @OptionGroup var inputLimit: InputLimitOption

    @Flag(name: .shortAndLong, help: "No progress notes on stderr.")
    var quiet = false

    func validate() throws {
        try requirePositive(maxRegions, option: "--max-regions")
        if !(tolerance > 0 && tolerance < 1) {
            throw ValidationError("--tolerance must lie in (0, 1), got \(tolerance)")
        }
    }

    func run() throws {
        try reportingFailures(body)
    }

    private func body() throws {
        let log = Log(quiet: quiet)
        if let json, json != "-" {
            _ = try cli { () throws(OutputFileError) in
                try OutputFile.check(json, notSameAs: [(self.model, "the model file"), (data, "the data file")])
            }
        }
        let model = try cli { () throws(ModelFileError) in
            try ModelFile.load(self.model, maxBytes: inputLimit.maxInputBytes)
        }
        let pricing = pricingOptions.pricing
        let dataset = try loadModelData(model: model, dataPath: data, log: log, maxBytes: inputLimit.maxInputBytes)
        let mismatch = dataMismatch(model: model, data: dataset, dataPath: data)
        if model.sparsest { return try certifySparsest(model, dataset) }
        let started = Date()
        var options = CertificateCheckOptions(tolerance: tolerance)
        options.maxRegions = maxRegions
        options.pricing = pricing
        options.maxSearchRegions = pricingOptions.maxSearchRegions
        options.searchProgress = { log.line($0) }
        let report = try cli { () throws(CertificateError) in
            try CertificateReport.analyze(
                model: model, data: dataset, dataPath: data, options: options,
                progress: log.enumeration)
        }
        let seconds = Date().timeIntervalSince(started)
        if let regions = report.sparsity.regions {
            log.line(String(format: "relulp certify: %d dual regions checked in %.2f s", regions, seconds))
        } else {
            log.line(
                String(
                    format: "relulp certify: branch-and-bound search, %d nodes, %d regions solved, in %.2f s",
                    report.searchNodes ?? 0, report.searchLeaves ?? 0, seconds))
        }
        try printReport(text: report.text, json: report.json, to: json)
        if !report.certifiedOptimal {
            throw CLIFailure(message: report.optimalityVerdict + (mismatch.map { "; " + $0 } ?? ""))
        }
    }
}

/// Loads the data a model belongs to: its label column must be there, its feature columns are matched by name
/// (in any order; a missing one is an error naming it), and columns the model does not use are noted and not
/// read (they need not be numeric).
func loadModelData(model: ModelFile, dataPath: String, log: Log, maxBytes: Int) throws -> Dataset {
    let bytes = try cli { () throws(DataError) in try InputFile.read(dataPath, maxBytes: maxBytes) }
    let columns = Dataset.columnNames(csv: bytes)
    let dataset: Dataset
    do {
        dataset = try Dataset.parse(
            csv: bytes, file: dataPath, target: model.target, features: model.features.filter(columns.contains),
            weights: model.weightColumn)
    } catch {
        if error.message.hasPrefix("no target column") {
            let reason = error.message.split(separator: ";").first ?? ""
            throw CLIFailure(
                message: "\(dataPath): no label column '\(model.target)', which the model predicts; "
                    + "the data must hold the labels the model was trained on (\(reason))")
        }
        throw CLIFailure(message: "\(error)")
    }
    let missing = model.features.filter { !dataset.featureNames.contains($0) }
    if !missing.isEmpty {
        let names = missing.map { "'\($0)'" }.joined(separator: ", ")
        let plural = missing.count == 1 ? "" : "s"
        throw CLIFailure(
            message: "\(dataPath): the model needs feature column\(plural) \(names), "
                + "which the data lacks (it has: \(columns.filter { $0 != model.target }.joined(separator: ", "))); "
                + "model and data do not belong together")
    }
    let unused = columns.filter { $0 != model.target && $0 != model.weightColumn && !model.features.contains($0) }
    if !unused.isEmpty {
        log.line(
            "relulp: note: \(dataPath): column\(unused.count == 1 ? "" : "s") \(unused.joined(separator: ", ")) "
                + "not used by the model (features: \(model.features.joined(separator: ", ")))")
    }
    guard dataset.count == model.n else {
        throw CLIFailure(
            message: "\(dataPath): \(dataset.count) data points, but the model was trained on "
                + "n = \(model.n); model and data do not belong together")
    }
    return dataset
}

/// What differs between `data` and the data `model` was trained on, by the digests in the model file (nil when
/// they agree or the file has none), also written to stderr as a warning: the certificate's dual vector has one
/// entry per row, so other rows, or the same rows in another order, do not match it.
func dataMismatch(model: ModelFile, data: Dataset, dataPath: String) -> String? {
    guard let stored = model.dataDigest else { return nil }
    let note: String
    switch DataDigest(data).compare(with: stored) {
    case .same: return nil
    case .reordered:
        note =
            "\(dataPath) holds the rows the model was trained on in another order; the certificate's dual vector "
            + "has one entry per row, in the training order: give the rows in that order"
    case .changed:
        note =
            "\(dataPath) is not the data the model was trained on (same n = \(data.count), other numbers in the "
            + "model's columns: the data digests differ)"
    }
    writeStandardError("relulp: warning: \(note)\n")
    return note
}

extension Certify {
    /// A sparsest model: the checks of `SparsestCheck` (fit, count, bound), text or JSON; exit 0 when they hold.
    fileprivate func certifySparsest(_ model: ModelFile, _ dataset: Dataset) throws {
        let points = try cli { () throws(ModelFileError) in try model.liftedPoints(of: dataset, dataPath: data) }
        let check = SparsestCheck(model: model, points: points, labels: dataset.labels)
        let object =
            "{\"sparsest\": true, \"fits\": \(check.fits), \"misfit\": \(JSONText.number(check.misfit)), "
            + "\"allowedMisfit\": \(JSONText.number(check.allowedMisfit)), \"neurons\": \(check.neurons), "
            + "\"objective\": \(JSONText.number(check.recordedCount)), "
            + "\"lowerBound\": \(JSONText.number(check.recordedBound)), \"status\": \(JSONText.quote(check.status.rawValue)), "
            + "\"consistent\": \(check.passes), \"minimalityProof\": \"support cuts at solve time, not re-checked\"}"
        try printReport(text: check.text, json: { Data(object.utf8) }, to: json)
        if !check.passes { throw CLIFailure(message: "the sparsest model does not hold for the data (see above)") }
    }
}
