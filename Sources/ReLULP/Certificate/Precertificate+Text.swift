import Foundation

extension Precertificate {
    /// The report `relulp precertificate` prints.
    public func text() -> String {
        var lines = [
            String(
                format: "noise-free limit   min ‖μ‖_TV s.t. f(x_j) = y_j: %.12g (lower bound %.12g)",
                interpolationObjective, interpolationLowerBound),
            String(
                format: "p₀ (least norm)    ‖p₀‖ = %.12g (≥ %.12g over the face), KKT residual %.2g, dual gap %.3g, "
                    + "%d rounds, %d cuts", norm, normLowerBound, kktResidual, dualGap, rounds, cuts),
            String(
                format: "support of η₀      %d region side(s) with |η₀| ≥ 1 − tol, %d without a Dirac; %d regions",
                supportSides, unoccupiedSupportSides, regions),
            String(format: "margin             %.9g (largest |η₀| on a region side without a Dirac", margin)
                + (marginRegion.map { ": region \($0) \(marginSignVector ?? ""), side \(marginSide ?? 0))" } ?? ")"),
            "Diracs             \(diracs.count) (activation rank \(activationRank))",
        ]
        for (i, dirac) in diracs.enumerated() {
            let weights = dirac.weights.map { String(format: "%.6g", $0) }.joined(separator: ", ")
            lines.append(
                String(format: "  [%d] a = %+.9g at (%@), η₀ = %+.9g, ", i, dirac.amplitude, weights, dirac.eta)
                    + (dirac.interior ? "inside region " : "on a boundary, regions ")
                    + dirac.regions.map { String($0) }.joined(separator: ","))
            lines.append("      \(dirac.behaviour)")
        }
        lines.append("verdict            \(verdict)")
        lines.append("predicted regime   not computed: the paper's constants (λ₀, c) are not available to relulp")
        return lines.joined(separator: "\n")
    }

    /// The report as pretty-printed JSON (sorted keys; `nonDegenerate`, `margin`, `diracs` among them).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
