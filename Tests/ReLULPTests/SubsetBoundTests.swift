import Foundation
import ReLULP
import TestSupport
import Testing

/// Lower bounds from subsets of the points (docs/mathematics.md §11, "Subsets") against certified optima of the whole
/// problem, and the dual they carry against the whole problem's dual constraints.
@Suite struct SubsetBoundTests {
    /// 14 points in the plane, a noisy teacher (labels ±1 for the hinge).
    static func data(_ loss: Loss) throws -> Dataset {
        var data = try Fixtures.teacher(n: 14, m: 2, neurons: 3, noise: 0.1, seed: 41)
        if loss == .hinge { data.labels = data.labels.map { $0 > 0.3 ? 1 : -1 } }
        return data
    }

    /// Subsets of the 14 points: small, every other point, the last points, and all of them.
    static let subsets: [[Int]] = [[0, 1, 2, 3], Array(stride(from: 0, to: 14, by: 2)), Array(5..<14), Array(0..<14)]

    /// Three losses, with and without an intercept and sample weights: every subset's bound is at most the certified
    /// optimum of the whole; all points give the optimum (to the tolerance); and the subset's dual, padded with zeros,
    /// lies in the whole problem's box (`|p_j| ≤ v_j/n` for L1, the label's side for the hinge) and proves that
    /// bound over the whole data's regions (`Loss.lowerBound` with M from the enumeration). Renormalising the
    /// subset's data term to `1/|S|` (α = 1) fails the box and, for the small subsets, the optimum.
    @Test(arguments: [Loss.l1, .squared, .hinge], [false, true])
    func subsetBoundsAreBelowTheOptimum(loss: Loss, intercept: Bool) throws {
        let data = try Self.data(loss)
        let n = data.count
        for weighted in [false, true] {
            var options = TrainingOptions(lambda: 0.02, loss: loss)
            options.intercept = intercept
            if weighted { options.sampleWeights = (0..<n).map { Double($0 % 3) * 0.5 + 0.25 } }
            let trainer = try ExactTrainer(data: data)
            let optimum = try trainer.train(options)
            try #require(optimum.status == .optimal, "\(loss) \(intercept) \(weighted): \(optimum.status)")
            let v = Loss.normalisedWeights(options.sampleWeights)
            let points = data.lifted(bias: true)
            let regions = try Arrangement.enumerate(points)
            let (targets, _) = try loss.targets(labels: data.labels)
            let what = "\(loss), intercept \(intercept), weights \(weighted)"
            for subset in Self.subsets {
                let bound = try trainer.subsetBound(points: subset, options: options)
                #expect(bound.result.status == .optimal, "\(what) \(subset): \(bound.result.status)")
                #expect(
                    bound.lowerBound <= optimum.objective * (1 + 1e-9),
                    "\(what) \(subset): subset bound \(bound.lowerBound) > optimum \(optimum.objective)")
                if subset.count == n {
                    #expect(
                        abs(bound.lowerBound - optimum.objective) <= 1e-7 * optimum.objective,
                        "\(what): all points give \(bound.lowerBound), optimum \(optimum.objective)")
                }
                // The padded dual in the whole problem's box, zero off the subset.
                let p = bound.dual
                #expect(p.count == n && p.indices.allSatisfy { subset.contains($0) || p[$0] == 0 })
                for j in subset {
                    let box = (v?[j] ?? 1) / Double(n) * (1 + 1e-9)
                    switch loss {
                    case .l1: #expect(abs(p[j]) <= box, "\(what) \(subset): p[\(j)] = \(p[j]) outside ±\(box)")
                    case .hinge:
                        #expect(p[j] * targets[j] >= -1e-15 && p[j] * targets[j] <= box, "\(what): p[\(j)] = \(p[j])")
                    case .squared: break
                    }
                }
                if intercept { #expect(abs(p.reduce(0, +)) <= 1e-9, "\(what) \(subset): Σp = \(p.reduce(0, +))") }
                // What the padded dual proves over the whole data (its certificate is the subset's).
                let m = regions.scanCertificate(dual: p, threshold: 0).maxValue
                #expect(abs(m - 0.02 * bound.maxAbsEta) <= 1e-7 * max(m, 1e-12), "\(what) \(subset): M \(m)")
                let proved = loss.lowerBound(
                    dual: p, maxCertificate: m, targets: targets, lambda: 0.02, dimension: 3, weights: v)
                #expect(
                    proved >= bound.lowerBound - 1e-7 * abs(bound.lowerBound) - 1e-12,
                    "\(what) \(subset): the padded dual proves \(proved) < \(bound.lowerBound)")
                #expect(proved <= optimum.objective * (1 + 1e-9))
            }
        }
    }

    /// The L1 fixtures of Tests/Fixtures/expected.json (independently certified): all points give a bound inside
    /// the fixture's [lower, upper], and the first half of the points a bound below it.
    @Test func allPointsGiveTheFixturesOptimum() throws {
        for expected in try Fixtures.expected() {
            let data = try Fixtures.dataset(expected.file)
            let trainer = try ExactTrainer(data: data, bias: expected.bias)
            let options = TrainingOptions(lambda: expected.lam)
            let all = try trainer.subsetBound(points: Array(0..<data.count), options: options)
            #expect(
                all.lowerBound >= expected.optimum_lower * (1 - 1e-8) && all.lowerBound <= expected.optimum_upper,
                "\(expected.file) λ = \(expected.lam): \(all.lowerBound)")
            let half = try trainer.subsetBound(points: Array(0..<(data.count / 2)), options: options)
            #expect(half.lowerBound <= expected.optimum_upper, "\(expected.file): half gives \(half.lowerBound)")
        }
    }

    /// Bad subsets are refused with a message: empty, repeated or out-of-range indices, weight 0 only, the
    /// interpolation.
    @Test func badSubsetsAreRefused() throws {
        let data = try Self.data(.l1)
        let trainer = try ExactTrainer(data: data)
        var options = TrainingOptions(lambda: 0.02)
        for bad in [[], [1, 1], [0, 14], [-1]] {
            #expect(throws: TrainingError.self) { try trainer.subsetBound(points: bad, options: options) }
        }
        options.sampleWeights = (0..<14).map { $0 < 7 ? 0 : 1 }
        #expect(throws: TrainingError.invalidOption("every point of the subset has sample weight 0")) {
            try trainer.subsetBound(points: [0, 1, 2], options: options)
        }
        #expect(throws: TrainingError.self) {
            try trainer.subsetBound(points: [0, 1, 2], options: TrainingOptions(problem: .interpolation))
        }
    }

    /// Teacher data in R³ (40 points, the hinge's labels split at 0.3) at λ = 0.02 with `loss`: the options, the
    /// certified optimum and a trainer of the same points built for anytime mode (search pricing).
    static func anytimeInstance(_ loss: Loss, intercept: Bool = false) throws -> (
        options: TrainingOptions, optimum: TrainingResult, trainer: ExactTrainer
    ) {
        var data = try Fixtures.teacher(n: 40, m: 3, neurons: 3, noise: 0.1, seed: 5)
        if loss == .hinge { data.labels = data.labels.map { $0 > 0.3 ? 1 : -1 } }
        var options = TrainingOptions(lambda: 0.02, loss: loss)
        options.intercept = intercept
        let optimum = try ExactTrainer(data: data).train(options)
        try #require(optimum.status == .optimal)
        let points = data.lifted(bias: true)
        let trainer = ExactTrainer(
            points: points, labels: data.labels, pricer: CertificateSearch(points: points), anytime: true)
        return (options, optimum, trainer)
    }

    /// An anytime run (a trainer built with `anytime: true` on small data, every search cut after microseconds,
    /// so the gap stays open until the time limit): its subset lines and its result stay below the certified
    /// optimum, and the result names the subset when a subset line raised the bound last.
    @Test(arguments: [Loss.l1, .squared, .hinge])
    func anytimeRunsTakeSubsetBounds(loss: Loss) throws {
        let (given, optimum, trainer) = try Self.anytimeInstance(loss)
        var options = given
        let rounds = Rounds()
        (options.heuristicPricing, options.searchSlice, options.timeLimit) = (false, 1e-5, 2)
        options.progress = { rounds.append($0) }
        let result = try trainer.train(options)
        let lines = rounds.all
        for line in lines {
            #expect(
                line.lowerBound <= optimum.objective * (1 + 1e-9),
                "\(loss) \(line.boundSource): \(line.lowerBound) > optimum \(optimum.objective)")
        }
        #expect(result.lowerBound <= optimum.objective * (1 + 1e-9))
        let subsetLines = lines.filter { $0.boundSource == .subset }
        // The phase runs beside the rounds in the last half of the 2 s: a run cut by its time limit reports at
        // least one subset (its bound or "not solved").
        if result.status == .timeLimit {
            #expect(!subsetLines.isEmpty, "\(loss): no subset line in \(result.seconds) s")
        }
        // Which line last raised the bound is what the result names.
        var best = (bound: -Double.infinity, source: BoundSource.none, points: 0)
        for line in lines where line.lowerBound > best.bound {
            best = (line.lowerBound, line.boundSource, line.subsetPoints)
        }
        #expect(result.lowerBound == best.bound || result.status == .optimal)
        if best.source == .subset {
            #expect(result.boundSource == .subset && result.boundPoints == best.points, "\(result.boundSource)")
        } else {
            #expect(result.boundSource != .subset)
        }
    }

    /// The subset phase beside the rounds (`SubsetPhase`), three losses: a run whose searches are cut (its rounds
    /// cannot certify, it ends by its time limit) and a run whose rounds certify (the phase is ended, not waited
    /// for). Both report a lower bound at most the certified optimum and a network whose objective, recomputed here
    /// from its atoms, is the reported one; the second is optimal with the optimum's objective.
    @Test(arguments: [Loss.l1, .squared, .hinge])
    func subsetPhaseBesideTheRounds(loss: Loss) throws {
        for cut in [true, false] {
            var data = try cut ? Fixtures.teacher(n: 40, m: 3, neurons: 3, noise: 0.1, seed: 5) : Self.data(loss)
            if cut, loss == .hinge { data.labels = data.labels.map { $0 > 0.3 ? 1 : -1 } }
            let lambda = 0.02
            var options = TrainingOptions(lambda: lambda, loss: loss)
            let optimum = try ExactTrainer(data: data).train(options)
            try #require(optimum.status == .optimal)
            let points = data.lifted(bias: true)
            let trainer = ExactTrainer(
                points: points, labels: data.labels, pricer: CertificateSearch(points: points), anytime: true)
            options.timeLimit = cut ? 2 : 600
            if cut { (options.heuristicPricing, options.searchSlice) = (false, 1e-5) }
            let result = try trainer.train(options)
            let what = "\(loss), \(cut ? "cut" : "certifying") run"
            #expect(result.lowerBound <= optimum.objective * (1 + 1e-9), "\(what): \(result.lowerBound)")
            // The objective by hand: f(x) = Σ a_i max(0, ⟨w_i, (x, 1)⟩), the mean loss plus λ Σ |a_i|.
            var sum = 0.0
            for j in 0..<data.count {
                let x = points[point: j]
                let f = result.measure.atoms.reduce(0.0) { f, atom in
                    f + atom.amplitude * max(0, zip(atom.weights, x).reduce(0.0) { $0 + $1.0 * $1.1 })
                }
                let y = data.labels[j]
                switch loss {
                case .l1: sum += abs(y - f)
                case .squared: sum += 0.5 * (y - f) * (y - f)
                case .hinge: sum += max(0, 1 - y * f)
                }
            }
            let tv = result.measure.atoms.reduce(0.0) { $0 + abs($1.amplitude) }
            let objective = sum / Double(data.count) + lambda * tv
            #expect(abs(objective - result.objective) <= 1e-9 * objective, "\(what): \(objective), \(result.objective)")
            #expect(result.objective >= optimum.objective * (1 - 1e-9), "\(what): \(result.objective)")
            // The cut run ends by its time limit, or certifies within it: its search slice doubles after every cut
            // round, and a release build can reach an exact search in 2 s.
            if result.status == .optimal {
                #expect(abs(result.objective - optimum.objective) <= 1e-7 * optimum.objective, "\(what)")
            } else {
                #expect(cut && result.status == .timeLimit, "\(what): \(result.status)")
            }
        }
    }
}
