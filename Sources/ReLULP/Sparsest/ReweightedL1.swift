import Foundation
import LinearProgramming

/// The ℓp heuristic of Nakhleh and Nowak: the least-total-variation interpolation LP over the ray columns, then
/// the same LP with weights `1/(|a_i| + ε)^(1−p)` on the amplitudes, re-solved until the neuron count stops
/// falling (docs/mathematics.md, "The sparsest interpolant"). Amplitudes `a_i` are on the scaled outputs
/// `g_i / scale_i` of `RayColumns`, for labels scaled to `max |y| = 1`.
struct ReweightedL1 {
    let columns: RayColumns
    let labels: [Double]
    let backend: LPBackend

    /// One solve's amplitudes and the neurons of their greedy cover.
    struct Solution {
        var amplitudes: [Double]
        var cover: [(region: Int, positive: Bool, columns: [Int])]
        var count: Int { cover.count }
    }

    /// Minimises `Σ_i weight_i |a_i|` subject to the fit; nil when no combination of the columns fits.
    func solve(weights: [Double]) throws(SparsestError) -> Solution? {
        var lpColumns: [LPColumn] = []
        lpColumns.reserveCapacity(2 * columns.count)
        for i in 0..<columns.count {
            let (rows, values) = columns.outputs[i]
            lpColumns.append(LPColumn(cost: weights[i], rows: rows, values: values))
            lpColumns.append(LPColumn(cost: weights[i], rows: rows, values: values.map { -$0 }))
        }
        let solver = backend.makeSolver(options: LPOptions())
        let result: LPResult
        do {
            try solver.load(LinearProgram(equalityRows: labels, columns: lpColumns))
            result = try solver.solve()
        } catch { throw .solver("the interpolation LP was refused: \(error)") }
        switch result.status {
        case .optimal: break
        case .infeasible: return nil
        default: throw .solver("the interpolation LP ended \(result.status)")
        }
        let amplitudes = (0..<columns.count).map { i in
            let a = result.primal[2 * i] - result.primal[2 * i + 1]
            return abs(a) > 1e-9 ? a : 0
        }
        return Solution(amplitudes: amplitudes, cover: columns.cover(amplitudes))
    }

    /// The least-TV solution (weights `1/scale_i`: the total variation of unit-weight neurons) and the sparsest
    /// reweighted one; nil when the labels cannot be fitted.
    func run(exponent p: Double, rounds: Int, deadline: Deadline) throws(SparsestError)
        -> (leastTV: Solution, best: Solution)?
    {
        let tv = columns.scale.map { 1 / $0 }
        guard let leastTV = try solve(weights: tv) else { return nil }
        var best = leastTV
        var current = leastTV
        var stalls = 0
        for _ in 0..<rounds {
            if deadline.expired { break }
            // |a_i| of unit-weight neurons: the amplitude on g_i / scale_i divided by scale_i.
            let magnitude = (0..<columns.count).map { abs(current.amplitudes[$0]) / columns.scale[$0] }
            let epsilon = 1e-3 * max(magnitude.max() ?? 0, 1e-12)
            let weights = (0..<columns.count).map { tv[$0] / pow(magnitude[$0] + epsilon, 1 - p) }
            guard let next = try solve(weights: weights) else { break }
            // Stop once the count has not fallen for two rounds (the support stopped shrinking).
            stalls = next.count < best.count ? 0 : stalls + 1
            if next.count < best.count { best = next }
            current = next
            if stalls >= 2 { break }
        }
        return (leastTV, best)
    }
}
