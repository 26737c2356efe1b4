import Foundation

/// The dual certificate of a solution: the dual vector `p` (|p_j| ≤ 1/n) and the largest |η| over the sphere.
public struct Certificate: Sendable, Equatable, Codable {
    public var dual: [Double]
    public var maxAbsEta: Double
}

/// A solved instance of (P): the measure (a sparse network), its objective recomputed from the atoms, the
/// certified lower bound and the dual certificate behind it.
public struct TrainingResult: Sendable {
    public var measure: DiracMeasure
    /// `loss + λ · totalVariation`, recomputed from the final atoms.
    public var objective: Double
    public var loss: Double
    public var totalVariation: Double
    /// A lower bound on the optimum of (P) over all measures (mathematics.md §4, step 2).
    public var lowerBound: Double
    /// `(objective − lowerBound) / max(1, |objective|)`.
    public var gap: Double
    public var status: TrainingStatus
    public var certificate: Certificate
    public var lambda: Double
    public var method: TrainingMethod
    public var backend: LPBackend
    public var rounds: Int
    public var columns: Int
    public var regions: Int
    public var seconds: Double
}

/// Trains an infinite-width shallow ReLU network exactly: (P) with the L1 loss, solved by column generation over
/// the dual regions of the data (mathematics.md §4). Build once per data set (this enumerates the regions),
/// then `train` for any λ.
public struct ExactTrainer: Sendable {
    public let points: LiftedData
    public let labels: [Double]
    public let arrangement: Arrangement

    /// Lifts the data (bias by default) and enumerates its dual regions, refusing above `maxRegions`.
    public init(data: Dataset, bias: Bool = true, maxRegions: Int = Arrangement.defaultMaxRegions) throws(TrainingError) {
        let points = data.lifted(bias: bias)
        do {
            self.init(points: points, labels: data.labels, arrangement: try Arrangement.enumerate(points, maxRegions: maxRegions))
        } catch {
            throw .arrangement(error)
        }
    }

    public init(points: LiftedData, labels: [Double], arrangement: Arrangement) {
        self.points = points
        self.labels = labels
        self.arrangement = arrangement
    }

    /// The activation column `(σ(⟨w, x̃_j⟩))_j` of a neuron, sparse.
    func activations(_ w: [Double]) -> (rows: [Int], values: [Double]) {
        var rows: [Int] = [], values: [Double] = []
        for j in 0..<points.count {
            let t = dot(w, points[point: j])
            if t > 0 { rows.append(j); values.append(t) }
        }
        return (rows, values)
    }

    /// Solves (P) for `options.lambda` to the relative gap `options.tolerance`.
    public func train(_ options: TrainingOptions) throws(TrainingError) -> TrainingResult {
        try options.validate()
        let start = Date()
        let n = points.count
        let d = points.dimension
        let lambda = options.lambda
        // η may exceed 1 by about the dual tolerance at the LP's optimum, and the gap is about that excess.
        let solver = options.backend.makeSolver(options: LPOptions(
            primalTolerance: 1e-9, dualTolerance: min(1e-9, max(1e-13, 0.05 * options.tolerance))))

        // Master LP: rows Σ_k (a⁺_k − a⁻_k) σ_k + r⁺ − r⁻ = y; residual columns first. The objective is divided
        // by λ so that a neuron costs 1 and its reduced cost is 1 − η(w): the LP's dual tolerance then bounds
        // the certificate's excess over 1 directly, whatever λ is. The row duals are p/λ.
        var columns: [LPColumn] = []
        let residualCost = 1 / (Double(n) * lambda)
        for j in 0..<n {
            columns.append(LPColumn(cost: residualCost, rows: [j], values: [1]))
            columns.append(LPColumn(cost: residualCost, rows: [j], values: [-1]))
        }
        var atoms: [(weights: [Double], sign: Double)] = []
        func neuronColumn(_ w: [Double], sign: Double) -> LPColumn {
            let a = activations(w)
            return LPColumn(cost: 1, rows: a.rows, values: a.values.map { sign * $0 })
        }
        if options.method == .vertices {
            for r in 0..<arrangement.numberOfRays {
                let w = Array(arrangement.rays[(r * d)..<(r * d + d)])
                for sign in [1.0, -1.0] {
                    atoms.append((w, sign))
                    columns.append(neuronColumn(w, sign: sign))
                }
            }
        }
        do { try solver.load(LinearProgram(equalityRows: labels, columns: columns)) } catch { throw .lp(error) }

        let perRound = options.columnsPerRound ?? max(20, n)
        var bestLower = -Double.infinity
        var bestDual: [Double]? = nil
        var bestMax = Double.infinity
        var round = 0
        var status = TrainingStatus.roundLimit
        var result: LPResult
        var upper = Double.infinity
        var lastProgress = (round: 0, upper: Double.infinity, lower: -Double.infinity)
        while true {
            round += 1
            result = solver.solve()
            guard result.status == .optimal else {
                throw .solverFailed(status: result.status, round: round, backend: options.backend)
            }
            upper = lambda * result.objective
            // Dual feasibility |p_j| ≤ 1/n must hold exactly for the bound to be valid.
            let p = result.rowDuals.map { min(max(lambda * $0, -1 / Double(n)), 1 / Double(n)) }
            var pricingPoints = [p]
            if options.smoothing > 0, let pBest = bestDual {
                let a = options.smoothing
                pricingPoints.append(zip(pBest, p).map { a * $0 + (1 - a) * $1 })
            }
            var candidates: [(extreme: CertificateScan.Extreme, dual: Int)] = []
            var scans: [CertificateScan] = []
            for (index, q) in pricingPoints.enumerated() {
                let scan = arrangement.scanCertificate(dual: q, threshold: lambda * (1 - 1e-3))
                let m = scan.maxValue
                let bound = min(1, lambda / max(m, .leastNonzeroMagnitude)) * zip(q, labels).reduce(0) { $0 + $1.0 * $1.1 }
                if bound > bestLower { bestLower = bound; bestDual = q; bestMax = m }
                candidates += scan.extremes.filter { $0.value > lambda * (1 + 1e-12) }.map { ($0, index) }
                scans.append(scan)
            }
            let gap = (upper - bestLower) / max(1, abs(upper))
            let elapsed = Date().timeIntervalSince(start)
            options.progress?(TrainingProgress(round: round, columns: atoms.count, upperBound: upper, lowerBound: bestLower,
                                               gap: gap, maxAbsEta: scans[0].maxValue / lambda, seconds: elapsed))
            if gap <= options.tolerance { status = options.method == .vertices ? .upperBound : .optimal; break }
            if options.method == .vertices { status = .upperBound; break }
            if round >= options.maxRounds { status = .roundLimit; break }
            if let limit = options.timeLimit, elapsed >= limit { status = .timeLimit; break }
            if candidates.isEmpty { status = .stalled; break }
            // Neither bound moved for 20 rounds: the LP no longer takes the priced neurons (numerical trouble).
            if upper < lastProgress.upper || bestLower > lastProgress.lower {
                lastProgress = (round, upper, bestLower)
            } else if round - lastProgress.round >= 20 {
                status = .stalled; break
            }

            // The most violating region sides of each pricing point become new neurons.
            var fresh: [LPColumn] = []
            var seen = Set<Int>()
            for index in pricingPoints.indices {
                let chosen = candidates.filter { $0.dual == index }.sorted { $0.extreme.value > $1.extreme.value }.prefix(perRound)
                guard !chosen.isEmpty else { continue }
                let vectors = arrangement.regionVectors(dual: pricingPoints[index])
                for c in chosen {
                    let key = 2 * c.extreme.region + (c.extreme.sign > 0 ? 0 : 1)
                    guard index == 0 || !seen.contains(key) else { continue }
                    seen.insert(key)
                    let k = c.extreme.region
                    guard let w = arrangement.extremePoint(region: k, sign: c.extreme.sign,
                                                           regionVector: vectors[(k * d)..<(k * d + d)]) else { continue }
                    let sign = Double(c.extreme.sign)
                    atoms.append((w, sign))
                    fresh.append(neuronColumn(w, sign: sign))
                }
            }
            if fresh.isEmpty { status = .stalled; break }
            do { try solver.addColumns(fresh) } catch { throw .lp(error) }
        }

        // The LP's neurons as a measure, merged per region (mathematics.md §4, post-processing).
        var raw: [DiracAtom] = []
        for (k, atom) in atoms.enumerated() {
            let amplitude = result.primal[2 * n + k]
            if amplitude > 0 { raw.append(DiracAtom(amplitude: atom.sign * amplitude, weights: atom.weights)) }
        }
        let measure = DiracMeasure(dimension: d, atoms: raw).merged(over: points)
        let loss = measure.meanAbsoluteError(points: points, labels: labels)
        let tv = measure.totalVariation
        let objective = loss + lambda * tv
        let gap = (objective - bestLower) / max(1, abs(objective))
        if status == .optimal && gap > options.tolerance { status = .stalled }
        return TrainingResult(
            measure: measure, objective: objective, loss: loss, totalVariation: tv, lowerBound: bestLower, gap: gap,
            status: status, certificate: Certificate(dual: bestDual ?? [], maxAbsEta: bestMax / lambda),
            lambda: lambda, method: options.method, backend: options.backend, rounds: round, columns: atoms.count,
            regions: arrangement.numberOfRegions, seconds: Date().timeIntervalSince(start))
    }
}
