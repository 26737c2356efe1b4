import Foundation
import ReLULP
import TestSupport
import Testing

/// `CertificateReport` against independent computations: the objective from the atoms, η from its definition,
/// random sampling of the sphere, hand-made instances with known (non-)uniqueness.
@Suite struct CertificateTests {
    static func model(_ data: Dataset, lambda: Double, backend: LPBackend = .clp, bias: Bool = true) throws -> (
        ModelFile, ExactTrainer
    ) {
        let trainer = try ExactTrainer(data: data, bias: bias)
        let result = try trainer.train(TrainingOptions(lambda: lambda, backend: backend))
        try #require(
            result.status == .optimal, "the solver (\(backend)) did not certify: \(result.status), gap \(result.gap)")
        return (ModelFile(result: result, data: data, bias: bias, tolerance: 1e-9), trainer)
    }

    @Test(arguments: LPBackend.allCases, [1, 2])
    func solvedInstancesAreCertifiedAndPerturbedOnesAreNot(backend: LPBackend, m: Int) throws {
        let data = try Fixtures.teacher(n: 25, m: m, neurons: 3, noise: 0.1, seed: 40 + UInt64(m))
        let lambda = 0.02
        let (model, trainer) = try Self.model(data, lambda: lambda, backend: backend)
        let report = try CertificateReport.analyze(model: model, data: data)
        #expect(report.certifiedOptimal, "\(report.verdict)")
        #expect(report.optimalityVerdict == "certified optimal")
        // U recomputed from scratch, independent of the report.
        let direct = objective(atoms: model.atoms, points: trainer.points, labels: data.labels, lambda: lambda)
        #expect(abs(report.optimality.objective - direct) <= 1e-12 * max(1, direct))
        #expect(report.optimality.lowerBound <= direct + 1e-12)
        #expect(report.optimality.maxAbsEta <= 1 + 1e-7)
        #expect(report.sparsity.diracs == model.atoms.count && report.sparsity.n == 25)
        #expect(report.sparsity.regions == trainer.arrangement?.numberOfRegions)
        #expect(report.sparsity.generalPositionBound == Arrangement.generalPositionBound(points: 25, dimension: m + 1))
        // Every Dirac on the certificate, η from the definition.
        let p = model.certificate!.dual.map { min(max($0, -1 / 25.0), 1 / 25.0) }
        for (atom, support) in zip(model.atoms, report.support) {
            let eta = certificateValue(dual: p, points: trainer.points, at: atom.weights) / lambda
            #expect(abs(eta - support.eta) <= 1e-9)
            #expect(abs(abs(eta) - 1) <= 1e-6 && (eta > 0) == (atom.amplitude > 0))
            #expect(support.onCertificate)
            #expect(!(support.regions ?? []).isEmpty)
            #expect(
                (support.distanceToExtremePoint ?? 1) <= 1e-3,
                "Dirac \(support.index) far from its region's extreme point")
        }

        // One amplitude perturbed: the network changes, the gap opens.
        var amplitude = model
        amplitude.atoms[0].amplitude *= 1.01
        let r1 = try CertificateReport.analyze(model: amplitude, data: data)
        #expect(!r1.certifiedOptimal)
        #expect(r1.optimalityVerdict.hasPrefix("not certified optimal"))
        let perturbed = objective(atoms: amplitude.atoms, points: trainer.points, labels: data.labels, lambda: lambda)
        #expect(abs(r1.optimality.objective - perturbed) <= 1e-12 * max(1, perturbed))
        #expect(r1.optimality.objective > report.optimality.objective)

        // One location perturbed (a small rotation, still a unit vector).
        var location = model
        var w = location.atoms[0].weights
        w[0] += 1e-3
        let length = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
        location.atoms[0].weights = w.map { $0 / length }
        let r2 = try CertificateReport.analyze(model: location, data: data)
        #expect(!r2.certifiedOptimal)
        #expect(!r2.unique)
    }

    /// η on each region is the linear function ⟨v_s, w⟩/λ: at random points it must equal the definition.
    /// The exact region-by-region maximum can never be below the best of 10⁵ random points, and it is attained.
    @Test(arguments: [(1, UInt64(1)), (2, UInt64(2)), (3, UInt64(3))])
    func regionCertificateMatchesDefinition(m: Int, seed: UInt64) throws {
        let data = try Fixtures.teacher(n: m == 3 ? 12 : 20, m: m, neurons: 2, noise: 0.2, seed: seed)
        let points = data.lifted(bias: true)
        let arrangement = try Arrangement.enumerate(points)
        let n = data.count
        var rng = Fixtures.Random(seed: 100 + seed)
        let p = (0..<n).map { _ in rng.uniform(-1, 1) / Double(n) }
        let lambda = 0.05
        let regional = RegionCertificate(arrangement: arrangement, dual: p, lambda: lambda)
        for _ in 0..<300 {
            let w = rng.unitVector(m + 1)
            let direct = certificateValue(dual: p, points: points, at: w) / lambda
            let eta = try #require(regional.eta(at: w))
            #expect(abs(eta - direct) <= 1e-12 * max(1, abs(direct)), "w = \(w)")
        }
        let scan = arrangement.scanCertificate(dual: p, threshold: 0)
        var sampled = 0.0
        for _ in 0..<100_000 {
            sampled = max(sampled, abs(certificateValue(dual: p, points: points, at: rng.unitVector(m + 1))))
        }
        #expect(scan.maxValue >= sampled - 1e-12)
        // …and it is a value of η, not an overestimate: evaluate the definition at the maximiser.
        let k = scan.argmaxRegion
        let d = m + 1
        let vectors = arrangement.regionVectors(dual: p)
        let point = try #require(
            arrangement.extremePoint(region: k, sign: scan.argmaxSign, regionVector: vectors[(k * d)..<(k * d + d)]))
        #expect(
            abs(abs(certificateValue(dual: p, points: points, at: point)) - scan.maxValue) <= 1e-10
                * max(1, scan.maxValue))
    }

    /// y = max(x, 0) at x = −2, −1, 0, 1, 2 (with bias).
    static func rampData() throws -> Dataset {
        try Dataset(
            featureNames: ["x1"], targetName: "y", features: [[-2], [-1], [0], [1], [2]], labels: [0, 0, 0, 1, 2])
    }

    /// A model file written by hand for the ramp data, no solver involved. Derivation (λ ≤ 1/5): the network
    /// σ(x) = 1·σ(⟨(1, 0), (x, 1)⟩) interpolates, so U = λ·1. The dual p = (0, 0, 0, −λ, λ) has Σ p_j y_j = λ,
    /// and for a neuron with kink t (w ∝ (1, −t)) it gives Σ p_j σ(⟨w, x̃_j⟩) = h(t)/√(1+t²) with h = λ for
    /// t ≤ 1 … so |η| = 1 exactly at t = 0, i.e. at w = (1, 0), and |η| < 1 everywhere else (the opposite
    /// orientation gives −λ(t−1)₊/√(1+t²) + …, at most λ/√5 in size). Hence L = λ = U: optimal, and unique.
    static func rampModel(lambda: Double = 0.01, atoms: [DiracAtom]? = nil, dual: [Double]? = nil) throws -> ModelFile {
        let atoms = atoms ?? [DiracAtom(amplitude: 1, weights: [1, 0])]
        let dual = dual ?? [0, 0, 0, -lambda, lambda]
        let json: [String: Any] = [
            "format": "relulp-model", "version": 1, "lambda": lambda, "bias": true, "loss": "l1", "features": ["x1"],
            "target": "y", "n": 5, "atoms": atoms.map { ["amplitude": $0.amplitude, "weights": $0.weights] },
            "objective": lambda, "dataLoss": 0.0, "totalVariation": 1.0, "lowerBound": lambda, "gap": 0.0,
            "tolerance": 1e-9, "status": "optimal", "certificate": ["dual": dual, "maxAbsEta": 1.0],
        ]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "relulp-ramp-\(getpid())-\(UInt64.random(in: 0 ..< .max)).json"
        ).path
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ModelFile.load(path)
    }

    @Test func handMadeUniqueInstance() throws {
        let data = try Self.rampData()
        let model = try Self.rampModel()
        let report = try CertificateReport.analyze(model: model, data: data)
        #expect(report.certifiedOptimal, "\(report.verdict)")
        #expect(abs(report.optimality.objective - 0.01) <= 1e-15 && abs(report.optimality.lowerBound - 0.01) <= 1e-15)
        #expect(abs(report.optimality.maxAbsEta - 1) <= 1e-12)
        #expect(report.uniqueness.independent && report.uniqueness.rank == 1)
        // The activation vector of σ(x) on the data is (0, 0, 0, 1, 2): its only singular value is √5.
        #expect(abs((report.uniqueness.smallestSingularValue ?? 0) - 5.0.squareRoot()) <= 1e-12)
        // The largest |η| off the support, by hand: the regions next to w = (1, 0) hold it in their closure; the
        // next best is the kink t = −1 (w = (1, 1)/√2), η = 1/√2.
        #expect(
            abs((report.uniqueness.margin ?? 0) - 1 / 2.0.squareRoot()) <= 1e-9,
            "margin \(report.uniqueness.margin ?? .nan)")
        #expect(report.unique, "\(report.uniquenessVerdict)")
        #expect(report.uniquenessVerdict == "unique")
        // w = (1, 0) lies on the hyperplane of x = 0: two regions hold it, the sign vector says so.
        #expect(report.support[0].signVector == "--0++")
        #expect(report.support[0].regions?.count == 2)
        #expect((report.support[0].distanceToExtremePoint ?? 1) <= 1e-12)
    }

    /// The same network written as two equal atoms in one region (half the amplitude each): still optimal (same
    /// function, same total variation), but the activation vectors are dependent, so uniqueness is not shown.
    @Test func twoEquivalentAtomsInARegionAreNotShownUnique() throws {
        let data = try Self.rampData()
        let model = try Self.rampModel(atoms: [
            DiracAtom(amplitude: 0.5, weights: [1, 0]), DiracAtom(amplitude: 0.5, weights: [1, 0]),
        ])
        let report = try CertificateReport.analyze(model: model, data: data)
        #expect(report.certifiedOptimal)
        #expect(report.uniqueness.rank == 1 && !report.uniqueness.independent)
        #expect((report.uniqueness.smallestSingularValue ?? 1) <= 1e-12)
        #expect(!report.unique)
        #expect(report.uniquenessVerdict.hasPrefix("not shown unique"))
        #expect(report.support[0].regions == report.support[1].regions)
    }

    /// A dual that is not optimal for the model: the gap is recomputed, not read from the file ("gap": 0 there).
    @Test func aWrongDualIsNotCertified() throws {
        let data = try Self.rampData()
        let model = try Self.rampModel(dual: [0.2, -0.2, 0.2, -0.2, 0.2])
        let report = try CertificateReport.analyze(model: model, data: data)
        #expect(!report.certifiedOptimal && !report.unique)
        // L by hand: Σ p_j y_j = −0.2 + 0.4 = 0.2, scaled by λ/M with M the exact maximum.
        let points = data.lifted(bias: true)
        let m = try Arrangement.enumerate(points).scanCertificate(dual: [0.2, -0.2, 0.2, -0.2, 0.2], threshold: 0)
            .maxValue
        #expect(abs(report.optimality.lowerBound - min(1, 0.01 / m) * 0.2) <= 1e-15)
    }

    @Test func mismatchedModelAndDataAreRejected() throws {
        let data = try Self.rampData()
        let model = try Self.rampModel()
        var noDual = model
        noDual.certificate = nil
        #expect(throws: CertificateError.self) { try CertificateReport.analyze(model: noDual, data: data) }
        let other = try Dataset(featureNames: ["x1"], targetName: "y", features: [[0], [1], [2]], labels: [0, 1, 2])
        #expect(throws: CertificateError.self) { try CertificateReport.analyze(model: model, data: other) }
        let renamed = try Dataset(featureNames: ["z"], targetName: "y", features: data.features, labels: data.labels)
        do {
            _ = try CertificateReport.analyze(model: model, data: renamed)
            Issue.record("a model on x1 accepted data without x1")
        } catch {
            #expect(error.message.contains("x1"))
        }
    }

    @Test func reportRoundTripsThroughJSON() throws {
        let data = try Self.rampData()
        let model = try Self.rampModel()
        let report = try CertificateReport.analyze(model: model, data: data)
        let decoded = try JSONDecoder().decode(CertificateReport.self, from: report.json())
        #expect(decoded == report)
        let object = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
        #expect(
            object["optimality"] != nil && object["support"] != nil && object["uniqueness"] != nil
                && object["sparsity"] != nil)
        #expect(report.text().contains("verdict: certified optimal, unique"))
    }

    /// Singular values against hand-computed ones and against det(AᵀA) = Π σ_i².
    @Test func singularValuesAreRight() throws {
        let diagonal = singularValues(columns: [[3, 0, 0], [0, 4, 0]])
        #expect(diagonal.count == 2 && abs(diagonal[0] - 4) < 1e-14 && abs(diagonal[1] - 3) < 1e-14)
        // [[1, 1], [0, 1]]: σ = (√5 ± 1)/2.
        let shear = singularValues(columns: [[1, 0], [1, 1]])
        #expect(
            abs(shear[0] - (5.0.squareRoot() + 1) / 2) < 1e-14 && abs(shear[1] - (5.0.squareRoot() - 1) / 2) < 1e-14)
        var rng = Fixtures.Random(seed: 9)
        let a = (0..<3).map { _ in (0..<6).map { _ in rng.gaussian() } }
        func g(_ i: Int, _ j: Int) -> Double { zip(a[i], a[j]).reduce(0) { $0 + $1.0 * $1.1 } }
        let det =
            g(0, 0) * (g(1, 1) * g(2, 2) - g(1, 2) * g(2, 1)) - g(0, 1) * (g(1, 0) * g(2, 2) - g(1, 2) * g(2, 0))
            + g(0, 2) * (g(1, 0) * g(2, 1) - g(1, 1) * g(2, 0))
        let s = singularValues(columns: a)
        #expect(abs(s.reduce(1) { $0 * $1 * $1 } - det) <= 1e-10 * det)
        #expect(abs(s.reduce(0) { $0 + $1 * $1 } - (g(0, 0) + g(1, 1) + g(2, 2))) <= 1e-12 * g(0, 0))
        let dependent = singularValues(columns: [a[0], a[1], zip(a[0], a[1]).map { 2 * $0 - $1 }])
        #expect(dependent[2] <= 1e-12 * dependent[0])
    }
}
