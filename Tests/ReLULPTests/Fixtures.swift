import Foundation
import ReLULP
import TestSupport

extension Fixtures {
    struct Expected: Decodable {
        var file: String
        var bias: Bool
        var lam: Double
        var regions: Int
        var optimum_upper: Double
        var optimum_lower: Double
    }

    static func expected() throws -> [Expected] {
        try JSONDecoder().decode([Expected].self, from: Data(contentsOf: URL(fileURLWithPath: path("expected.json"))))
    }
}

/// `Σ_j p_j σ(⟨w, x̃_j⟩)` straight from the definition (λ·η(w)), independent of the region machinery.
func certificateValue(dual p: [Double], points: LiftedData, at w: [Double]) -> Double {
    var s = 0.0
    for j in 0..<points.count {
        var t = 0.0
        for (a, b) in zip(w, points[point: j]) { t += a * b }
        s += p[j] * max(t, 0)
    }
    return s
}

/// `(1/n) Σ |y − f| + λ Σ |a|` straight from the atoms.
func objective(atoms: [DiracAtom], points: LiftedData, labels: [Double], lambda: Double) -> Double {
    var loss = 0.0
    for j in 0..<points.count {
        var f = 0.0
        for atom in atoms {
            var t = 0.0
            for (a, b) in zip(atom.weights, points[point: j]) { t += a * b }
            f += atom.amplitude * max(t, 0)
        }
        loss += abs(labels[j] - f)
    }
    return loss / Double(points.count) + lambda * atoms.reduce(0) { $0 + abs($1.amplitude) }
}
