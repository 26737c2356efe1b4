import Foundation
import ReLULP
import TestSupport
import Testing

/// The unpenalised intercept (docs/mathematics.md §12) against independent references: the problem without it (a
/// relaxation of (P_b) cannot be worse), shifted labels, the intercept-only optimum computed here, the other backend
/// and master form, `certify`, and a brute-force scan of the best intercept.
@Suite struct InterceptTests {
    static func train(
        _ data: Dataset, lambda: Double, loss: Loss = .l1, intercept: Bool = true, backend: LPBackend = .clp,
        master: MasterForm = .auto
    ) throws -> TrainingResult {
        var options = TrainingOptions(lambda: lambda, backend: backend, loss: loss)
        options.intercept = intercept
        options.master = master
        return try ExactTrainer(data: data).train(options)
    }

    /// Data of a 1-D teacher with labels moved by `shift`; for the hinge loss ±1, a third of the points −1.
    static func data(shift: Double = 0, hinge: Bool = false) throws -> Dataset {
        let base = try Fixtures.teacher(n: 24, m: 1, neurons: 3, noise: 0.1, seed: 5)
        let third = base.labels.sorted()[base.count / 3]
        let labels = base.labels.map { hinge ? ($0 >= third ? 1 : -1) : $0 + shift }
        return try Dataset(featureNames: base.featureNames, features: base.features, labels: labels)
    }

    /// The objective of a result's network and intercept recomputed here from its atoms.
    static func objective(_ r: TrainingResult, _ data: Dataset, lambda: Double, loss: Loss) -> Double {
        let b = r.intercept ?? 0
        let f = r.measure.values(at: data.lifted(bias: true)).map { $0 + b }
        return loss.value(outputs: f, targets: data.labels.map { loss == .hinge ? ($0 > 0 ? 1 : -1) : $0 })
            + lambda * r.measure.totalVariation
    }

    /// (P) is (P_b) with b = 0: the intercept's optimum is never above it; both are certified and their objectives
    /// recomputed here agree with the reported ones.
    @Test(arguments: [Loss.l1, .squared, .hinge]) func interceptIsNeverWorse(loss: Loss) throws {
        let data = try Self.data(shift: 0.7, hinge: loss == .hinge)
        let without = try Self.train(data, lambda: 0.01, loss: loss, intercept: false)
        let with = try Self.train(data, lambda: 0.01, loss: loss)
        #expect(without.status == .optimal && with.status == .optimal)
        #expect(without.intercept == nil && with.intercept != nil)
        #expect(with.objective <= without.objective * (1 + 1e-9))
        #expect(with.lowerBound <= with.objective)
        let direct = Self.objective(with, data, lambda: 0.01, loss: loss)
        #expect(abs(direct - with.objective) <= 1e-9 * max(1, direct))
    }

    /// Labels y + c: the same optimum (objective), and for the squared loss (unique fitted values) every fitted
    /// value moves by c.
    @Test(arguments: [Loss.l1, .squared]) func shiftedLabelsMoveOnlyTheIntercept(loss: Loss) throws {
        let c = 5.25
        let a = try Self.train(Self.data(), lambda: 0.02, loss: loss)
        let shifted = try Self.data(shift: c)
        let b = try Self.train(shifted, lambda: 0.02, loss: loss)
        #expect(a.status == .optimal && b.status == .optimal)
        #expect(abs(a.objective - b.objective) <= 1e-7 * a.objective)
        guard loss == .squared else { return }
        let points = shifted.lifted(bias: true)
        let fa = a.measure.values(at: points).map { $0 + (a.intercept ?? .nan) }
        let fb = b.measure.values(at: points).map { $0 + (b.intercept ?? .nan) }
        for (x, y) in zip(fa, fb) { #expect(abs(y - x - c) <= 1e-5) }
    }

    /// λ so large that no neuron pays: the network is empty and b is the labels' median (L1: any point between the
    /// two middle labels) or mean (squared), computed here.
    @Test func hugeLambdaGivesTheBestConstant() throws {
        let data = try Self.data(shift: 2)
        let sorted = data.labels.sorted()
        let n = sorted.count
        let l1 = try Self.train(data, lambda: 1e3, loss: .l1)
        #expect(l1.status == .optimal && l1.measure.atoms.isEmpty)
        let b1 = try #require(l1.intercept)
        #expect(b1 >= sorted[(n - 1) / 2] - 1e-12 && b1 <= sorted[n / 2] + 1e-12)
        let median = 0.5 * (sorted[(n - 1) / 2] + sorted[n / 2])
        let l1Value = data.labels.reduce(0) { $0 + abs($1 - median) } / Double(n)
        #expect(abs(l1.objective - l1Value) <= 1e-12 * l1Value)
        let squared = try Self.train(data, lambda: 1e3, loss: .squared)
        #expect(squared.status == .optimal && squared.measure.atoms.isEmpty)
        let mean = data.labels.reduce(0, +) / Double(n)
        #expect(abs((squared.intercept ?? .nan) - mean) <= 1e-9 * abs(mean))
    }

    /// Both backends and both master forms (primal: the free column; dual: the row Σu = 0) reach the same optimum.
    @Test func backendsAndMasterFormsAgree() throws {
        let data = try Self.data(shift: -1.5)
        var values: [Double] = []
        for backend in [LPBackend.clp, .glpk] {
            for master in [MasterForm.primal, .dual] {
                let r = try Self.train(data, lambda: 0.01, backend: backend, master: master)
                #expect(r.status == .optimal, "\(backend) \(master)")
                values.append(r.objective)
            }
        }
        let best = values.min() ?? 0
        for v in values { #expect(abs(v - best) <= 2e-9 * best) }
    }

    /// `certify` recomputes the objective with the model's intercept and proves the same bound; the model file
    /// keeps `"intercept"`.
    @Test(arguments: [Loss.l1, .squared, .hinge]) func certifyAgrees(loss: Loss) throws {
        let data = try Self.data(shift: 0.7, hinge: loss == .hinge)
        let result = try Self.train(data, lambda: 0.01, loss: loss)
        let model = ModelFile(result: result, data: data, bias: true, tolerance: 1e-9)
        let json = try JSONEncoder().encode(model)
        let reread = try ModelFile.parse(json)
        #expect(reread.intercept == result.intercept)
        let report = try CertificateReport.analyze(model: reread, data: data)
        #expect(report.optimality.certifiedOptimal)
        #expect(abs(report.optimality.objective - result.objective) <= 1e-12 * result.objective)
        #expect(abs(report.optimality.lowerBound - result.lowerBound) <= 1e-8 * result.objective)
    }

    /// A dual that does not sum to zero proves nothing about (P_b) by itself: the optimum without an intercept,
    /// its dual and b = 0 written as an intercept model is not certified (its objective is above the intercept's
    /// optimum), and the bound certify proves stays below that optimum. Clamping alone would certify it.
    @Test func certifyRefusesADualThatDoesNotSumToZero() throws {
        let data = try Self.data(shift: 3)
        let without = try Self.train(data, lambda: 0.01, intercept: false)
        let with = try Self.train(data, lambda: 0.01)
        #expect(with.objective < without.objective * (1 - 1e-3))
        var model = ModelFile(result: without, data: data, bias: true, tolerance: 1e-9)
        let plain = try CertificateReport.analyze(model: model, data: data)
        #expect(plain.optimality.certifiedOptimal)
        model.intercept = 0
        let report = try CertificateReport.analyze(model: model, data: data)
        #expect(!report.optimality.certifiedOptimal)
        #expect(report.optimality.lowerBound <= with.objective)
    }

    /// The best intercept against a scan of 4,001 values of b over the residuals' range, for every loss.
    @Test(arguments: Loss.allCases) func bestInterceptBeatsAScan(loss: Loss) throws {
        var rng = Fixtures.Random(seed: 17)
        let n = 15
        let y = (0..<n).map { _ in loss == .hinge ? (rng.uniform(-1, 1) > 0 ? 1.0 : -1.0) : rng.uniform(-2, 3) }
        let f = (0..<n).map { _ in rng.uniform(-1, 1) }
        let b = loss.bestIntercept(outputs: f, targets: y)
        let best = loss.value(outputs: f.map { $0 + b }, targets: y)
        for k in 0...4000 {
            let t = -6 + 12 * Double(k) / 4000
            #expect(best <= loss.value(outputs: f.map { $0 + t }, targets: y) + 1e-12)
        }
    }

    /// Tied residuals (integer labels, many equal, as the diabetes target): the best intercept is still the median
    /// (L1) against the scan, and a run at a λ where no neuron pays is certified with b = the median. Before the
    /// kinks were made distinct the bisection stopped on a tie left of the median (b = 55 for a median of 140.5).
    @Test(arguments: [Loss.l1, .hinge]) func tiedResidualsGiveTheBestIntercept(loss: Loss) throws {
        var rng = Fixtures.Random(seed: 23)
        let n = 41
        let y = (0..<n).map { j in
            loss == .hinge ? (j % 3 == 0 ? -1.0 : 1.0) : (j < 12 ? 1.0 : rng.uniform(0, 1) > 0.5 ? 3.0 : 7.0)
        }
        let zeros = [Double](repeating: 0, count: n)
        let b = loss.bestIntercept(outputs: zeros, targets: y)
        let best = loss.value(outputs: zeros.map { _ in b }, targets: y)
        for k in 0...4000 {
            let t = -8 + 16 * Double(k) / 4000
            #expect(best <= loss.value(outputs: zeros.map { _ in t }, targets: y) + 1e-12)
        }
        guard loss == .l1 else { return }
        let x = (0..<n).map { [Double($0) / Double(n)] }
        let data = try Dataset(featureNames: ["x"], features: x, labels: y)
        let result = try Self.train(data, lambda: 1e3, loss: .l1)
        let median = y.sorted()[n / 2]
        #expect(result.status == .optimal && result.measure.atoms.isEmpty)
        #expect(abs((result.intercept ?? .nan) - median) <= 1e-9 * abs(median))
    }

    /// The centred dual lies in the loss's box and sums to zero (to rounding), from far outside.
    @Test(arguments: Loss.allCases) func centredDualIsFeasible(loss: Loss) throws {
        var rng = Fixtures.Random(seed: 3)
        let n = 40
        let y = (0..<n).map { j in j % 3 == 0 ? 1.0 : -1.0 }
        let p = (0..<n).map { _ in rng.uniform(-0.2, 0.3) }
        let c = 1 / Double(n)
        let q = loss.centredDual(p, targets: y, weight: c)
        #expect(abs(q.reduce(0, +)) <= 1e-15)
        guard loss != .squared else { return }
        for j in 0..<n {
            #expect(abs(q[j]) <= c)
            if loss == .hinge { #expect(q[j] * y[j] >= 0) }
        }
    }
}
