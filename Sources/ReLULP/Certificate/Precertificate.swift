import Foundation
import LinearProgramming

/// Why the minimal-norm certificate could not be computed; the message says what to change.
public struct PrecertificateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Settings of `Precertificate.compute`.
public struct PrecertificateOptions: Sendable {
    /// The backend of the interpolation's column generation (the least-norm QP is solved in Swift, `LeastDistance`).
    public var backend: LPBackend = .clp
    /// Relative gap to which the interpolation (noise-free limit) must be certified.
    public var tolerance: Double = TrainingOptions.defaultTolerance
    /// The cutting planes stop once max |η_p| ≤ 1 + this over the whole sphere.
    public var etaTolerance: Double = 1e-9
    /// |η₀| ≥ 1 − this counts as the support; region sides below it are off the support.
    public var supportTolerance: Double = 1e-6
    /// A boundary multiplier counts as positive above this (relative to the region vector's norm).
    public var multiplierTolerance: Double = 1e-6
    /// A Dirac lies on the hyperplane of point j when |⟨w, x̃_j⟩| ≤ this · ‖x̃_j‖.
    public var boundaryTolerance: Double = 1e-9
    /// When the QP fails or the cuts stall, a round whose max |η| ≤ 1 + this is still used (scaled into the face).
    public var acceptTolerance: Double = 1e-4
    /// Atoms with |amplitude| ≤ this × the total variation are LP crumbs, not Diracs of the limit.
    public var atomFloor: Double = 1e-7
    /// Cutting-plane rounds before giving up.
    public var maxRounds: Int = 100
    /// Cuts added per round (the largest violations first).
    public var cutsPerRound: Int = 64
    /// Called once per cutting-plane round with a line for the log.
    public var progress: (@Sendable (String) -> Void)? = nil

    public init() {}
}

/// The minimal-norm certificate of the noise-free problem and the verdict on its non-degeneracy
/// (docs/mathematics.md §9): p₀, the optimal dual of least Euclidean norm of min ‖μ‖_TV s.t. f_μ(x_j) = y_j, and
/// η₀(w) = Σ_j p₀_j σ(⟨w, x̃_j⟩), checked over every dual region.
public struct Precertificate: Sendable, Codable, Equatable {
    /// One Dirac of the noise-free solution and η₀'s behaviour there.
    public struct Dirac: Sendable, Codable, Equatable {
        public var amplitude: Double
        public var weights: [Double]
        /// `+`, `-`, `0` per point: `0` where the Dirac lies on the point's hyperplane.
        public var signVector: String
        /// True when no hyperplane passes through the Dirac (it lies inside one dual region).
        public var interior: Bool
        /// The dual regions whose closure holds the Dirac.
        public var regions: [Int]
        /// η₀ at the Dirac (±1 on the support).
        public var eta: Double
        /// The largest distance from the Dirac to the maximiser of ±η₀ over one of its regions.
        public var distanceToExtremePoint: Double
        /// On a boundary: per region of its closure the smallest multiplier of the hyperplanes through the Dirac
        /// (relative to ‖v_s‖); empty inside a region.
        public var smallestMultipliers: [Double]
        public var nonDegenerate: Bool
        /// A sentence on η₀ there.
        public var behaviour: String
    }

    /// The interpolation's certified optimum: total variation of the noise-free solution (upper bound) and the
    /// lower bound proved by its dual.
    public var interpolationObjective: Double
    public var interpolationLowerBound: Double
    /// p₀, scaled so that max |η₀| ≤ 1 over the sphere.
    public var dual: [Double]
    /// ‖p₀‖ and a lower bound on the least norm over the cutting-plane relaxation, which contains the optimal dual
    /// face, so `normLowerBound ≤` the true least norm (weak duality of the last QP: Σ λ_i h_i / ‖Σ λ_i g_i‖).
    public var norm: Double
    public var normLowerBound: Double
    /// The last QP's KKT residual on its cut set: the larger of its infeasibility (in η) and its relative duality
    /// gap (stationarity and λ ≥ 0 hold by construction, p = Σ λ_i g_i).
    public var kktResidual: Double
    /// `(U − Σ p₀_j y_j) / max(1, |U|)`: how far p₀'s dual value stays below the optimum (0 on the face).
    public var dualGap: Double
    /// max |η| of the QP's solution before scaling, and the cutting-plane rounds and cuts it took.
    public var maxAbsEtaBeforeScaling: Double
    public var rounds: Int
    public var cuts: Int
    public var diracs: [Dirac]
    /// The largest |η₀| over region sides without a Dirac (0 when none has a positive value).
    public var margin: Double
    /// Where the margin is attained: region, side (+1 max, −1 min) and the region's sign vector; nil without one.
    public var marginRegion: Int?
    public var marginSide: Int?
    public var marginSignVector: String?
    /// The region sides where |η₀| ≥ 1 − supportTolerance, and how many of them hold no Dirac.
    public var supportSides: Int
    public var unoccupiedSupportSides: Int
    /// Rank of the Diracs' activation vectors (σ(⟨w_i, x̃_j⟩))_j against their number.
    public var activationRank: Int
    public var nonDegenerate: Bool
    public var verdict: String
    public var regions: Int
}

extension Precertificate {
    /// Solves the interpolation of `labels`, then the least-norm QP over its optimal dual face by cutting planes
    /// priced over every region of `pricer`, then checks the non-degeneracy condition (docs/mathematics.md §9).
    public static func compute(
        points: LiftedData, labels: [Double], pricer: EnumeratedPricer, options: PrecertificateOptions = .init()
    ) throws(PrecertificateError) -> Precertificate {
        try computeWithLimit(points: points, labels: labels, pricer: pricer, options: options).report
    }

    /// `compute`, and the noise-free limit with p₀ as its certificate's dual and the bounds p₀ proves (for a model
    /// file whose certificate plot is η₀; not certified when p₀'s dual gap exceeds the tolerance).
    public static func computeWithLimit(
        points: LiftedData, labels: [Double], pricer: EnumeratedPricer, options: PrecertificateOptions = .init()
    ) throws(PrecertificateError) -> (report: Precertificate, limit: TrainingResult) {
        var limit = try interpolation(points: points, labels: labels, pricer: pricer, options: options)
        var qp = LeastNormDual(points: points, labels: labels, lowerBound: limit.lowerBound, options: options)
        qp.addCuts(at: limit.measure.atoms.map(\.weights))
        // Zero labels: the limit is the zero measure and p₀ = 0 (value 0 = OPT, η₀ = 0).
        let zero = [Double](repeating: 0, count: labels.count)
        let solved =
            labels.allSatisfy({ $0 == 0 })
            ? LeastNormDual.Round(
                solution: .init(
                    point: zero, multipliers: [], infeasibility: 0, dualityGap: 0, normLowerBound: 0),
                maxAbsEta: 0, round: 0)
            : try qp.solve(pricer: pricer, initialScale: max(1, ReLULP.norm(limit.certificate.dual)))
        let scale = max(1, solved.maxAbsEta)
        let p0 = solved.dual.map { $0 / scale }
        let value = zip(p0, labels).reduce(0.0) { $0 + $1.0 * $1.1 }
        let upper = limit.totalVariation
        var result = Precertificate(
            interpolationObjective: upper, interpolationLowerBound: limit.lowerBound, dual: p0,
            norm: ReLULP.norm(p0), normLowerBound: min(ReLULP.norm(p0), solved.solution.normLowerBound),
            kktResidual: max(solved.solution.infeasibility, solved.solution.dualityGap),
            dualGap: (upper - value) / max(1, abs(upper)), maxAbsEtaBeforeScaling: solved.maxAbsEta,
            rounds: solved.round, cuts: qp.cuts, diracs: [], margin: 0, marginRegion: nil, marginSide: nil,
            marginSignVector: nil, supportSides: 0,
            unoccupiedSupportSides: 0, activationRank: 0, nonDegenerate: false, verdict: "",
            regions: pricer.regions.numberOfRegions)
        // The interpolation LP leaves crumbs of ~1e-10 amplitude: not Diracs of the limit (as the sweep's atom floor).
        var measure = limit.measure
        measure.atoms.removeAll { abs($0.amplitude) <= options.atomFloor * limit.measure.totalVariation }
        result.analyze(measure: measure, pricer: pricer, options: options)
        // The limit now carries p₀ as its certificate, so its bounds are what p₀ proves: optimal only when p₀'s own
        // gap is within the tolerance (a model file never says more than its dual shows).
        limit.certificate = Certificate(dual: p0, maxAbsEta: min(1, solved.maxAbsEta))
        limit.lowerBound = min(value, upper)
        limit.gap = (upper - limit.lowerBound) / max(1, abs(upper))
        limit.certified = limit.gap <= options.tolerance
        return (result, limit)
    }

    /// The certified noise-free limit (min ‖μ‖_TV s.t. f_μ(x_j) = y_j); an uncertified run is an error.
    static func interpolation(
        points: LiftedData, labels: [Double], pricer: EnumeratedPricer, options: PrecertificateOptions
    ) throws(PrecertificateError) -> TrainingResult {
        var training = TrainingOptions(problem: .interpolation, backend: options.backend, tolerance: options.tolerance)
        training.maxRounds = 10_000
        let result: TrainingResult
        do {
            result = try ExactTrainer(points: points, labels: labels, pricer: pricer).train(training)
        } catch {
            throw PrecertificateError("the noise-free limit (interpolation) failed: \(error)")
        }
        guard result.status == .optimal else {
            throw PrecertificateError(
                "the noise-free limit (interpolation) was not certified: status \(result.status), relative gap "
                    + "\(result.gap); p₀ needs its optimum")
        }
        // Checked here from the atoms, as `certify` does: a limit that misses a label is not the interpolation
        // (contradicting labels at one point have none).
        let fitted = result.measure.values(at: points)
        if let j = labels.indices.first(where: { abs(fitted[$0] - labels[$0]) > 1e-9 * max(1, abs(labels[$0])) }) {
            throw PrecertificateError(
                "the noise-free limit does not fit point \(j + 1) (f = \(fitted[j]), y = \(labels[j])): the labels "
                    + "cannot be interpolated (a point repeated with different labels?)")
        }
        return result
    }
}

/// The least-norm dual over the interpolation's optimal dual face, min ½‖p‖² s.t. Σ_j p_j y_j ≥ L and
/// |Σ_j p_j σ(⟨w_k, x̃_j⟩)| ≤ 1 at the cut points w_k: a least-distance program (`LeastDistance`) re-solved as cuts
/// arrive. (CLP's QP, used before, ended with reduced costs of the wrong sign on the 40-point study teachers.)
struct LeastNormDual {
    let points: LiftedData
    let options: PrecertificateOptions
    private(set) var cuts = 0
    private var cutPoints: [[Double]] = []
    private var program: LeastDistance

    /// The QP with its one value row `Σ p_j y_j ≥ lowerBound` (≥ rather than = : the face is the set where it
    /// holds, and L ≤ OPT keeps the true face inside).
    init(points: LiftedData, labels: [Double], lowerBound: Double, options: PrecertificateOptions) {
        self.points = points
        self.options = options
        program = LeastDistance(dimension: labels.count)
        program.append(row: labels, bound: lowerBound)
    }

    /// Adds the cuts `−1 ≤ Σ_j σ(⟨w, x̃_j⟩) p_j ≤ 1` at the given unit vectors (a point already cut is skipped).
    mutating func addCuts(at weights: [[Double]]) {
        for w in weights where !cutPoints.contains(where: { euclideanDistance($0, w) < 1e-12 }) {
            let a = (0..<points.count).map { max(0, dot(w, points[point: $0])) }
            guard a.contains(where: { $0 > 0 }) else { continue }
            cutPoints.append(w)
            program.append(row: a.map { -$0 }, bound: -1)
            program.append(row: a, bound: -1)
            cuts += 1
        }
    }

    /// One round's least-norm point with its KKT quantities and max |η_p| over the sphere.
    struct Round {
        var solution: LeastDistance.Solution
        var maxAbsEta: Double
        var round: Int
        var dual: [Double] { solution.point }
    }

    /// Cutting planes until max |η_p| ≤ 1 + etaTolerance over every region. When the cuts stall or the rounds run
    /// out after a round within `acceptTolerance`, that round is returned (the caller scales it into the face and
    /// reports how far it was).
    mutating func solve(pricer: EnumeratedPricer, initialScale: Double) throws(PrecertificateError) -> Round {
        var scale = initialScale
        var last: Round? = nil
        func fallback(_ why: String) throws(PrecertificateError) -> Round {
            guard let last, last.maxAbsEta <= 1 + options.acceptTolerance else { throw PrecertificateError(why) }
            options.progress?("precertificate: \(why); keeping round \(last.round) (max|η| = \(last.maxAbsEta))")
            return last
        }
        for round in 1...options.maxRounds {
            guard let solution = program.solve(scale: scale) else {
                return try fallback("the least-norm QP found no solution in round \(round) (the face looks empty)")
            }
            let p = solution.point
            scale = max(1, ReLULP.norm(p))
            let pricing = pricer.price(
                dual: p, threshold: 1 + options.etaTolerance, keep: options.cutsPerRound, progress: nil)
            options.progress?(
                String(
                    format: "precertificate round %d: ‖p‖ = %.12g (≥ %.12g), KKT %.2g, max|η| = %.12g, %d cuts", round,
                    ReLULP.norm(p), solution.normLowerBound, max(solution.infeasibility, solution.dualityGap),
                    pricing.maxValue, cuts))
            last = Round(solution: solution, maxAbsEta: pricing.maxValue, round: round)
            if pricing.sides.isEmpty, let last { return last }
            let points = pricing.sides.prefix(options.cutsPerRound).compactMap {
                pricer.extremePoint(of: $0, in: pricing)
            }
            let before = cuts
            addCuts(at: points)
            if cuts == before { return try fallback("the least-norm QP stalled in round \(round)") }
        }
        return try fallback("the least-norm QP did not converge in \(options.maxRounds) rounds")
    }
}
