import Foundation
import LinearProgramming
import ReLULP
import TestSupport
import Testing

/// The squared and hinge losses against independent references: a fine grid of neurons solved by a method of
/// the test's own (coordinate descent for the squared loss, the other LP backend for the hinge), the two backends
/// against each other, the KKT conditions, the certificate re-checked from the model file, and degenerate data.
@Suite struct LossTests {
    /// A network's objective for a loss, from scratch: outputs, data term, total variation.
    static func objective(_ atoms: [DiracAtom], _ data: Dataset, targets: [Double], lambda: Double, loss: Loss)
        -> Double
    {
        var sum = 0.0
        for (x, y) in zip(data.features, targets) {
            let lifted = x + [1]
            let f = atoms.reduce(0.0) {
                $0 + $1.amplitude * max(0, zip($1.weights, lifted).reduce(0) { $0 + $1.0 * $1.1 })
            }
            switch loss {
            case .l1: sum += abs(y - f)
            case .squared: sum += 0.5 * (y - f) * (y - f)
            case .hinge: sum += max(0, 1 - y * f)
            }
        }
        return sum / Double(targets.count) + lambda * atoms.reduce(0) { $0 + abs($1.amplitude) }
    }

    /// The activations of `grid` evenly spaced unit neurons on the circle (one feature plus bias).
    static func gridActivations(_ data: Dataset, grid: Int) -> (weights: [[Double]], columns: [[Double]]) {
        var weights: [[Double]] = []
        var columns: [[Double]] = []
        for g in 0..<grid {
            let angle = 2 * Double.pi * Double(g) / Double(grid)
            let w = [cos(angle), sin(angle)]
            weights.append(w)
            columns.append(data.features.map { max(0, w[0] * $0[0] + w[1]) })
        }
        return (weights, columns)
    }

    /// Squared loss, one feature: the QP over 4,000 grid neurons of each sign, loaded here straight into CLP's
    /// quadratic objective (not through the column generation), gives a network whose objective — recomputed
    /// here — can only be ≥ the optimum over all measures, so ≥ the certified lower bound; and a fine grid is
    /// close to the optimum, so it is at most slightly above relulp's objective. The dual is the KKT one, p = r/n.
    @Test func squaredLossAgainstAGridQP() throws {
        let data = try Fixtures.teacher(n: 25, m: 1, neurons: 3, noise: 0.1, seed: 11)
        let lambda = 0.01
        let n = Double(data.count)
        let result = try ExactTrainer(data: data).train(TrainingOptions(lambda: lambda, loss: .squared))
        #expect(result.status == .optimal && result.lossFunction == .squared)
        let direct = Self.objective(result.measure.atoms, data, targets: data.labels, lambda: lambda, loss: .squared)
        #expect(abs(direct - result.objective) <= 1e-12 * max(1, direct))
        #expect(result.lowerBound <= result.objective && result.gap <= 1e-9)

        // min (1/2n) Σ r_j² + λ Σ a_k  s.t.  Σ_k ±a_k g_kj + r_j = y_j,  a ≥ 0,  r free.
        let (weights, columns) = Self.gridActivations(data, grid: 4000)
        var lpColumns: [LPColumn] = (0..<data.count).map {
            LPColumn(cost: 0, lower: -.infinity, rows: [$0], values: [1])
        }
        for column in columns {
            let rows = column.indices.filter { column[$0] > 0 }
            for sign in [1.0, -1.0] {
                lpColumns.append(LPColumn(cost: lambda, rows: rows, values: rows.map { sign * column[$0] }))
            }
        }
        let solver = LPBackend.clp.makeSolver()
        try solver.load(LinearProgram(equalityRows: data.labels, columns: lpColumns))
        try solver.setQuadraticCosts([Double](repeating: 1 / n, count: data.count), columns: Array(0..<data.count))
        let qp = try solver.solve().requireOptimal()
        let gridAtoms = (0..<(2 * columns.count)).filter { qp.primal[data.count + $0] > 0 }.map {
            DiracAtom(amplitude: ($0 % 2 == 0 ? 1 : -1) * qp.primal[data.count + $0], weights: weights[$0 / 2])
        }
        let gridValue = Self.objective(gridAtoms, data, targets: data.labels, lambda: lambda, loss: .squared)
        #expect(result.lowerBound <= gridValue)
        #expect(gridValue <= result.objective * (1 + 1e-4), "grid \(gridValue) vs relulp \(result.objective)")

        // KKT: p_j = r_j / n at the optimum (the dual is the residual's gradient), and |η| ≤ 1 on the grid.
        let f = result.measure.values(at: data.lifted(bias: true))
        for j in 0..<data.count {
            #expect(abs(result.certificate.dual[j] - (data.labels[j] - f[j]) / n) <= 1e-8)
        }
        for column in columns {
            let eta = zip(column, result.certificate.dual).reduce(0) { $0 + $1.0 * $1.1 } / lambda
            #expect(abs(eta) <= 1 + 1e-7)
        }
    }

    /// Two features: the squared-loss optimum is certified, re-certified from the written model file, and the
    /// squared loss fits at least as well as the L1 solution's network measured in squared loss (it minimises it).
    @Test func squaredLossTwoFeaturesIsCertifiedAndRecertified() throws {
        let data = try Fixtures.teacher(n: 30, m: 2, neurons: 3, noise: 0.1, seed: 5)
        let trainer = try ExactTrainer(data: data)
        for lambda in [0.1, 0.01, 0.001] {
            let squared = try trainer.train(TrainingOptions(lambda: lambda, loss: .squared))
            #expect(squared.status == .optimal, "λ=\(lambda)")
            let l1 = try trainer.train(TrainingOptions(lambda: lambda))
            let l1InSquared = Self.objective(
                l1.measure.atoms, data, targets: data.labels, lambda: lambda, loss: .squared)
            #expect(squared.lowerBound <= l1InSquared, "λ=\(lambda)")
            #expect(squared.objective <= l1InSquared + 1e-12, "λ=\(lambda)")
            let model = ModelFile(result: squared, data: data, bias: true, tolerance: 1e-9)
            #expect(
                model.lossFunction == .squared && model.problem == .regularized(lambda: lambda) && model.classes == nil)
            let report = try CertificateReport.analyze(model: model, data: data)
            #expect(report.certifiedOptimal, "λ=\(lambda): \(report.optimalityVerdict)")
            #expect(abs(report.optimality.objective - squared.objective) <= 1e-12)
        }
    }

    /// Without Newton the column generation alone also certifies (more rounds), to the same optimum.
    @Test func squaredLossWithoutNewtonReachesTheSameOptimum() throws {
        let data = try Fixtures.teacher(n: 20, m: 1, neurons: 2, noise: 0.05, seed: 3)
        let trainer = try ExactTrainer(data: data)
        var plain = TrainingOptions(lambda: 0.01, tolerance: 1e-7, loss: .squared)
        plain.newtonPolish = false
        let withNewton = try trainer.train(TrainingOptions(lambda: 0.01, loss: .squared))
        let without = try trainer.train(plain)
        #expect(withNewton.status == .optimal && without.status == .optimal)
        #expect(abs(withNewton.objective - without.objective) <= 1e-7 * max(1, withNewton.objective))
        #expect(withNewton.lowerBound <= without.objective && without.lowerBound <= withNewton.objective)
    }

    /// A regularisation path (one master QP whose quadratic costs change with λ, so CLP reloads it) certifies
    /// every λ, and each optimum matches a cold solve.
    @Test func squaredLossPathMatchesColdSolves() throws {
        let data = try Fixtures.teacher(n: 20, m: 2, neurons: 2, noise: 0.1, seed: 9)
        let trainer = try ExactTrainer(data: data)
        let lambdas = [0.003, 0.1, 0.02]
        let path = try trainer.path(lambdas: lambdas, options: TrainingOptions(lambda: 1, loss: .squared))
        for (lambda, warm) in zip(lambdas, path) {
            let cold = try trainer.train(TrainingOptions(lambda: lambda, loss: .squared))
            #expect(warm.status == .optimal && cold.status == .optimal && warm.lambda == lambda)
            #expect(abs(warm.objective - cold.objective) <= 1e-8 * max(1, cold.objective), "λ=\(lambda)")
            #expect(warm.lowerBound <= cold.objective && cold.lowerBound <= warm.objective)
        }
    }

    /// The squared loss's lower bound is the dual objective g(t) = t·yᵀp − t²(n/2)‖p‖² at the best feasible scale
    /// t ∈ [0, λ/M]: never above the best value found by scanning t, and within rounding of it.
    @Test func squaredLowerBoundIsTheBestFeasibleScale() {
        var rng = SplitMix64(seed: 4)
        for _ in 0..<200 {
            let n = 1 + Int(rng.uniform(0, 20))
            let p = (0..<n).map { _ in rng.uniform(-0.2, 0.2) }
            let y = (0..<n).map { _ in rng.uniform(-2, 2) }
            let M = rng.uniform(0, 0.5)
            let lambda = rng.uniform(0.001, 0.3)
            let bound = Loss.squared.lowerBound(dual: p, maxCertificate: M, targets: y, lambda: lambda, dimension: 2)
            let a = zip(p, y).reduce(0) { $0 + $1.0 * $1.1 }
            let b = 0.5 * Double(n) * p.reduce(0) { $0 + $1 * $1 }
            // The maximum of the concave g over [0, λ/M] by ternary search.
            func g(_ t: Double) -> Double { t * a - t * t * b }
            var low = 0.0
            var high = lambda / M
            for _ in 0..<300 {
                let m1 = low + (high - low) / 3
                let m2 = high - (high - low) / 3
                if g(m1) < g(m2) { low = m1 } else { high = m2 }
            }
            let best = max(g(low), g(0), g(lambda / M))
            #expect(bound <= best + 1e-15 * max(1, abs(best)))
            #expect(bound >= best - 1e-12 * max(1, abs(best)))
        }
        // L1 and hinge: min(1, λ/M)·Σ p_j y_j.
        let l1 = Loss.l1.lowerBound(
            dual: [0.1, -0.1], maxCertificate: 0.05, targets: [1, -2], lambda: 0.01, dimension: 2)
        #expect(abs(l1 - 0.2 * 0.3) <= 1e-15)
    }

    /// Hinge loss: both backends certify the same optimum, and the classes are mapped (smaller label → −1).
    @Test(arguments: [1, 2]) func hingeBackendsAgree(features m: Int) throws {
        let raw = try Fixtures.teacher(n: m == 1 ? 30 : 25, m: m, neurons: 3, noise: 0.2, seed: 21 + UInt64(m))
        let median = raw.labels.sorted()[raw.count / 2]
        let data = try Dataset(
            featureNames: raw.featureNames, features: raw.features, labels: raw.labels.map { $0 >= median ? 7 : 3 })
        let trainer = try ExactTrainer(data: data)
        let clp = try trainer.train(TrainingOptions(lambda: 0.01, backend: .clp, loss: .hinge))
        let glpk = try trainer.train(TrainingOptions(lambda: 0.01, backend: .glpk, loss: .hinge))
        #expect(clp.status == .optimal && glpk.status == .optimal)
        #expect(clp.classes == [3, 7] && glpk.classes == [3, 7])
        #expect(abs(clp.objective - glpk.objective) <= 1e-7 * max(1, clp.objective))
        #expect(clp.lowerBound <= glpk.objective + 1e-12 && glpk.lowerBound <= clp.objective + 1e-12)
        let targets = data.labels.map { $0 == 7 ? 1.0 : -1.0 }
        let direct = Self.objective(clp.measure.atoms, data, targets: targets, lambda: 0.01, loss: .hinge)
        #expect(abs(direct - clp.objective) <= 1e-12 * max(1, direct))
        // The dual box of the hinge: p_j y_j ∈ [0, 1/n].
        for (p, y) in zip(clp.certificate.dual, targets) {
            #expect(p * y >= 0 && p * y <= 1 / Double(data.count) + 1e-15)
        }
        let model = ModelFile(result: clp, data: data, bias: true, tolerance: 1e-9)
        #expect(model.lossFunction == .hinge && model.problem == .regularized(lambda: 0.01) && model.classes == [3, 7])
        #expect(try CertificateReport.analyze(model: model, data: data).certifiedOptimal)
    }

    /// Hinge loss with class codes beyond the LP's label range (issue 26, item 19): the LP sees ±1, so codes such
    /// as 1e16 and 3e16 train and certify like 3 and 7 (same objective), instead of being refused.
    @Test func hingeClassCodesOfAnySize() throws {
        let raw = try Fixtures.teacher(n: 20, m: 1, neurons: 2, noise: 0.2, seed: 5)
        let median = raw.labels.sorted()[raw.count / 2]
        func coded(_ low: Double, _ high: Double) throws -> Dataset {
            try Dataset(
                featureNames: raw.featureNames, features: raw.features,
                labels: raw.labels.map { $0 >= median ? high : low })
        }
        let options = TrainingOptions(lambda: 0.01, loss: .hinge)
        let small = try ExactTrainer(data: coded(3, 7)).train(options)
        let huge = try ExactTrainer(data: coded(1e16, 3e16)).train(options)
        #expect(huge.status == .optimal && huge.classes == [1e16, 3e16])
        #expect(abs(huge.objective - small.objective) <= 1e-9 * max(1, small.objective))
    }

    /// Hinge loss, one feature: the LP over 4,000 grid neurons of each sign (GLPK, not the column generation) is
    /// an upper bound above the certified lower bound and close to relulp's optimum.
    @Test func hingeAgainstAGridLP() throws {
        let raw = try Fixtures.teacher(n: 30, m: 1, neurons: 3, noise: 0.2, seed: 8)
        let data = try Dataset(
            featureNames: raw.featureNames, features: raw.features, labels: raw.labels.map { $0 > 0 ? 1 : -1 })
        let lambda = 0.01
        let n = Double(data.count)
        let result = try ExactTrainer(data: data).train(TrainingOptions(lambda: lambda, loss: .hinge))
        #expect(result.status == .optimal)
        // min (1/n) Σ ξ_j + λ Σ a_k  s.t.  y_j Σ_k a_k g_kj + ξ_j ≥ 1,  ξ, a ≥ 0.
        var lpColumns: [LPColumn] = (0..<data.count).map { LPColumn(cost: 1 / n, rows: [$0], values: [1]) }
        let (_, columns) = Self.gridActivations(data, grid: 4000)
        for column in columns {
            let rows = column.indices.filter { column[$0] > 0 }
            for sign in [1.0, -1.0] {
                lpColumns.append(
                    LPColumn(cost: lambda, rows: rows, values: rows.map { sign * data.labels[$0] * column[$0] }))
            }
        }
        let solver = LPBackend.glpk.makeSolver()
        try solver.load(
            LinearProgram(
                rowLower: [Double](repeating: 1, count: data.count),
                rowUpper: [Double](repeating: .infinity, count: data.count), columns: lpColumns))
        let grid = try solver.solve().requireOptimal()
        #expect(result.lowerBound <= grid.objective + 1e-12)
        #expect(grid.objective <= result.objective * (1 + 1e-4), "grid \(grid.objective) vs relulp \(result.objective)")
    }

    /// Degenerate data: repeated points (with different labels) and, in two features, points on one line. Both
    /// losses certify, and the model files re-certify.
    @Test(arguments: [Loss.squared, Loss.hinge]) func degenerateData(loss: Loss) throws {
        var line: [[Double]] = []
        for i in 0..<12 {
            let x: Double = -1 + Double(i) / 6
            line.append([x, 0.5 - 0.25 * x])
        }
        let duplicated: [[Double]] = line + Array(line.prefix(4)) + [line[5], line[5]]
        var labels: [Double] = []
        for j in duplicated.indices {
            let shift: Double = j >= 12 ? 0.3 : 0
            labels.append(loss == .hinge ? (j % 3 == 0 ? 1 : -1) : sin(3 * duplicated[j][0]) + shift)
        }
        let data = try Dataset(featureNames: ["x1", "x2"], features: duplicated, labels: labels)
        let trainer = try ExactTrainer(data: data)
        for lambda in [0.05, 0.002] {
            let result = try trainer.train(TrainingOptions(lambda: lambda, loss: loss))
            #expect(result.status == .optimal, "\(loss) λ=\(lambda)")
            let model = ModelFile(result: result, data: data, bias: true, tolerance: 1e-9)
            let report = try CertificateReport.analyze(model: model, data: data)
            #expect(report.certifiedOptimal, "\(loss) λ=\(lambda): \(report.optimalityVerdict)")
        }
    }

    @Test func glpkRefusesTheSquaredLoss() throws {
        let data = try Fixtures.teacher(n: 10, m: 1, neurons: 2, noise: 0.1, seed: 1)
        let options = TrainingOptions(lambda: 0.01, backend: .glpk, loss: .squared)
        #expect(throws: TrainingError.needsQuadraticBackend(loss: .squared, backend: .glpk)) { try options.validate() }
        #expect(throws: TrainingError.needsQuadraticBackend(loss: .squared, backend: .glpk)) {
            try ExactTrainer(data: data).train(options)
        }
        #expect("\(TrainingError.needsQuadraticBackend(loss: .squared, backend: .glpk))".contains("needs a QP backend"))
    }

    /// The squared loss's master is always primal: `.dual` is refused, not silently ignored; `.auto` and `.primal` pass.
    @Test func theSquaredLossRefusesTheDualMaster() throws {
        var options = TrainingOptions(lambda: 0.01, loss: .squared)
        options.master = .dual
        #expect(throws: TrainingError.needsPrimalMaster(loss: .squared)) { try options.validate() }
        for form in [MasterForm.primal, .auto] {
            options.master = form
            #expect(throws: Never.self) { try options.validate() }
        }
        options.loss = .l1
        options.master = .dual
        #expect(throws: Never.self) { try options.validate() }
    }

    @Test func hingeNeedsExactlyTwoClasses() throws {
        for labels in [[1.0, 2, 3, 1, 2, 3], [4.0, 4, 4, 4, 4, 4]] {
            let data = try Dataset(featureNames: ["x1"], features: (0..<6).map { [Double($0)] }, labels: labels)
            #expect(throws: TrainingError.self) {
                try ExactTrainer(data: data).train(TrainingOptions(lambda: 0.01, loss: .hinge))
            }
        }
        #expect(try Loss.hinge.targets(labels: [5, -2, 5]).targets == [1, -1, 1])
        #expect(try Loss.hinge.targets(labels: [5, -2, 5]).classes == [-2, 5])
    }

    /// A hinge model's file: classes are required and checked, labels outside them are refused by certify,
    /// and the decision values map to classes by sign.
    @Test func hingeModelFile() throws {
        let raw = try Fixtures.teacher(n: 16, m: 1, neurons: 2, noise: 0.1, seed: 2)
        let data = try Dataset(
            featureNames: raw.featureNames, features: raw.features, labels: raw.labels.map { $0 > 0 ? 1 : 0 })
        let result = try ExactTrainer(data: data).train(TrainingOptions(lambda: 0.02, loss: .hinge))
        var model = ModelFile(result: result, data: data, bias: true, tolerance: 1e-9)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-hinge-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.write(to: path)
        let loaded = try ModelFile.load(path)
        #expect(loaded == model)
        #expect(loaded.classLabels(decisions: [-0.5, 0, 2]) == [0, 1, 1])
        let other = try Dataset(
            featureNames: raw.featureNames, features: raw.features, labels: raw.labels.map { $0 > 0 ? 1 : 2 })
        #expect(throws: CertificateError.self) { try CertificateReport.analyze(model: loaded, data: other) }
        model.classes = nil
        try model.write(to: path)
        #expect(throws: ModelFileError.self) { try ModelFile.load(path) }
    }
}
