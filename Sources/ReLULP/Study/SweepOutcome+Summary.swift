import Foundation

extension SweepOutcome {
    /// The summary `relulp sweep` and `relulp sweep merge` print: the noise-free limit, the solves per noise
    /// level, the fitted slopes against λ, the time (when `seconds` is given) and the files written to `folder`.
    public func summary(folder: String, seconds: Double?) -> String {
        let summary = SweepSummary(outcome: self)
        var lines = [
            "noise-free limit   \(limit.diracs) Diracs, total variation "
                + "\(String(format: "%.10g", limit.totalVariation)), \(limit.status)"
        ]
        let optimal = rows.filter { $0.status == "optimal" }.count
        lines.append("solves             \(rows.count) (\(optimal) certified optimal)")
        let level = settings.noiseOverLambda == true ? "c = noise/λ" : "noise"
        for c in summary.counts where c.solves > 0 {
            lines.append(
                String(
                    format: "\(level) %-10g  %d solves, %d with the limit's Dirac count, Diracs %@..%@",
                    c.noise, c.solves, c.sameDiracs,
                    c.diracsMin.map { "\($0)" } ?? "-", c.diracsMax.map { "\($0)" } ?? "-"))
        }
        for s in summary.slopes where s.against == "lambda" && s.points + s.exact > 0 {
            lines.append(
                String(
                    format: "slope vs λ, \(level) %-8g %-9@ %@ (%d points, %d exact)", s.at, s.quantity,
                    s.slope.map { String(format: "%.3f", $0) } ?? "-", s.points, s.exact))
        }
        if let seconds { lines.append(String(format: "time               %.1f s", seconds)) }
        lines.append("outputs            \(folder)/{runs.csv, summary.json, diracs.svg, errors.svg}")
        return lines.joined(separator: "\n")
    }
}
