/// What `relulp certify` checks of a sparsest model (`"loss": "sparsest"`), which has no dual vector: the network
/// fits every label, its count is its number of neurons, and the recorded bound does not exceed it. The count's
/// minimality is the support cuts' proof at solve time (docs/mathematics.md §10), not re-checked here.
public struct SparsestCheck: Sendable {
    /// `max_j |f(x_j) − y_j|` of the model's network on the data.
    public var misfit: Double
    /// The misfit allowed: `fitTolerance · max(1, max_j |y_j|)`, as `solve --sparsest` accepts.
    public var allowedMisfit: Double
    public var neurons: Int
    /// The model's `objective` (its count) and `lowerBound` (the proven count).
    public var recordedCount: Double
    public var recordedBound: Double
    public var status: ModelFile.Status

    /// Checks `model` on the data's lifted points `points` and labels.
    public init(model: ModelFile, points: LiftedData, labels: [Double], fitTolerance: Double = 1e-9) {
        let outputs = model.measure.values(at: points)
        misfit = zip(outputs, labels).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
        allowedMisfit = fitTolerance * max(1, labels.reduce(0.0) { max($0, abs($1)) })
        neurons = model.atoms.count
        recordedCount = model.objective
        recordedBound = model.lowerBound
        status = model.status
    }

    public var fits: Bool { misfit <= allowedMisfit }
    public var countMatches: Bool { recordedCount == Double(neurons) }
    public var boundBelowCount: Bool { recordedBound <= recordedCount && recordedBound >= 0 }
    /// Status `optimal` must come with the bound equal to the count.
    public var statusMatches: Bool { status != .trained(.optimal) || recordedBound == recordedCount }
    /// Everything checkable holds (exit 0 of `certify`).
    public var passes: Bool { fits && countMatches && boundBelowCount && statusMatches }

    /// The report for `certify`: one line per check, then what the proof is.
    public func text() -> String {
        func mark(_ ok: Bool) -> String { ok ? "ok  " : "FAIL" }
        let lines = [
            "sparsest model (no dual certificate: its minimality is proven by the support cuts of `solve --sparsest`,"
                + " not re-checked here)",
            "\(mark(fits)) fit: max |f(x_j) - y_j| = \(misfit) (allowed \(allowedMisfit))",
            "\(mark(countMatches)) count: objective \(recordedCount), the network has \(neurons) neurons",
            "\(mark(boundBelowCount)) bound: lowerBound \(recordedBound) is in [0, count]",
            "\(mark(statusMatches)) status: \(status)"
                + (status == .trained(.optimal) ? " (needs lowerBound = count)" : " (the count is not proven)"),
            passes
                ? (status == .trained(.optimal)
                    ? "verdict: consistent; minimality rests on the solve's proof"
                    : "verdict: consistent upper bound \(neurons), proven at least \(recordedBound)")
                : "verdict: NOT consistent",
        ]
        return lines.joined(separator: "\n")
    }
}
