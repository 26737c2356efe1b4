import ArgumentParser
import Foundation
import ReLULP

/// `solve --sparsest`: the interpolant with the fewest neurons, its count proven by support cuts (or `--heuristic`).
extension Solve {
    /// Refuses what does not go with --sparsest (it is an interpolation: no λ, no other loss or method).
    func validateSparsest() throws {
        guard sparsestFlags.sparsest else { return }
        if lambda != nil || interpolate {
            throw ValidationError("--sparsest interpolates (λ = 0): it takes neither --lambda nor --interpolate")
        }
        if solver.loss != .l1 { throw ValidationError("--sparsest fits every label exactly; it takes no --loss") }
    }

    /// Runs the search, writes the model and prints the summary; exits non-zero unless the count is proven
    /// (or the heuristic alone was asked for).
    func runSparsest(path: String) throws {
        let dataset = try loadDataset(path, target: target, features: features, maxBytes: inputLimit.maxInputBytes)
        if let output {
            _ = try cli { () throws(OutputFileError) in
                try OutputFile.check(output, notSameAs: [(path, "the data file")])
            }
        }
        let log = Log(quiet: quiet)
        var options = SparsestOptions()
        options.backend = sparsestFlags.mipBackend
        options.lpBackend = solver.backend
        options.heuristicOnly = sparsestFlags.heuristic
        options.timeLimit = solver.timeLimit
        options.watchesSignals = true
        options.maxRegions = sparsestFlags.maxMIPRegions
        options.maxHeuristicRegions = solver.maxRegions
        options.progress = { log.line($0) }
        log.line(
            "relulp: \(path): n = \(dataset.count), m = \(dataset.featureCount), bias = \(!noBias), sparsest "
                + (sparsestFlags.heuristic ? "(heuristic)" : "interpolant, MIP backend \(sparsestFlags.mipBackend)"))
        let result = try cli(file: path) { () throws(SparsestError) in
            try SparsestInterpolant.solve(
                points: dataset.lifted(bias: !noBias), labels: dataset.labels, options: options)
        }
        let model = ModelFile(sparsest: result, data: dataset, bias: !noBias, tolerance: solver.tolerance)
        if let output { try cli { () throws(ModelFileError) in try model.write(to: output) } }
        print(Self.sparsestSummary(result, modelFile: output))
        if result.status == .timeLimit || result.status == .interrupted {
            throw CLIFailure(
                message: "not proven: status \(result.status), \(result.count) neurons, at least \(result.lowerBound) "
                    + "proven")
        }
    }

    static func sparsestSummary(_ r: SparsestResult, modelFile: String?) -> String {
        var lines = [
            "status:            \(r.status == .heuristic ? "upper-bound (heuristic, no proof)" : r.status.rawValue)",
            "neurons:           \(r.count)",
            "proven at least:   \(r.lowerBound)",
            "least-TV neurons:  \(r.leastTVCount)",
            "reweighted l1:     \(r.reweightedCount)",
            String(format: "total variation:   %.12g", r.measure.totalVariation),
            String(format: "max misfit:        %.3e", r.misfit),
            "regions:           \(r.regions) (\(r.columns) rays with an output), \(r.nodes) MIP nodes, backend \(r.backend)",
            String(format: "time:              %.2f s", r.seconds),
        ]
        if let proof = r.proof {
            lines.append(
                "proof:             support cuts, no bound on the weights assumed (\(proof.checkedCuts) Farkas cuts "
                    + "checked, \(proof.lpVerdictCuts) cuts from LP answers, \(proof.masterSolves) master MIPs, "
                    + String(format: "%.1f pairs a cut)", proof.meanCutPairs))
        }
        if let bound = r.outputBound, let within = r.boundWithinM {
            lines.append(
                String(
                    format: "big-M MIP:         M = %.6g, its bound %d holds only within M (finds the network, ", bound,
                    within)
                    + "proves nothing)")
        }
        if let modelFile { lines.append("model:             \(modelFile)") }
        return lines.joined(separator: "\n")
    }
}
