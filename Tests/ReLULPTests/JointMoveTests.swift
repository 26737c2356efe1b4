import Foundation
import ReLULP
import TestSupport
import Testing

/// The joint move of all atoms (`JointMove`, docs/mathematics.md §4b) against the objective's definition and a
/// hand-derived optimum, and training with it against the certified optima of Tests/Fixtures/expected.json.
@Suite struct JointMoveTests {
    /// (P)'s objective `(1/n) Σ ℓ(y_j − f(x_j)) + λ Σ |a_i|` of `atoms` with their true activations.
    static func objective(_ atoms: [DiracAtom], _ points: LiftedData, _ y: [Double], _ loss: Loss, _ lambda: Double)
        -> Double
    {
        let measure = DiracMeasure(dimension: points.dimension, atoms: atoms)
        return loss.value(outputs: measure.values(at: points), targets: y) + lambda * measure.totalVariation
    }

    /// From random networks on random data, every loss: the moved network never scores above the start, its
    /// reported objective (in the master's scaling, divided by λ) is the one of its atoms with their true
    /// activations, and its dual lies in the loss's box. Some moves must gain (else the test would pass on a move
    /// that never moves).
    @Test(arguments: [Loss.l1, .squared, .hinge])
    func neverIncreasesTheObjective(loss: Loss) throws {
        var gained = 0
        for seed in UInt64(1)...6 {
            var rng = SeededRandom(seed: 31 * seed)
            let n = 30
            let points = lift((0..<n).map { _ in [rng.gaussian(), rng.gaussian()] })
            let y = (0..<n).map { _ in loss == .hinge ? (rng.gaussian() > 0 ? 1.0 : -1.0) : rng.gaussian() }
            let lambda = seed.isMultiple(of: 2) ? 1e-2 : 1e-4
            let c = 1 / (Double(n) * lambda)
            let network = (0..<5).map { _ in
                let w = [rng.gaussian(), rng.gaussian(), rng.gaussian()]
                let length = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return DiracAtom(amplitude: rng.gaussian(), weights: w.map { $0 / length })
            }
            let start = Self.objective(network, points, y, loss, lambda)
            let f = DiracMeasure(dimension: 3, atoms: network).values(at: points)
            let dual = (0..<n).map { c * (y[$0] - f[$0] > 0 ? 1.0 : -1.0) }
            guard
                let moved = JointMove(points: points, targets: y, loss: loss).move(
                    network: network, dual: dual, residualCost: c)
            else { continue }
            let after = Self.objective(moved.atoms, points, y, loss, lambda)
            #expect(after <= start * (1 + 1e-12), "\(loss) seed \(seed): \(start) → \(after)")
            #expect(abs(lambda * moved.objective - after) <= 1e-9 * max(1, after), "\(loss) seed \(seed)")
            if after < start * (1 - 1e-6) { gained += 1 }
            let outputs = DiracMeasure(dimension: 3, atoms: moved.atoms).values(at: points)
            for (j, u) in moved.dual.enumerated() {
                switch loss {
                case .l1: #expect(abs(u) <= c * (1 + 1e-12))
                case .hinge: #expect(u * y[j] >= 0 && abs(u) <= c * (1 + 1e-12))
                case .squared: #expect(abs(u - c * (y[j] - outputs[j])) <= 1e-9 * c * max(1, abs(y[j])))
                }
            }
        }
        #expect(gained >= 3, "\(loss): only \(gained) of 6 moves gained")
    }

    /// Two points on the axes of the plane (no bias), labels 1, λ = 0.1, one atom on the ray (1, 0). The region
    /// activating both points is the quadrant, whose rays are the axes; with the pattern fixed (the point (0, 1)
    /// on the atom's hyperplane joins its active side, since its residual is positive) the optimum is the
    /// interior atom at (1, 1)/√2: for the squared loss `¼ Σ (1 − m_i)² + λ‖m‖` is least at `m_i = 1 − √2 λ`
    /// (amplitude √2 − 2λ), for the L1 loss `½ Σ |1 − m_i| + λ‖m‖` at `m_i = 1` (amplitude √2, objective √2 λ,
    /// against 2λ for the two ray atoms the LP would mix).
    @Test(arguments: [Loss.squared, .l1])
    func findsTheInteriorAtom(loss: Loss) throws {
        let points = lift([[1, 0], [0, 1]], bias: false)
        let lambda = 0.1
        let c = 1 / (2 * lambda)
        let start = [DiracAtom(amplitude: 1, weights: [1, 0])]
        let dual = [0, c]  // residuals 0 and 1
        let moved = try #require(
            JointMove(points: points, targets: [1, 1], loss: loss).move(network: start, dual: dual, residualCost: c))
        let atom = try #require(moved.atoms.count == 1 ? moved.atoms[0] : nil)
        let amplitude = loss == .squared ? 2.0.squareRoot() - 2 * lambda : 2.0.squareRoot()
        let tolerance = loss == .squared ? 1e-8 : 1e-5
        #expect(abs(atom.amplitude - amplitude) <= tolerance, "amplitude \(atom.amplitude), expected \(amplitude)")
        for t in atom.weights { #expect(abs(t - 0.5.squareRoot()) <= tolerance, "direction \(atom.weights)") }
        let optimum =
            loss == .squared
            ? 0.25 * 2 * (2 * lambda * lambda) + lambda * amplitude : lambda * amplitude
        #expect(abs(lambda * moved.objective - optimum) <= tolerance * optimum, "objective \(lambda * moved.objective)")
    }

    /// Training with the joint move and without Newton (so that the move's columns and dual carry the tail) and
    /// with both: the certified optima of Tests/Fixtures/expected.json, lower bounds below them.
    @Test(arguments: [false, true])
    func certifiesTheFixtures(newton: Bool) throws {
        for e in try Fixtures.expected() {
            let trainer = try ExactTrainer(data: Fixtures.dataset(e.file), bias: e.bias)
            var options = TrainingOptions(lambda: e.lam)
            options.jointMove = true
            options.newtonPolish = newton
            let result = try trainer.train(options)
            #expect(result.status == .optimal, "\(e.file) λ=\(e.lam)")
            #expect(
                abs(result.objective - e.optimum_upper) <= 1e-7 * e.optimum_upper,
                "\(e.file) λ=\(e.lam): \(result.objective)")
            #expect(result.lowerBound <= e.optimum_upper + 1e-12, "\(e.file) λ=\(e.lam)")
        }
    }

    /// The L1 and squared losses on a small teacher at a small λ: with and without the move, both certified at one optimum,
    /// each lower bound below the other's objective.
    @Test(arguments: [Loss.l1, .squared])
    func agreesWithoutTheMove(loss: Loss) throws {
        let data = try Fixtures.teacher(n: 30, m: 2, neurons: 3, noise: 0.05, seed: 5)
        let trainer = try ExactTrainer(data: data)
        var options = TrainingOptions(lambda: 1e-3)
        options.loss = loss
        options.jointMove = true
        var plain = options
        plain.jointMove = false
        let with = try trainer.train(options)
        let without = try trainer.train(plain)
        #expect(with.status == .optimal && without.status == .optimal, "\(loss)")
        #expect(abs(with.objective - without.objective) <= 1e-7 * max(1, without.objective), "\(loss)")
        #expect(
            with.lowerBound <= without.objective * (1 + 1e-12) && without.lowerBound <= with.objective * (1 + 1e-12))
    }
}
