import Foundation
import ReLULP
import TestSupport
import Testing

/// The steps for small λ (docs/mathematics.md §4a): the internal warm start against the cold solve of the same
/// problem, and the peaks-first and steepest-edge column orders against η evaluated from its definition.
@Suite struct SmallLambdaStepsTests {
    /// Warm-started and cold solves of small instances reach the same optimum, both certified, and each one's lower
    /// bound lies below the other's objective (a valid bound of the target alone, not of a step of the path).
    @Test(arguments: [
        (1, Loss.l1, 1e-4), (2, Loss.l1, 1e-4), (2, Loss.l1, 1e-3), (2, Loss.squared, 1e-3), (2, Loss.hinge, 1e-4),
        (1, Loss.l1, 1e-9),
    ])
    func warmStartMatchesColdSolve(m: Int, loss: Loss, lambda: Double) throws {
        var data = try Fixtures.teacher(n: 40, m: m, neurons: 3, noise: 0.1, seed: 41)
        if loss == .hinge {
            data = try Dataset(
                featureNames: data.featureNames, features: data.features, labels: data.labels.map { $0 > 0 ? 1 : -1 })
        }
        let trainer = try ExactTrainer(data: data)
        let cold = try trainer.train(TrainingOptions(lambda: lambda, loss: loss))
        var warmOptions = TrainingOptions(lambda: lambda, loss: loss)
        warmOptions.warmStart = true
        warmOptions.peaksFirst = true
        let warm = try trainer.train(warmOptions)
        #expect(!warm.warmStart.isEmpty && cold.warmStart.isEmpty)
        #expect(warm.warmStart == warm.warmStart.sorted(by: >) && warm.warmStart.allSatisfy { $0 > lambda })
        // The cold default did not certify the 1-D teacher at λ = 1e-9 when this test was written; the warm start did.
        #expect(warm.status == .optimal && (cold.status == .optimal || lambda < 1e-6))
        if cold.status == .optimal {
            #expect(abs(warm.objective - cold.objective) <= 1e-7 * max(1e-3, cold.objective))
        }
        #expect(warm.lowerBound <= cold.objective + 1e-12 && cold.lowerBound <= warm.objective + 1e-12)
        #expect(warm.lambda == lambda)
    }

    /// The round limit covers the warm start's steps (each step had the whole limit before), and the log tells the
    /// steps' rounds from the target's: every round is logged once, the steps' with their λ, in the path's order.
    @Test(arguments: [1, 2, 5, 12])
    func warmStartStepsCountAgainstTheRoundLimit(limit: Int) throws {
        let data = try Fixtures.teacher(n: 40, m: 2, neurons: 3, noise: 0.1, seed: 41)
        var options = TrainingOptions(lambda: 1e-4)
        options.warmStart = true
        let full = try ExactTrainer(data: data).train(options)
        try #require(full.status == .optimal && full.warmStart.count >= 2 && full.rounds > 12)
        let log = Rounds()
        options.maxRounds = limit
        options.progress = { log.append($0) }
        let result = try ExactTrainer(data: data).train(options)
        #expect(result.rounds <= limit && result.status == .roundLimit, "\(result.rounds) rounds, \(result.status)")
        let lines = log.all
        #expect(lines.count == result.rounds)
        let steps = lines.compactMap(\.warmStartStep)
        #expect(Set(steps).sorted(by: >) == result.warmStart && steps == steps.sorted(by: >))
        #expect(lines.last?.warmStartStep == nil)
    }

    /// At a λ within two decades of where the zero network becomes optimal the solve stays cold.
    @Test func largeLambdaStaysCold() throws {
        let data = try Fixtures.teacher(n: 40, m: 2, neurons: 3, noise: 0.1, seed: 41)
        var options = TrainingOptions(lambda: 0.05)
        options.warmStart = true
        let result = try ExactTrainer(data: data).train(options)
        #expect(result.warmStart.isEmpty && result.status == .optimal)
    }

    /// `peaksFirst` keeps the largest side first, then puts, in their order, exactly the sides whose extreme point is ±v_s/‖v_s‖, then the others
    /// in theirs; at each of those η, evaluated from its definition, is a local maximum on the sphere (no unit vector
    /// within 1e-6 is higher, while a side's extreme point on its region's boundary rises to first order there).
    @Test func peaksAreLocalMaxima() throws {
        var total = (peaks: 0, sides: 0)
        for seed in 1...6 as ClosedRange<UInt64> {
            let (peaks, sides) = try checkPeaks(seed: seed)
            total = (total.peaks + peaks, total.sides + sides)
        }
        #expect(total.peaks > 0 && total.peaks < total.sides, "\(total.peaks) peaks of \(total.sides) sides")
    }

    /// One random dual's check for `peaksAreLocalMaxima`; returns the numbers of peaks and of sides.
    func checkPeaks(seed: UInt64) throws -> (peaks: Int, sides: Int) {
        var rng = SeededRandom(seed: seed)
        let points = lift((0..<25).map { _ in [rng.gaussian(), rng.gaussian()] })
        let pricer = EnumeratedPricer(arrangement: try Arrangement.enumerate(points))
        let p = CertificateSearchTests.randomDual(n: 25, seed: seed)
        let pricing = pricer.price(dual: p, threshold: 0, keep: nil, progress: nil)
        let d = points.dimension
        func isPeak(_ side: RegionSide) -> Bool {
            guard let k = side.region, let w = pricer.extremePoint(of: side, in: pricing) else { return false }
            let v = pricing.regionVectors[(k * d)..<(k * d + d)].map { Double(side.sign) * $0 }
            return zip(w, v).reduce(0.0) { $0 + $1.0 * $1.1 } >= (1 - 1e-9) * norm(v[...])
        }
        let peaks = pricing.sides.filter(isPeak)
        let rest = pricing.sides.dropFirst()
        #expect(
            pricing.peaksFirst(pricing.sides, dimension: d)
                == pricing.sides.prefix(1) + rest.filter(isPeak) + rest.filter { !isPeak($0) })
        for side in peaks {
            let w = try #require(pricer.extremePoint(of: side, in: pricing))
            let eta = Double(side.sign) * CertificateSearchTests.certificate(points, p, w)
            for _ in 0..<20 {
                let moved = w.map { $0 + 1e-6 * rng.gaussian() }
                let unit = moved.map { $0 / norm(moved[...]) }
                #expect(Double(side.sign) * CertificateSearchTests.certificate(points, p, unit) <= eta + 1e-13)
            }
        }
        return (peaks.count, pricing.sides.count)
    }

    /// `steepestEdge` keeps the largest side first and orders the others by (|η(w)| − 1)/‖σ(X w)‖ with η and the
    /// activations evaluated from their definitions at the returned extreme points, which are unit vectors where
    /// |η| is the side's value; it keeps every side (the enumeration has an extreme point for each), and the order
    /// differs from the order by value on these duals (else the test could not tell them apart).
    @Test func steepestEdgeOrdersByViolationPerNorm() throws {
        var reordered = 0
        for seed in 1...6 as ClosedRange<UInt64> {
            var rng = SeededRandom(seed: seed)
            let points = lift((0..<25).map { _ in [rng.gaussian(), rng.gaussian()] })
            let pricer = EnumeratedPricer(arrangement: try Arrangement.enumerate(points))
            let p = CertificateSearchTests.randomDual(n: 25, seed: seed)
            // η = 1 at a third of the largest |Σ p_j σ|: many violated sides.
            let threshold = pricer.price(dual: p, threshold: 0, keep: nil, progress: nil).maxValue / 3
            let pricing = pricer.price(dual: p, threshold: threshold, keep: nil, progress: nil)
            let ordered = pricer.steepestEdge(pricing.sides, in: pricing, threshold: threshold)
            try #require(pricing.sides.count > 2)
            #expect(ordered.count == pricing.sides.count && ordered.first?.side == pricing.sides.first)
            var scores: [Double] = []
            for (side, w) in ordered {
                let eta = Double(side.sign) * CertificateSearchTests.certificate(points, p, w)
                #expect(CertificateSearchTests.close(eta, side.value, 1e-10) && abs(norm(w[...]) - 1) < 1e-12)
                let activations = (0..<points.count).map { max(0, dotProduct(w[...], points[point: $0])) }
                scores.append((eta - threshold) / norm(activations[...]))
            }
            let rest = scores.dropFirst()
            #expect(zip(rest, rest.dropFirst()).allSatisfy { $0 >= $1 - 1e-12 * abs($0) })
            if ordered.map(\.side) != pricing.sides { reordered += 1 }
        }
        #expect(reordered > 0)
    }
}
