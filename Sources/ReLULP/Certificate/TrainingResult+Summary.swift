import Foundation

/// The texts a trained result is shown as, next to `CertificateReport.text()`: the command line only prints
/// them, and scripts and the Python wrapper parse them, so their layout is kept stable.
extension TrainingResult {
    /// The summary of `relulp solve`: one `name  value` line each for the status, the bounds and gap, the
    /// network and the run; `modelFile` is the file the model was written to, if any.
    public func summary(modelFile: String? = nil) -> String {
        let note = status == .upperBound ? " (vertex LP: an upper bound, not the optimum)" : ""
        var lines = [
            "status            \(status)\(note)",
            String(format: "objective         %.15g", objective),
            String(format: "lower bound       %.15g", lowerBound),
            String(format: "relative gap      %.3e", gap),
            "bound source      \(boundSource.rawValue)"
                + (boundPoints.map { " (\($0) of \(certificate.dual.count) points)" } ?? ""),
            String(format: "loss              %.15g", loss) + " (\(lossFunction))",
            String(format: "total variation   %.15g", totalVariation),
            "diracs            \(measure.atoms.count) (\(measure.atoms.filter { $0.amplitude > 0 }.count) positive)",
            "regions           \(regions > 0 ? "\(regions)" : "not enumerated (branch-and-bound pricing)")",
            String(format: "max |eta|         %.12f", certificate.maxAbsEta),
            "rounds            \(rounds) (\(columns) columns, \(masterEntries) matrix entries, \(backend), "
                + "\(master) master)",
            String(format: "time              %.3f s", seconds),
        ]
        if !warmStart.isEmpty {
            // The internal path's λ (docs/mathematics.md §4a): its rounds and seconds are in the lines above.
            lines.append(
                "warm start        from λ = " + warmStart.map { String(format: "%.3g", $0) }.joined(separator: ", "))
        }
        if let intercept { lines.append(String(format: "intercept         %.15g", intercept)) }
        if let classes { lines.append("classes           \(classes[0]) → −1, \(classes[1]) → +1") }
        if let modelFile { lines.append("model             \(modelFile)") }
        return lines.joined(separator: "\n")
    }

    /// The header of the CSV that `relulp path` prints, one `pathRow` per λ below it.
    public static let pathHeader = "lambda,status,objective,lower_bound,gap,diracs,model"

    /// This result's line of the `relulp path` CSV, naming the model file it was written to.
    public func pathRow(modelFile: String) -> String {
        "\(lambda),\(status),\(objective),\(lowerBound),\(gap),\(measure.atoms.count),\(modelFile)"
    }
}
