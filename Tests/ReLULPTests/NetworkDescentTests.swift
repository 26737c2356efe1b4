import Foundation
import ReLULP
import TestSupport
import Testing

/// The final descent of an anytime run's network (`NetworkDescent`, docs/mathematics.md §11, "The final descent")
/// against the objective recomputed here from its atoms and the certified optimum.
@Suite struct NetworkDescentTests {
    /// `(1/n) Σ v_j ℓ(y_j, f(x_j)) + λ Σ |a_i|` by hand, `f(x) = Σ a_i max(0, ⟨w_i, (x, 1)⟩)` (+ an intercept b).
    static func objective(
        _ atoms: [DiracAtom], points: LiftedData, labels: [Double], loss: Loss, lambda: Double, intercept b: Double = 0
    ) -> Double {
        var sum = 0.0
        for j in 0..<points.count {
            let x = points[point: j]
            let f =
                b
                + atoms.reduce(0.0) { f, atom in
                    f + atom.amplitude * max(0, zip(atom.weights, x).reduce(0.0) { $0 + $1.0 * $1.1 })
                }
            let y = labels[j]
            switch loss {
            case .l1: sum += abs(y - f)
            case .squared: sum += 0.5 * (y - f) * (y - f)
            case .hinge: sum += max(0, 1 - y * f)
            }
        }
        return sum / Double(points.count) + lambda * atoms.reduce(0.0) { $0 + abs($1.amplitude) }
    }

    /// Three losses, 40 points in 3 dimensions: from the certified optimum's atoms with their amplitudes shrunk to
    /// 70 % and their directions tilted, the descent lowers the objective (recomputed here from the atoms it
    /// returns, equal to the one it reports), and never below the optimum; from the optimum itself it finds nothing
    /// more than rounding below it.
    @Test(arguments: [Loss.l1, .squared, .hinge])
    func theDescentLowersAPerturbedNetwork(loss: Loss) throws {
        var data = try Fixtures.teacher(n: 40, m: 3, neurons: 3, noise: 0.1, seed: 5)
        if loss == .hinge { data.labels = data.labels.map { $0 > 0.3 ? 1 : -1 } }
        let lambda = 0.02
        let optimum = try ExactTrainer(data: data).train(TrainingOptions(lambda: lambda, loss: loss))
        try #require(optimum.status == .optimal && !optimum.measure.atoms.isEmpty)
        let points = data.lifted(bias: true)
        let descent = NetworkDescent(points: points, targets: data.labels, loss: loss, lambda: lambda)
        let start = optimum.measure.atoms.enumerated().map { i, atom in
            var w = atom.weights
            w[i % w.count] += 0.2
            let length = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return DiracAtom(amplitude: 0.7 * atom.amplitude, weights: w.map { $0 / length })
        }
        let before = Self.objective(start, points: points, labels: data.labels, loss: loss, lambda: lambda)
        let moved = try #require(descent.descend(start), "\(loss): no step lowered \(before)")
        let after = Self.objective(moved.atoms, points: points, labels: data.labels, loss: loss, lambda: lambda)
        #expect(abs(after - moved.objective) <= 1e-9 * after, "\(loss): reported \(moved.objective), by hand \(after)")
        #expect(after < before, "\(loss): \(before) → \(after)")
        #expect(after >= optimum.objective * (1 - 1e-9), "\(loss): \(after) below the optimum \(optimum.objective)")
        if let polished = descent.descend(optimum.measure.atoms) {
            #expect(polished.objective >= optimum.objective * (1 - 1e-9), "\(loss): \(polished.objective)")
        }
    }

    /// With an intercept the descent takes the best intercept of its outputs: its objective is the one recomputed
    /// with that intercept (`Loss.bestIntercept`), and a stop before the first step returns nothing.
    @Test func theInterceptIsTheBestOneAndAStopEndsAtOnce() throws {
        let data = try Fixtures.teacher(n: 30, m: 2, neurons: 2, noise: 0.1, seed: 7)
        let points = data.lifted(bias: true)
        let lambda = 0.01
        let descent = NetworkDescent(
            points: points, targets: data.labels, loss: .squared, intercept: true, lambda: lambda)
        let start = [
            DiracAtom(amplitude: 0.5, weights: [0.6, 0.8, 0]), DiracAtom(amplitude: -0.3, weights: [0, 0.6, -0.8]),
        ]
        let moved = try #require(descent.descend(start))
        let outputs = DiracMeasure(dimension: points.dimension, atoms: moved.atoms).values(at: points)
        let b = Loss.squared.bestIntercept(outputs: outputs, targets: data.labels)
        let byHand = Self.objective(
            moved.atoms, points: points, labels: data.labels, loss: .squared, lambda: lambda, intercept: b)
        #expect(abs(byHand - moved.objective) <= 1e-9 * byHand, "\(moved.objective) against \(byHand)")
        let before = Self.objective(
            start, points: points, labels: data.labels, loss: .squared, lambda: lambda,
            intercept: Loss.squared.bestIntercept(
                outputs: DiracMeasure(dimension: points.dimension, atoms: start).values(at: points),
                targets: data.labels))
        #expect(byHand < before)
        #expect(descent.descend(start, stop: { true }) == nil)
    }
}
