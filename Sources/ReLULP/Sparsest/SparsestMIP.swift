import LinearProgramming

/// The MIP of the sparsest interpolant (docs/mathematics.md, "The sparsest interpolant"): per kept region k and
/// sign s a binary `z_ks` (cost 1) and the non-negative coefficients `μ_ksi ≤ M` of its rays' scaled outputs; the
/// fit rows `Σ_k,s s Σ_i μ_ksi g_i/scale_i = y`; the links `Σ_i μ_ksi − M z_ks ≤ 0`. Labels scaled to max |y| = 1.
struct SparsestMIP {
    let columns: RayColumns
    let labels: [Double]
    /// M: the bound on one neuron's coefficient sum.
    let outputBound: Double

    /// Where the variables of pair (k, s) start: its binary, then one coefficient per ray of region k.
    private var offsets: [Int] {
        var result: [Int] = []
        var next = 0
        for columnsOfRegion in columns.regions {
            for _ in 0..<2 {
                result.append(next)
                next += 1 + columnsOfRegion.count
            }
        }
        result.append(next)
        return result
    }

    /// The pair index of region k with sign `positive`.
    static func pair(region k: Int, positive: Bool) -> Int { 2 * k + (positive ? 0 : 1) }

    var program: MixedIntegerProgram {
        let n = labels.count
        var lpColumns: [LPColumn] = []
        var integer: [Bool] = []
        for (k, columnsOfRegion) in columns.regions.enumerated() {
            for positive in [true, false] {
                let link = n + Self.pair(region: k, positive: positive)
                lpColumns.append(LPColumn(cost: 1, lower: 0, upper: 1, rows: [link], values: [-outputBound]))
                integer.append(true)
                for i in columnsOfRegion {
                    let (points, values) = columns.outputs[i]
                    lpColumns.append(
                        LPColumn(
                            cost: 0, lower: 0, upper: outputBound, rows: points + [link],
                            values: values.map { positive ? $0 : -$0 } + [1]))
                    integer.append(false)
                }
            }
        }
        let pairs = 2 * columns.regions.count
        let lp = LinearProgram(
            rowLower: labels + [Double](repeating: -.infinity, count: pairs),
            rowUpper: labels + [Double](repeating: 0, count: pairs), columns: lpColumns)
        return MixedIntegerProgram(linear: lp, integer: integer)
    }

    /// The MIP point of a heuristic solution: its cover's pairs switched on with their columns' amplitudes.
    func start(from solution: ReweightedL1.Solution) -> [Double] {
        let offsets = offsets
        var x = [Double](repeating: 0, count: offsets[offsets.count - 1])
        for (k, positive, taken) in solution.cover {
            let first = offsets[Self.pair(region: k, positive: positive)]
            x[first] = 1
            for i in taken {
                guard let position = columns.regions[k].firstIndex(of: i) else { continue }
                x[first + 1 + position] = abs(solution.amplitudes[i])
            }
        }
        return x
    }

    /// The pairs switched on in a MIP point, with their non-zero coefficients (column, μ).
    func pairs(in x: [Double]) -> [(region: Int, positive: Bool, coefficients: [(column: Int, mu: Double)])] {
        let offsets = offsets
        var result: [(region: Int, positive: Bool, coefficients: [(column: Int, mu: Double)])] = []
        for (k, columnsOfRegion) in columns.regions.enumerated() {
            for positive in [true, false] {
                let first = offsets[Self.pair(region: k, positive: positive)]
                guard x[first] > 0.5 else { continue }
                let coefficients = columnsOfRegion.enumerated().compactMap { position, i in
                    x[first + 1 + position] > 0 ? (column: i, mu: x[first + 1 + position]) : nil
                }
                result.append((k, positive, coefficients))
            }
        }
        return result
    }

    /// The largest coefficient sum of one pair in a heuristic solution (M must not cut it off).
    static func largestPairSum(_ solution: ReweightedL1.Solution) -> Double {
        solution.cover.reduce(0.0) { best, pair in
            max(best, pair.columns.reduce(0) { $0 + abs(solution.amplitudes[$1]) })
        }
    }
}
