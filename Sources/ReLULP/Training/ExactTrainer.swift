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
    /// The enumerated dual regions; nil when pricing is left to the branch and bound (`PricingMode`).
    public let arrangement: Arrangement?
    /// The branch-and-bound pricing over the same points.
    public let search: CertificateSearch

    /// Lifts the data (bias by default) and enumerates its dual regions unless `pricing` leaves them to the
    /// branch and bound; enumeration refuses above `maxRegions`.
    public init(data: Dataset, bias: Bool = true, maxRegions: Int = Arrangement.defaultMaxRegions,
                pricing: PricingMode = .enumerate) throws(TrainingError) {
        let points = data.lifted(bias: bias)
        guard pricing.enumerates(points: points.count, dimension: points.dimension) else {
            self.init(points: points, labels: data.labels, arrangement: nil)
            return
        }
        do {
            self.init(points: points, labels: data.labels, arrangement: try Arrangement.enumerate(points, maxRegions: maxRegions))
        } catch {
            throw .arrangement(error)
        }
    }

    public init(points: LiftedData, labels: [Double], arrangement: Arrangement?) {
        self.points = points
        self.labels = labels
        self.arrangement = arrangement
        search = CertificateSearch(points: points)
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

    /// Solves (P) for `options.lambda` (or, with `options.interpolate`, the minimal-total-variation interpolation
    /// of the labels) to the relative gap `options.tolerance`.
    public func train(_ options: TrainingOptions) throws(TrainingError) -> TrainingResult {
        try options.validate()
        try checkPricing(options)
        var master = try MasterProblem(trainer: self, options: options)
        return try master.solve(objective: options.interpolate ? .interpolation : .regularized(options.lambda))
    }

    /// A regularisation path: (P) for every λ in `lambdas` (solved in decreasing order, returned in the given
    /// order), each to a certified gap. One master LP serves all of them: the neurons found for one λ stay,
    /// only the residual costs change, and every solve starts from the previous basis.
    public func path(lambdas: [Double], options: TrainingOptions) throws(TrainingError) -> [TrainingResult] {
        guard !lambdas.isEmpty else { throw .invalidOption("the list of λ values is empty") }
        try checkPricing(options)
        for lambda in lambdas {
            var single = options
            single.lambda = lambda
            try single.validate()
        }
        var master = try MasterProblem(trainer: self, options: options)
        var results = [TrainingResult?](repeating: nil, count: lambdas.count)
        for index in lambdas.indices.sorted(by: { lambdas[$0] > lambdas[$1] }) {
            // Neurons out of the last solution and off the last certificate's extremes (η < 0.99) are dropped:
            // the master LP stays small along the path (its re-solves dominate the time), and pricing is exact,
            // so a dropped neuron that is needed again comes back (benchmarks/RESULTS.md, "Regularisation path").
            try master.prune(belowEta: 0.99)
            results[index] = try master.solve(objective: .regularized(lambdas[index]))
        }
        return results.map { $0! }
    }
}

extension ExactTrainer {
    /// Whether the rounds are priced by the branch and bound: asked for, or `.auto` without enumerated regions.
    func searches(_ options: TrainingOptions) -> Bool {
        options.pricing == .branchAndBound || (options.pricing == .auto && arrangement == nil)
    }

    /// Enumerated pricing and the vertex LP need the regions.
    func checkPricing(_ options: TrainingOptions) throws(TrainingError) {
        guard arrangement == nil else { return }
        if options.pricing == .enumerate {
            throw .invalidOption("pricing by enumeration needs the dual regions; build the trainer with pricing: .enumerate")
        }
        if options.method == .vertices {
            throw .invalidOption("--method vertices needs the dual regions (their extreme rays); use --pricing enumerate")
        }
    }
}

/// What the master LP minimises.
enum TrainingObjective: Equatable {
    /// (P): `(1/n) Σ |r_j| + λ ‖μ‖_TV`.
    case regularized(Double)
    /// The noise-free limit: `‖μ‖_TV` subject to `f_μ(x_j) = y_j` for every j.
    case interpolation
}

/// The master LP of the column generation (mathematics.md §4) and the state that survives between solves.
///
/// Rows: `Σ_k (a⁺_k − a⁻_k) σ(⟨w_k, x̃_j⟩) + r⁺_j − r⁻_j = y_j`. The objective is scaled so that every neuron
/// costs 1: then a neuron's reduced cost is `1 − η(w)` and the LP's dual tolerance bounds the certificate's
/// excess over 1 whatever λ is. The residuals cost `1/(nλ)` for (P), and a penalty `C` for the interpolation,
/// raised until no residual is left (an exact penalty once `C` exceeds the optimal dual's largest entry).
struct MasterProblem {
    let trainer: ExactTrainer
    let options: TrainingOptions
    let solver: any LPSolver
    /// The neurons of the LP's columns after the 2n residual columns.
    var atoms: [(weights: [Double], sign: Double)] = []
    var rounds = 0
    /// The last optimal LP solution, for pruning between solves.
    var last: LPResult? = nil

    init(trainer: ExactTrainer, options: TrainingOptions) throws(TrainingError) {
        self.trainer = trainer
        self.options = options
        // η may exceed 1 by about the dual tolerance at the LP's optimum, and the gap is about that excess.
        // The interpolation's duals can be large (thousands on clustered points), so its rows need a tighter
        // primal tolerance for the fit and the total variation to be accurate to ~1e-9.
        solver = options.backend.makeSolver(options: LPOptions(
            primalTolerance: options.interpolate ? 1e-12 : 1e-9, dualTolerance: min(1e-9, max(1e-10, 0.05 * options.tolerance))))
        let n = trainer.points.count
        let d = trainer.points.dimension
        var columns: [LPColumn] = []
        for j in 0..<n {
            columns.append(LPColumn(cost: 1, rows: [j], values: [1]))
            columns.append(LPColumn(cost: 1, rows: [j], values: [-1]))
        }
        if options.method == .vertices {
            let arrangement = trainer.arrangement!  // checkPricing
            for r in 0..<arrangement.numberOfRays {
                let w = Array(arrangement.rays[(r * d)..<(r * d + d)])
                for sign in [1.0, -1.0] {
                    atoms.append((w, sign))
                    columns.append(Self.column(trainer, w, sign: sign))
                }
            }
        }
        do { try solver.load(LinearProgram(equalityRows: trainer.labels, columns: columns)) } catch { throw .lp(error) }
    }

    static func column(_ trainer: ExactTrainer, _ w: [Double], sign: Double) -> LPColumn {
        let a = trainer.activations(w)
        return LPColumn(cost: 1, rows: a.rows, values: a.values.map { sign * $0 })
    }

    func setResidualCost(_ cost: Double) throws(TrainingError) {
        let n = trainer.points.count
        do { try solver.setCosts([Double](repeating: cost, count: 2 * n), columns: Array(0..<(2 * n))) } catch {
            throw .lp(error)
        }
    }

    /// Removes the neurons that are out of the last solution (zero amplitude) with certificate value below
    /// `belowEta` (reduced cost 1 − η above 1 − belowEta); nonbasic columns, so the basis stays valid.
    mutating func prune(belowEta threshold: Double) throws(TrainingError) {
        guard let last, options.method == .columnGeneration else { return }
        let n = trainer.points.count
        let drop = atoms.indices.filter { last.primal[2 * n + $0] == 0 && last.reducedCosts[2 * n + $0] > 1 - threshold }
        guard !drop.isEmpty else { return }
        do { try solver.removeColumns(drop.map { 2 * n + $0 }) } catch { throw .lp(error) }
        let removed = Set(drop)
        atoms = atoms.indices.filter { !removed.contains($0) }.map { atoms[$0] }
        self.last = nil
    }

    /// Column generation to a certified gap for one objective, continuing from the current columns and basis.
    mutating func solve(objective: TrainingObjective) throws(TrainingError) -> TrainingResult {
        let start = Date()
        let points = trainer.points, labels = trainer.labels
        let n = points.count
        let d = points.dimension
        let interpolating = objective == .interpolation
        let lambda: Double
        var residualCost: Double
        switch objective {
        case .regularized(let l): lambda = l; residualCost = 1 / (Double(n) * l)
        case .interpolation:
            lambda = 1
            // A penalty large against any dual entry a modest fit needs; raised below while residuals remain.
            residualCost = 1e3 * Double(n)
        }
        try setResidualCost(residualCost)
        let labelScale = max(labels.map(abs).max() ?? 0, 1e-300)
        /// The objective of a network recomputed from its atoms; for the interpolation its total variation, an
        /// upper bound once the network fits.
        func score(_ atoms: [DiracAtom]) -> Double {
            let measure = DiracMeasure(dimension: d, atoms: atoms)
            return interpolating ? measure.totalVariation
                : measure.meanAbsoluteError(points: points, labels: labels) + lambda * measure.totalVariation
        }
        let perRound = options.columnsPerRound ?? max(20, min(n, 200))
        let firstRound = rounds
        let newton = FaceNewton(points: points, labels: labels)
        var bestLower = -Double.infinity
        var bestDual: [Double]? = nil
        var bestMax = Double.infinity
        // The certificate reported: a dual of the last round that certifies the gap by itself together with the
        // network it was computed with (the LP's dual with the LP's network, or the Newton proposal's dual with
        // its network): a complementary pair, every Dirac where |η| = 1. Else the best dual so far.
        var certificate: (dual: [Double], max: Double, network: [DiracAtom])? = nil
        var polishing = 0
        var heuristicRounds = 0
        var status = TrainingStatus.roundLimit
        var result: LPResult
        // The incumbent: the network with the lowest upper bound so far (an LP solution or a Newton proposal).
        // Within a solve the LP value only falls for (P), but the interpolation's total variation jitters at the
        // 1e-9 level once the penalty is large, and the last round need not be the best one.
        var incumbent: (upper: Double, network: [DiracAtom]) = (.infinity, [])
        var lastProgress = (round: rounds, upper: Double.infinity, lower: -Double.infinity)
        while true {
            rounds += 1
            result = solver.solve()
            guard result.status == .optimal else {
                throw .solverFailed(status: result.status, round: rounds, backend: options.backend)
            }
            // For the interpolation the LP's network is an upper bound only once it fits every label, up to the
            // LP's primal tolerance: the bounds then refer to the labels it fits, y − r (|r_j| ≤ 1e-11·max|y|).
            let x = result.primal
            let residual = interpolating ? (0..<(2 * n)).reduce(0.0) { max($0, x[$1]) } : 0
            let fits = residual <= 1e-11 * labelScale
            // r = y − f(x) of the LP's network, from its residual columns.
            let residuals = (0..<n).map { x[2 * $0] - x[2 * $0 + 1] }
            let targets = interpolating ? zip(labels, residuals).map { $0 - $1 } : labels
            let network = (0..<atoms.count).filter { x[2 * n + $0] > 0 }.map {
                DiracAtom(amplitude: atoms[$0].sign * x[2 * n + $0], weights: atoms[$0].weights)
            }
            // The upper bound is the objective of the LP's network recomputed from its atoms (not the LP's value,
            // which differs by the LP's primal tolerance): the reported network then never scores above it.
            let upper = fits ? score(network) : .infinity
            // The dual point u = row duals lives in the scaled problem: p = λu for (P) with |p_j| ≤ 1/n
            // enforced exactly (a valid bound needs it), free for the interpolation.
            let clamp: ([Double]) -> [Double] = { interpolating ? $0 : $0.map { min(max($0, -residualCost), residualCost) } }
            let u = clamp(result.rowDuals)
            // The points priced this round: the LP's dual, the smoothed dual (Wentges) and Newton's dual.
            var pricingPoints = [PricingPoint(dual: u, network: network, upper: upper, targets: targets)]
            if options.smoothing > 0, polishing == 0, let best = bestDual {
                let a = options.smoothing
                pricingPoints.append(PricingPoint(dual: zip(best, u).map { a * $0 + (1 - a) * $1 }, network: nil,
                                                  upper: .infinity, targets: targets))
            }
            // Newton on the LP's structure proposes the exact atoms and dual (FaceNewton).
            var proposal: [DiracAtom] = []
            if fits, options.newtonPolish, options.method == .columnGeneration {
                // Atoms at the level of the LP's tolerances are noise, and their direction is undefined.
                let mass = network.reduce(0) { $0 + abs($1.amplitude) }
                let merged = DiracMeasure(dimension: d, atoms: network).merged(over: points, dropBelow: 1e-9 * mass).atoms
                if let solution = newton.solve(network: merged, residuals: residuals, duals: result.rowDuals,
                                               residualCost: interpolating ? nil : residualCost) {
                    proposal = solution.atoms
                    pricingPoints.append(PricingPoint(dual: clamp(solution.dual), network: solution.atoms,
                                                      upper: score(solution.atoms), targets: labels))
                }
            }
            // With the search, heuristic pricing first: the cells of the network's atoms and their neighbours. The
            // exact search runs when they hold no clear violation (max > 1.01; small violations there kept the loop
            // polishing one area without a bound) and at least every third round; every round that certifies is exact.
            let local = trainer.searches(options) && options.heuristicPricing && heuristicRounds < 2
                ? pricingPoints.map { localPrice($0, around: (network + proposal).map(\.weights), keep: perRound) } : []
            let useLocal = local.contains { $0.maxValue > 1.01 && $0.violates }
            heuristicRounds = useLocal ? heuristicRounds + 1 : 0
            let priced = useLocal ? local : pricingPoints.map { price($0, objective: objective, keep: perRound) }
            certificate = nil
            for p in priced {
                if p.lowerBound > bestLower { bestLower = p.lowerBound; bestDual = p.point.dual; bestMax = p.maxValue }
                guard let network = p.point.network else { continue }
                if p.point.upper < incumbent.upper { incumbent = (p.point.upper, network) }
                if certificate == nil, fits, p.point.upper - p.lowerBound <= options.tolerance * max(1, abs(p.point.upper)) {
                    certificate = (p.point.dual, p.maxValue, network)
                }
            }
            let gap = (incumbent.upper - bestLower) / max(1, abs(incumbent.upper))
            let elapsed = Date().timeIntervalSince(start)
            options.progress?(TrainingProgress(round: rounds, columns: atoms.count, upperBound: incumbent.upper, lowerBound: bestLower,
                                               gap: gap, maxAbsEta: priced[0].maxValue, seconds: elapsed,
                                               searchNodes: priced.reduce(0) { $0 + $1.nodes },
                                               searchLeaves: priced.reduce(0) { $0 + $1.leaves },
                                               searchPruned: priced.reduce(0) { $0 + $1.pruned }))
            if gap <= options.tolerance {
                // Certified. Prefer to report a complementary pair (see `certificate`): if no dual of this round
                // certifies its own network yet, polish a few rounds without smoothing.
                polishing += 1
                if certificate != nil || polishing > 20 || options.method == .vertices {
                    status = options.method == .vertices ? .upperBound : .optimal
                    break
                }
            }
            if options.method == .vertices { status = .upperBound; break }
            if rounds - firstRound >= options.maxRounds { status = .roundLimit; break }
            if let limit = options.timeLimit, elapsed >= limit { status = .timeLimit; break }
            if !fits && !priced[0].violates {
                // The penalised problem is solved but still leaves residuals: the penalty is below the size of
                // the interpolation's optimal dual. Raise it (exact penalty) and continue from this basis.
                guard residualCost < 1e15 else {
                    throw .invalidOption("the labels could not be interpolated (residual \(residual) at penalty \(residualCost)); are there repeated points with different labels?")
                }
                residualCost *= 100
                try setResidualCost(residualCost)
                continue
            }
            // Neither bound moved for 20 rounds: the LP no longer takes the priced neurons (numerical trouble).
            if incumbent.upper < lastProgress.upper || bestLower > lastProgress.lower {
                lastProgress = (rounds, incumbent.upper, bestLower)
            } else if rounds - lastProgress.round >= 20 {
                status = .stalled; break
            }
            // Nothing new to add (no violated region side, no new Newton atom) while the gap is open: stalled.
            guard try addNeurons(proposal: proposal, priced: priced, perRound: perRound) > 0 else { status = .stalled; break }
        }

        last = result
        // A stall while polishing comes after the gap was certified (bounds only improve): still optimal.
        if status == .stalled && polishing > 0 { status = .optimal }
        // The network reported: the one of the certifying pair, else the incumbent.
        let raw = certificate?.network ?? incumbent.network
        // The neurons as a measure, merged per region (mathematics.md §4, post-processing).
        // Amplitudes at the level of the LP's tolerances (degenerate basic columns) are zeros: drop them.
        let lpMass = raw.reduce(0) { $0 + abs($1.amplitude) }
        let measure = DiracMeasure(dimension: d, atoms: raw).merged(over: points, dropBelow: 1e-11 * lpMass)
        let loss = measure.meanAbsoluteError(points: points, labels: labels)
        let tv = measure.totalVariation
        // The interpolation's objective is the total variation; its loss is reported to show the fit.
        let objectiveValue = interpolating ? tv : loss + lambda * tv
        let gap = (objectiveValue - bestLower) / max(1, abs(objectiveValue))
        if status == .optimal && gap > options.tolerance { status = .stalled }
        let dual = (certificate?.dual ?? bestDual ?? []).map { lambda * $0 }
        return TrainingResult(
            measure: measure, objective: objectiveValue, loss: loss, totalVariation: tv, lowerBound: bestLower, gap: gap,
            status: status, certificate: Certificate(dual: dual, maxAbsEta: certificate?.max ?? bestMax),
            lambda: interpolating ? 0 : lambda, method: options.method, backend: options.backend,
            rounds: rounds - firstRound, columns: atoms.count, regions: trainer.arrangement?.numberOfRegions ?? 0,
            seconds: Date().timeIntervalSince(start))
    }

    /// Prices a dual point over every region (mathematics.md §4, step 2): the largest |η|, the lower bound on the
    /// optimum it proves, and the region sides where η exceeds 1 (with the search: the `keep` largest).
    func price(_ point: PricingPoint, objective: TrainingObjective, keep: Int) -> PricedPoint {
        let n = trainer.points.count, d = trainer.points.dimension
        let q = point.dual
        var priced = PricedPoint(point: point, regionVectors: [], maxValue: 0, lowerBound: 0, violated: [])
        if trainer.searches(options) {
            // Only `max |η| ≤ 1` matters for the bound (it is then the full dual value): nodes below 1 are pruned
            // unrefined, and maxValue is then a valid upper bound ≤ 1 rather than the maximum.
            let search = trainer.search.maximize(dual: q, threshold: 1, keep: keep, progress: options.searchProgress)
            priced.maxValue = search.maxValue
            priced.found = search.extremes.filter { $0.value > 1 + 1e-12 }
            priced.nodes = search.nodes; priced.leaves = search.leaves; priced.pruned = search.pruned
        } else {
            let arrangement = trainer.arrangement!  // checkPricing
            priced.regionVectors = arrangement.regionVectors(dual: q)
            let scan = arrangement.scanCertificate(regionVectors: priced.regionVectors, threshold: 1 - 1e-3)
            priced.maxValue = scan.maxValue
            priced.violated = scan.extremes.filter { $0.value > 1 + 1e-12 }
        }
        let m = priced.maxValue
        var value = 0.0, magnitude = 0.0
        for j in 0..<n { value += q[j] * point.targets[j]; magnitude += abs(q[j] * point.targets[j]) }
        // A feasible dual of (P) is u scaled to max |η| ≤ 1; for the interpolation u may be scaled freely.
        // The bound stays valid in floating point: the rounding error of the sum and of max |η| (a few (n + d)
        // ulps of the terms) is subtracted, which matters once Newton makes the gap exact.
        let rounded = value - 8 * Double(n + d) * Double.ulpOfOne * magnitude
        let bound: Double
        switch objective {
        case .interpolation: bound = m > 0 ? rounded / m : (value == 0 ? 0 : -.infinity)
        case .regularized(let lambda): bound = lambda * min(1, 1 / max(m, .leastNonzeroMagnitude)) * rounded
        }
        priced.lowerBound = bound
        return priced
    }

    /// Heuristic pricing (`CertificateSearch.localExtremes`): violated sides near the given atoms, no bound.
    func localPrice(_ point: PricingPoint, around seeds: [[Double]], keep: Int) -> PricedPoint {
        let extremes = trainer.search.localExtremes(dual: point.dual, around: seeds)
        var priced = PricedPoint(point: point, regionVectors: [], maxValue: extremes.first?.value ?? 0,
                                 lowerBound: -.infinity, violated: [])
        priced.found = Array(extremes.filter { $0.value > 1 + 1e-12 }.prefix(keep))
        return priced
    }

    /// Adds new neurons as columns: the Newton proposal's atoms, then the most violating region sides of each
    /// priced point, up to `perRound` new points per pricing point. Adjacent regions whose certificate peaks on a
    /// shared face or ray give the same point, and Newton proposes the same atoms again while the structure
    /// stays: each point (to 1e-9) is one column. Returns the number of columns added.
    mutating func addNeurons(proposal: [DiracAtom], priced: [PricedPoint], perRound: Int) throws(TrainingError) -> Int {
        let d = trainer.points.dimension
        var fresh: [LPColumn] = []
        func key(_ w: [Double], _ sign: Double) -> [Int64] { [Int64(sign)] + w.map { Int64(($0 * 1e9).rounded()) } }
        var distinct = Set(atoms.map { key($0.weights, $0.sign) })
        func add(_ w: [Double], sign: Double) {
            guard distinct.insert(key(w, sign)).inserted else { return }
            atoms.append((w, sign))
            fresh.append(Self.column(trainer, w, sign: sign))
        }
        for atom in proposal { add(atom.weights, sign: atom.amplitude > 0 ? 1 : -1) }
        var seen = Set<Int>()
        for (index, p) in priced.enumerated() {
            let budget = fresh.count + perRound
            for extreme in p.found.prefix(perRound) where fresh.count < budget { add(extreme.weights, sign: Double(extreme.sign)) }
            guard let arrangement = trainer.arrangement else { continue }
            for extreme in p.violated.sorted(by: { $0.value > $1.value }) {
                guard fresh.count < budget else { break }
                guard seen.insert(2 * extreme.region + (extreme.sign > 0 ? 0 : 1)).inserted || index == 0 else { continue }
                let k = extreme.region
                guard let w = arrangement.extremePoint(region: k, sign: extreme.sign,
                                                       regionVector: p.regionVectors[(k * d)..<(k * d + d)]) else { continue }
                add(w, sign: Double(extreme.sign))
            }
        }
        guard !fresh.isEmpty else { return 0 }
        do { try solver.addColumns(fresh) } catch { throw .lp(error) }
        return fresh.count
    }
}

/// A dual point to price, with the network it was computed with (the LP's or Newton's; nil for the smoothed
/// point), that network's objective, and the labels the lower bound refers to.
struct PricingPoint {
    var dual: [Double]
    var network: [DiracAtom]?
    var upper: Double
    var targets: [Double]
}

/// A dual point priced over every region (`MasterProblem.price`).
struct PricedPoint {
    var point: PricingPoint
    var regionVectors: [Double]
    var maxValue: Double
    var lowerBound: Double
    /// The region sides where η exceeds 1: new neurons.
    var violated: [CertificateScan.Extreme]
    /// The same from the branch and bound, with their extreme points; its nodes, leaves and pruned nodes.
    var found: [CertificateSearch.Extreme] = []
    var nodes = 0, leaves = 0, pruned = 0

    var violates: Bool { !violated.isEmpty || !found.isEmpty }
}
