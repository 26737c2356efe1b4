import Foundation

/// How the generator draws the inputs.
public enum InputDistribution: String, Sendable, CaseIterable, Codable {
    /// Independent coordinates uniform in [−1, 1].
    case uniform
    /// Independent standard normal coordinates.
    case gaussian
    /// A regular grid on [−1, 1]^m (`ceil(n^{1/m})` values per axis), `n` of its nodes evenly subsampled.
    case grid
}

/// Synthetic data from a sparse teacher network: `k` Diracs with unit weights in the lifted space `(x, 1)`,
/// amplitudes of alternating sign with magnitudes uniform in [0.5, 2], and Gaussian label noise.
///
/// Every teacher neuron's kink `{x : ⟨w, (x, 1)⟩ = 0}` crosses the data: its direction is random and its
/// offset puts the kink between two data points at a random quantile in [0.2, 0.8] of their projections, so
/// at least a fifth of the points lie on each side. Deterministic in `seed` (SplitMix64).
public struct TeacherGenerator: Sendable, Equatable {
    public var count: Int
    public var features: Int
    public var neurons: Int
    public var noise: Double
    public var seed: UInt64
    public var inputs: InputDistribution

    public init(
        count: Int, features: Int, neurons: Int, noise: Double, seed: UInt64,
        inputs: InputDistribution = .uniform
    ) throws(StudyError) {
        guard count >= 2 else { throw StudyError("n must be at least 2, got \(count)") }
        guard features >= 1 else { throw StudyError("the number of features must be at least 1, got \(features)") }
        guard neurons >= 1 else {
            throw StudyError("the number of teacher neurons k must be at least 1, got \(neurons)")
        }
        guard noise.isFinite, noise >= 0 else {
            throw StudyError("the noise level must be a finite number ≥ 0, got \(noise)")
        }
        try Self.checkSize(count: count, features: features, neurons: neurons)
        self.count = count
        self.features = features
        self.neurons = neurons
        self.noise = noise
        self.seed = seed
        self.inputs = inputs
    }

    /// The generated study data.
    /// The most values generated data and teacher may hold together, `(n + k)·(m + 1)`, and the most projections
    /// the kinks are placed by, `k·n`: 10⁷, about 200 MB of CSV (which the readers' 1 GiB input limit still reads
    /// back) and a few seconds of work. `generate --n 100000000` once ran out of memory (issue 26, item 11).
    public static let maxValues = 10_000_000

    /// Refuses sizes beyond `maxValues` before anything is allocated. Each factor is at most `maxValues` once the
    /// first test passes, so the products cannot overflow.
    static func checkSize(count n: Int, features m: Int, neurons k: Int) throws(StudyError) {
        guard max(n, k, m) < maxValues, (n + k) * (m + 1) <= maxValues else {
            throw StudyError(
                "n = \(n) points and k = \(k) neurons with m = \(m) features are (n + k)·(m + 1) values, more than "
                    + "the limit of \(maxValues); generate fewer points, neurons or features")
        }
        guard k * n <= maxValues else {
            throw StudyError(
                "k = \(k) neurons over n = \(n) points need k·n projections, more than the limit of \(maxValues); "
                    + "generate fewer points or neurons")
        }
    }

    public struct Output: Sendable {
        /// Features and noisy labels (column names x1..xm and y).
        public var data: Dataset
        /// The teacher's outputs at the inputs (the noise-free labels).
        public var cleanLabels: [Double]
        /// The teacher measure, in the lifted space with bias.
        public var teacher: DiracMeasure
    }

    public func generate() throws(StudyError) -> Output {
        var rng = SplitMix64(seed: seed)
        let m = features
        let xs = drawInputs(&rng)
        var atoms: [DiracAtom] = []
        for i in 0..<neurons {
            let u = rng.unitVector(m)
            let projections = xs.map { x in zip(u, x).reduce(0) { $0 + $1.0 * $1.1 } }.sorted()
            let q = rng.uniform(0.2, 0.8)
            let r = min(max(Int(q * Double(count - 1)), 0), count - 2)
            // The kink halfway between two consecutive projections, never on a data point (ties: nudge).
            var c = 0.5 * (projections[r] + projections[r + 1])
            if projections[r] == projections[r + 1] {
                let next = projections.first { $0 > projections[r] } ?? projections[r] + 1e-3
                c = 0.5 * (projections[r] + next)
            }
            var w = u + [-c]
            let s = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            w = w.map { $0 / s }
            let magnitude = rng.uniform(0.5, 2)
            atoms.append(DiracAtom(amplitude: (i % 2 == 0 ? 1 : -1) * magnitude, weights: w))
        }
        let teacher = DiracMeasure(dimension: m + 1, atoms: atoms)
        let clean = xs.map { teacher.value(at: ($0 + [1])[...]) }
        let labels = clean.map { $0 + noise * rng.gaussian() }
        let data: Dataset
        do {
            data = try Dataset(featureNames: (1...m).map { "x\($0)" }, targetName: "y", features: xs, labels: labels)
        } catch {
            // A finite noise level can still overflow a label (noise 1e308 times a Gaussian draw).
            throw StudyError("the generated labels are unusable: \(error.message); use a smaller noise level")
        }
        return Output(data: data, cleanLabels: clean, teacher: teacher)
    }

    private func drawInputs(_ rng: inout SplitMix64) -> [[Double]] {
        let m = features
        switch inputs {
        case .uniform: return (0..<count).map { _ in (0..<m).map { _ in rng.uniform(-1, 1) } }
        case .gaussian: return (0..<count).map { _ in (0..<m).map { _ in rng.gaussian() } }
        case .grid:
            var g = max(2, Int((pow(Double(count), 1 / Double(m))).rounded(.up)))
            while pow(Double(g - 1), Double(m)) >= Double(count), g > 2 { g -= 1 }
            var total = 1
            for _ in 0..<m { total *= g }
            return (0..<count).map { i in
                var index = Int(Double(i) * Double(total) / Double(count))
                var x = [Double](repeating: 0, count: m)
                for a in 0..<m {
                    x[a] = -1 + 2 * Double(index % g) / Double(g - 1)
                    index /= g
                }
                return x
            }
        }
    }
}

/// A teacher network as a file, in the model-file format (`ModelFile`): `"loss": "interpolation"` with λ = 0 (it
/// fits the clean labels of its data exactly), `"status": "teacher"`, no certificate or solver, and the trivial
/// bounds (lower bound 0).
public struct TeacherFile: Sendable, Equatable {
    public var model: ModelFile

    public init(teacher: DiracMeasure, data: Dataset) {
        model = ModelFile(
            problem: .interpolation, lossFunction: .l1, status: .teacher, atoms: teacher.atoms,
            data: data, bias: true, tolerance: 1)
        let tv = teacher.totalVariation
        model.objective = tv
        model.totalVariation = tv
        model.gap = tv / max(1, tv)
    }

    public func write(to path: String) throws(ModelFileError) { try model.write(to: path) }
}

extension ModelFile {
    /// The model file of a teacher network (`TeacherFile`).
    public init(teacher: DiracMeasure, data: Dataset) {
        self = TeacherFile(teacher: teacher, data: data).model
    }
}
