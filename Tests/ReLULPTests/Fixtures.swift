import Foundation
import ReLULP

/// Paths and small deterministic data generators shared by the tests.
enum Fixtures {
    /// The package root (the folder holding Package.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `Tests/Fixtures`: the example data and its certified optima, kept in the repository (Tests/Fixtures/README.md).
    static let directory = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// A missing fixture file: the test that needs it fails with this message instead of crashing the test process.
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "test fixture \(path) is missing (the repository's Tests/Fixtures folder is incomplete)"
        }
    }

    /// The path of a fixture file in `Tests/Fixtures`, or a `Missing` error.
    static func path(_ name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return path
    }

    /// A fixture CSV file loaded as a data set.
    static func dataset(_ name: String) throws -> Dataset {
        try Dataset.load(csv: path(name))
    }

    /// The library's deterministic generator: the same seed gives the same test data everywhere.
    typealias Random = SplitMix64

    /// Labels from a random teacher network with `neurons` units on uniform inputs in [−1, 1]^m, plus noise.
    static func teacher(n: Int, m: Int, neurons: Int, noise: Double, seed: UInt64) throws -> Dataset {
        var rng = Random(seed: seed)
        let teacher = (0..<neurons).map { i in
            (amplitude: (i % 2 == 0 ? 1.0 : -1.0) * rng.uniform(0.5, 2), w: rng.unitVector(m + 1))
        }
        var xs: [[Double]] = []
        var ys: [Double] = []
        for _ in 0..<n {
            let x = (0..<m).map { _ in rng.uniform(-1, 1) }
            let lifted = x + [1]
            var y = 0.0
            for t in teacher { y += t.amplitude * max(0, zip(t.w, lifted).reduce(0) { $0 + $1.0 * $1.1 }) }
            xs.append(x)
            ys.append(y + noise * rng.gaussian())
        }
        return try Dataset(featureNames: (1...m).map { "x\($0)" }, targetName: "y", features: xs, labels: ys)
    }

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
