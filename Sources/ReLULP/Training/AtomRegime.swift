import Foundation

/// How many atoms (P)'s solution is expected to have, judged by λ against λ_max, the smallest λ at which the zero
/// network is optimal (docs/mathematics.md §4, "Few atoms or many"). The `auto` choices depend on it: with many
/// atoms the enumerated scan and the primal master with column aging win, with few the search and, from 1000
/// points, the dual master (benchmarks/RESULTS.md, "Small λ at 1000 points").
public enum AtomRegime: String, Sendable {
    case few
    case many

    /// λ_max/λ from which the solution is expected to have many atoms: plane n = 1000 took the search and the dual
    /// master at λ_max/λ ≈ 100, and was faster enumerated from ≈ 1000.
    public static let manyAtomsRatio = 300.0

    /// The regime of `options` on `points` and `labels`: many atoms for the interpolation (λ → 0) and for λ at
    /// most λ_max/`manyAtomsRatio`, with λ_max estimated by `lambdaMaxEstimate` (a lower estimate: a borderline λ
    /// counts as few atoms); few atoms for labels the loss refuses (its own error comes later).
    public init(points: LiftedData, labels: [Double], options: TrainingOptions) {
        self.init(
            problem: options.problem,
            lambdaMax: Self.lambdaMaxEstimate(points: points, labels: labels, options: options))
    }

    /// The regime of `problem` given λ_max (or its estimate): many atoms for the interpolation and for
    /// λ ≤ λ_max/`manyAtomsRatio`.
    public init(problem: Objective, lambdaMax: Double) {
        guard case .regularized(let lambda) = problem else {
            self = .many
            return
        }
        self = lambdaMax >= Self.manyAtomsRatio * lambda ? .many : .few
    }

    /// A lower estimate of λ_max = max over unit w of |Σ_j g_j σ(⟨w, x̃_j⟩)|, g the loss's gradient at the zero
    /// network (at the best constant with an intercept: the weighted median for L1, the mean otherwise), over up to
    /// `sampledDirections` directions: strided data points and fixed pseudo-random ones. About
    /// 2·`sampledDirections`·n·d operations, so it decides before the regions are enumerated. 0 for the
    /// interpolation, which has no λ.
    public static func lambdaMaxEstimate(points: LiftedData, labels: [Double], options: TrainingOptions) -> Double {
        let n = points.count
        guard n > 0, options.problem != .interpolation, let targets = try? options.loss.targets(labels: labels).targets,
            targets.count == n
        else {
            return 0
        }
        let v = Loss.normalisedWeights(options.sampleWeights) ?? Array(repeating: 1, count: n)
        let l1 = options.loss == .l1
        let mean = zip(targets, v).map(*).reduce(0, +) / Double(n)
        let centre = options.intercept ? (l1 ? weightedMedian(targets, v) : mean) : 0
        let g = (0..<n).map { j in v[j] * (l1 ? sign(targets[j] - centre) : targets[j] - centre) / Double(n) }
        var rng = SplitMix64(seed: 1)
        let stride = max(1, n / sampledDirections)
        let directions =
            Swift.stride(from: 0, to: n, by: stride).map { Array(points[point: $0]) }
            + (0..<sampledDirections).map { _ in rng.unitVector(points.dimension) }
        return directions.reduce(0.0) { best, w in
            var sum = 0.0
            for j in 0..<n {
                let z = zip(w, points[point: j]).reduce(0) { $0 + $1.0 * $1.1 }
                if z > 0 { sum += g[j] * z }
            }
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? max(best, abs(sum) / norm) : best
        }
    }

    /// Data points and random directions each that `lambdaMaxEstimate` samples (at most).
    static let sampledDirections = 256

    private static func sign(_ x: Double) -> Double { x > 0 ? 1 : x < 0 ? -1 : 0 }

    private static func weightedMedian(_ values: [Double], _ weights: [Double]) -> Double {
        let order = values.indices.sorted { values[$0] < values[$1] }
        let half = weights.reduce(0, +) / 2
        var total = 0.0
        for j in order {
            total += weights[j]
            if total >= half { return values[j] }
        }
        return values[order.last ?? 0]
    }
}
