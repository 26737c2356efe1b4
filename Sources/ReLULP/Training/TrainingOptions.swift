import Foundation

/// How to solve (P): exact column generation (the default) or the literal LP over every region's extreme rays,
/// which is only an upper bound (docs/mathematics.md §4).
public enum TrainingMethod: String, Sendable, CaseIterable, Codable {
    case columnGeneration = "column-generation"
    case vertices
}

/// Settings of one training run: what to minimise (`problem`) and how.
public struct TrainingOptions: Sendable {
    /// (P) with its λ, or the noise-free limit.
    public var problem: Objective
    /// The weight λ of the total variation (0 for the interpolation); setting it asks for (P) with that λ.
    public var lambda: Double {
        get { problem.lambda }
        set { problem = .regularized(lambda: newValue) }
    }
    /// The data term of (P); `.squared` needs a backend with a quadratic objective (CLP).
    public var loss: Loss = .l1
    /// Fit an unpenalised output constant `b`, `f(x) = b + Σ a_i σ(⟨w_i, x̃⟩)` (docs/mathematics.md §12).
    public var intercept = false
    /// Sample weights, one per point (finite, ≥ 0, not all 0): the data term becomes `(1/Σw) Σ_j w_j loss_j`, so
    /// weight 2 is a duplicated row and 0 a removed one (§12). nil: every weight 1.
    public var sampleWeights: [Double]? = nil
    public var backend: LPBackend = .clp
    /// Stop when the relative gap (`RelativeGap`: `(U − L) / |U|`, floored within the absolute accuracy) is at most this.
    public var tolerance: Double = Self.defaultTolerance
    /// The default relative gap, of training and of the certificate check (`CertificateCheckOptions`).
    public static let defaultTolerance = 1e-9
    public var method: TrainingMethod = .columnGeneration
    /// How rounds are priced; `.auto` uses the trainer's enumerated regions when it has them, else the search.
    public var pricing: PricingMode = .auto
    /// With the branch-and-bound pricing: try the cells around the current atoms first and run the exact search
    /// only when they hold no violated side (the lower bound then moves only in exact rounds).
    public var heuristicPricing = true
    public var maxRounds: Int = 1000
    /// Wall-clock limit in seconds for the whole run (`nil`: none); a path's limit per λ.
    public var timeLimit: Double? = nil
    /// The whole run's budget and signals (`Deadline`): each solve ends at the earlier of it and `timeLimit`.
    public var deadline: Deadline = .none
    /// The most seconds one round's branch-and-bound search may take (nil: until the run's deadline); set in
    /// anytime mode, where the search cannot finish and each round still needs a bound and new neurons.
    public var searchSlice: Double? = nil
    /// Anytime mode (`ExactTrainer.anytime`): each round's search is cut after `anytimeSearchNodes` nodes (and by
    /// the run's deadline), the local ascent prices most rounds.
    public var anytime = false
    /// Anytime mode's node limit of a round's search (doubled after a cut round that added nothing): with it the
    /// search runs on one thread and a run that ends before its deadline (round limit, stall) is deterministic.
    public static let anytimeSearchNodes = 2000
    /// Anytime mode's lower bounds from subsets of the points (docs/mathematics.md §11, "Subsets"): beside the
    /// rounds, on a thread of its own (`SubsetPhase`), the run solves (P) restricted to the points its incumbent fits
    /// worst, in the last `subsetShare` of its budget. Off for the subset problems themselves.
    public var subsetBounds = true
    /// The share at the end of an anytime run's budget in which the subset bounds run (after a stall of the rounds:
    /// at most this share more): half, on one core beside the rounds, as much CPU as a quarter on two cores.
    public static let subsetShare = 0.5
    /// The share at the end of an anytime run's budget kept for the final descent of its network (`NetworkDescent`):
    /// the rounds end before it.
    public static let descentShare = 0.05
    /// The first subset's size; each next one doubles it while the time lasts.
    public static let firstSubsetSize = 16
    /// Weight α of the best dual so far in the smoothed pricing point `α p_best + (1 − α) p_k` (0 disables it).
    public var smoothing: Double = 0.7
    /// Try Newton's method on the optimality conditions of the LP's current structure each round (`FaceNewton`
    /// for the L1 loss, `SquaredNewton` for the squared loss; the hinge loss runs plain column generation):
    /// it proposes exact atoms and an exact dual, which close the certification tail of the column generation
    /// in one round where the structure is right, and cost one pricing scan where it is not.
    /// (Only up to `newtonDimensionLimit` lifted dimensions.)
    public var newtonPolish = true
    /// Solve the squared loss's master by the active-set QP in Swift (`SquaredMasterQP`, warm from the last
    /// support) first, CLP's quadratic primal only when it fails (docs/mathematics.md §4a); false: CLP and its
    /// recoveries first, the Swift QP last.
    public var activeSetSquaredMaster = true
    /// Move all atoms of the LP's network together each round, their activation patterns fixed (`JointMove`,
    /// docs/mathematics.md §4b): the moved network is an upper bound when it scores better, its atoms become
    /// columns and its smoothed dual is priced. Not for the interpolation or with an intercept. Off by default: it
    /// saved 12 % of the rounds on the plane at λ = 1e-4 but cost more time than that (benchmarks/RESULTS.md,
    /// "The joint move").
    public var jointMove = false
    /// Solve the master by the barrier without crossover while the gap is large and price its well-centred dual
    /// (primal–dual column generation, docs/mathematics.md §4a, "Central duals"); for (P) with the L1 or hinge
    /// loss and the primal master.
    public var centralDuals = false
    /// The largest lifted dimension d at which `newtonPolish` runs. Newton's face bases and normal matrices cost
    /// O(d³) per atom and iteration (`FaceNewton.faceBasis` builds a `d × d` projector, `SquaredNewton` a Hessian
    /// of side atoms·d), which above a few dozen dimensions costs more than the rounds it saves
    /// (benchmarks/RESULTS.md, "Newton's dimension limit"). Above it the run is plain column generation; its
    /// results stay certified, since Newton only proposes columns and a dual.
    public static let newtonDimensionLimit = 32
    /// Largest number of neurons added per pricing point and round (`nil`: min(n, 200) for the primal master, min(n, 50)
    /// for the dual, at least 20: enough to move fast, few enough that the master LP stays small; 20 for the squared
    /// loss above 1000 points, where its master may go to CLP's slow quadratic primal).
    public var columnsPerRound: Int? = nil
    /// Solve (P) at a λ below a hundredth of `λ_max` (where the zero network stops being optimal) after a short
    /// internal path from `λ_max` down, each step to a loose gap on the same master (docs/mathematics.md §4a). Off
    /// by default: it saved a third to a half of the time on noisy data but stalled on noise-free data.
    public var warmStart = false
    /// Take each round's new columns from the certificate's peaks first (`PricingResult.peaksFirst`, docs/mathematics.md
    /// §4a). Off by default: faster at small λ on noisy data, it stalled noise-free data near the optimum.
    public var peaksFirst = false
    /// Which form of the master LP to solve (`MasterForm`).
    public var master: MasterForm = .auto
    /// Most matrix entries the master LP's neurons may hold, a measure of its memory (26–35 bytes an entry at the
    /// peak: lines with n = 10⁴ and 10⁵, benchmarks/RESULTS.md, "The master's two forms"). A round that would pass it ends the run with status
    /// `sizeLimit` and the bounds reached; a vertex LP above it is refused before it is built.
    public var maxMasterEntries: Int = TrainingOptions.defaultMaxMasterEntries
    public static let defaultMaxMasterEntries = 300_000_000
    /// Makes the master's LP solvers, for the run's backend and for the other backends a recovery from numerical
    /// trouble rebuilds the master on (`MasterLP.solve`). `LPBackend.makeSolver` unless a test substitutes a double.
    public var solverFactory: @Sendable (LPBackend, LPOptions) -> any LPSolver = { $0.makeSolver(options: $1) }
    /// Called once per round with the bounds, for logs.
    public var progress: (@Sendable (TrainingProgress) -> Void)? = nil
    /// Called every few seconds during a long branch-and-bound pricing with a line about the search, for logs.
    public var searchProgress: (@Sendable (String) -> Void)? = nil

    public init(
        problem: Objective, backend: LPBackend = .clp, tolerance: Double = Self.defaultTolerance,
        method: TrainingMethod = .columnGeneration, loss: Loss = .l1
    ) {
        self.problem = problem
        self.loss = loss
        self.backend = backend
        self.tolerance = tolerance
        self.method = method
    }

    /// Settings for (P) with weight `lambda`.
    public init(
        lambda: Double, backend: LPBackend = .clp, tolerance: Double = Self.defaultTolerance,
        method: TrainingMethod = .columnGeneration, loss: Loss = .l1
    ) {
        self.init(
            problem: .regularized(lambda: lambda), backend: backend, tolerance: tolerance, method: method,
            loss: loss)
    }

    /// Checks every setting, naming the bad one.
    public func validate() throws(TrainingError) {
        if case .regularized(let lambda) = problem, !(lambda.isFinite && lambda > 0) {
            throw .invalidOption("lambda must be a finite number > 0, got \(lambda)")
        }
        guard tolerance.isFinite, tolerance > 0, tolerance < 1 else {
            throw .invalidOption("tolerance must lie in (0, 1), got \(tolerance)")
        }
        guard maxRounds >= 1 else { throw .invalidOption("the round limit must be at least 1, got \(maxRounds)") }
        guard smoothing >= 0, smoothing < 1 else {
            throw .invalidOption("smoothing must lie in [0, 1), got \(smoothing)")
        }
        if let limit = timeLimit, !(limit > 0) {
            throw .invalidOption("the time limit must be > 0 seconds, got \(limit)")
        }
        if let slice = searchSlice, !(slice > 0) {
            throw .invalidOption("the search slice must be > 0 seconds, got \(slice)")
        }
        if let k = columnsPerRound, k < 1 { throw .invalidOption("columns per round must be at least 1, got \(k)") }
        guard maxMasterEntries >= 1 else {
            throw .invalidOption("the master's entry limit must be at least 1, got \(maxMasterEntries)")
        }
        if loss.isQuadratic && !backend.solvesQuadraticObjectives {
            throw .needsQuadraticBackend(loss: loss, backend: backend)
        }
        if loss.isQuadratic && master == .dual { throw .needsPrimalMaster(loss: loss) }
        if let w = sampleWeights {
            if let j = w.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
                throw .invalidOption("sample weight \(j + 1) is \(w[j]); weights must be finite and ≥ 0")
            }
            guard w.contains(where: { $0 > 0 }) else {
                throw .invalidOption("every sample weight is 0: nothing to fit")
            }
            guard problem != .interpolation else {
                throw .invalidOption(
                    "the interpolation (noise-free limit) does not take sample weights: it fits every point exactly")
            }
        }
        if problem == .interpolation && intercept {
            throw .invalidOption(
                "the interpolation (noise-free limit) does not take an intercept: its lower bound would need a proven bound on |b| from an interpolant; use a small lambda instead"
            )
        }
        if problem == .interpolation && loss != .l1 {
            throw .invalidOption(
                "the interpolation (noise-free limit) is solved with the L1 master; it does not take --loss \(loss) (for the squared loss the limit is the same problem: use --loss l1)"
            )
        }
    }
}

/// The optimality test of training and of `certify` (docs/mathematics.md, "Scale-free optimality"):
/// `U − L ≤ max(tolerance · |U|, absoluteAccuracy · U₀)`, with `U₀` the zero network's objective, written as the
/// relative gap `(U − L) / |U|`, whose denominator becomes `max(|U|, floor)` with `floor = absoluteAccuracy · U₀ /
/// tolerance` once `U − L ≤ absoluteAccuracy · U₀`. Every term scales with the labels, so the test means the same at
/// every scale; the floor only matters for a network whose objective is below `absoluteAccuracy / tolerance` of `U₀`
/// (a tenth at the default tolerance), where the backends' accuracy in double precision, not the method, limits what
/// a gap can show. A gap not yet within that accuracy is always the plain `(U − L) / |U|`.
public enum RelativeGap {
    /// The absolute accuracy asked of a gap, as a fraction of `U₀`.
    public static let absoluteAccuracy = 1e-10

    /// `(upper − lower) / |upper|`; `/ max(|upper|, floor)` once `upper − lower ≤ floor · tolerance` (the absolute
    /// accuracy), so that such a gap reads at most `tolerance` (NaN stays NaN, so a NaN bound never certifies).
    /// The floor used to be the denominator of every gap: anytime runs on well-fitted data (U below U₀/10) printed
    /// gaps up to ten times smaller than (U − L)/U.
    public static func of(upper: Double, lower: Double, floor: Double, tolerance: Double) -> Double {
        let gap = upper - lower
        let denominator = gap <= floor * tolerance ? max(abs(upper), floor) : abs(upper)
        return gap / max(denominator, Double.leastNormalMagnitude)
    }

    /// The floor for `targets` at `tolerance`: `absoluteAccuracy / tolerance` times the zero network's objective of
    /// (P), the data term of f = 0 (mean |y| for the L1 loss, mean y²/2 for the squared, 1 for the hinge); for
    /// the interpolation mean |y|, of the size of its total variation.
    /// With an intercept, `U₀` is the best constant's objective instead (§12).
    public static func floor(
        problem: Objective, loss: Loss, targets: [Double], tolerance: Double, intercept: Bool = false,
        weights v: [Double]? = nil
    ) -> Double {
        var zeros = [Double](repeating: 0, count: targets.count)
        if intercept {
            let b = loss.bestIntercept(outputs: zeros, targets: targets, weights: v)
            zeros = zeros.map { _ in b }
        }
        let scale =
            problem == .interpolation
            ? Loss.l1.value(outputs: zeros, targets: targets)
            : loss.value(outputs: zeros, targets: targets, weights: v)
        return absoluteAccuracy / tolerance * scale
    }
}

/// One line of the solver log: the state after a round.
public struct TrainingProgress: Sendable {
    public var round: Int
    public var columns: Int
    public var upperBound: Double
    public var lowerBound: Double
    public var gap: Double
    public var maxAbsEta: Double
    public var seconds: Double
    /// Branch-and-bound pricing this round (0 when the regions were scanned): nodes bounded, dual regions
    /// solved, nodes pruned, over all the round's pricing points.
    public var searchNodes = 0
    public var searchLeaves = 0
    public var searchPruned = 0
    /// Nodes the round's searches left open, and where its bound on M (`maxAbsEta`) comes from.
    public var searchOpen = 0
    public var boundSource = BoundSource.exact
    /// A line of the subset bounds (`boundSource == .subset`): the subset's points and how its solve ended.
    public var subsetPoints = 0
    public var subsetStatus: TrainingStatus? = nil
    /// Where the round's time went: solving the master (with any recovery) and pricing its dual points.
    public var masterSeconds = 0.0
    public var pricingSeconds = 0.0
    /// The master's simplex iterations this round, and the part of the pricing seconds the Newton step took.
    public var masterIterations = 0
    public var newtonSeconds = 0.0
    /// The objective of the round's master network, and of the network a slide moved from it (anytime mode,
    /// docs/mathematics.md §11, "The sliding step"; nil without), whose atoms the next master holds as columns.
    public var masterObjective = Double.infinity
    public var slideObjective: Double? = nil
    /// (P)'s λ when the round belongs to a step of the internal warm start (`TrainingOptions.warmStart`), nil for
    /// the run's own problem: a step's bounds are that step's.
    public var warmStartStep: Double? = nil
}

/// Errors of a training run, with messages a user can act on.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidOption(String)
    case arrangement(ArrangementError)
    case data(DataError)
    /// A master LP did not solve to optimality; never reported as a solution.
    case solverFailed(status: LPTerminationStatus, round: Int, backend: LPBackend)
    case lp(LPError)
    /// The loss needs a quadratic master objective, which the backend does not have.
    case needsQuadraticBackend(loss: Loss, backend: LPBackend)
    /// The loss's quadratic cost sits on the residual columns, which only the primal form of the master has.
    case needsPrimalMaster(loss: Loss)
    /// The master LP would hold more matrix entries than `TrainingOptions.maxMasterEntries`.
    case masterTooLarge(entries: Int, limit: Int)

    public var description: String {
        switch self {
        case .invalidOption(let why): why
        case .arrangement(let error): "\(error)"
        case .data(let error): "\(error)"
        case .solverFailed(let status, let round, let backend):
            "the master LP (\(backend)) ended \(status) in round \(round), also when rebuilt from scratch on every "
                + "backend that solves it; no solution is reported. Try the other form of the master (--master "
                + "primal or dual), a regularisation path from a larger λ (relulp path), or a larger --tolerance"
        case .lp(let error): "\(error)"
        case .needsQuadraticBackend(let loss, let backend):
            "\(loss) loss needs a QP backend: its master problem has a quadratic objective, which \(backend) cannot solve; use --backend \(LPBackend.allCases.filter(\.solvesQuadraticObjectives).map(\.rawValue).joined(separator: " or "))"
        case .needsPrimalMaster(let loss):
            "\(loss) loss needs the primal form of the master: its quadratic cost sits on the residual columns, which the dual form does not have; use --master primal or auto (the default)"
        case .masterTooLarge(let entries, let limit):
            "the master LP would hold \(entries) matrix entries (about \(String(format: "%.2g", Double(entries) * 35e-9)) GB at 35 bytes an entry), above the limit of \(limit); raise it with --max-master-entries if the memory is there"
        }
    }
}

/// The form of the master LP (docs/mathematics.md §4, "The master's two forms"): `primal` has a row per data
/// point and a column per neuron, `dual` a column per data point and a row per neuron. Both give the same optimum
/// and certificate; they differ in the simplex's basis size (n against the number of neurons).
public enum MasterForm: String, Sendable, CaseIterable, CustomStringConvertible {
    case primal, dual, auto

    public var description: String { rawValue }

    /// `auto` takes the dual form from this many points: below it the primal form was as fast or faster (small λ
    /// need about n atoms), from 1000 points the dual form was faster on every instance measured
    /// (benchmarks/RESULTS.md, "The master's two forms").
    public static let dualFromPoints = 1000
}

extension TrainingOptions {
    /// The master's form for `n` points: the squared loss's quadratic objective needs the primal form (`validate`
    /// refuses `--master dual` for it); `auto` takes the dual form for the linear losses from
    /// `MasterForm.dualFromPoints` points when few atoms are expected (`AtomRegime`; many atoms need the primal
    /// form's column aging); `atoms` is evaluated only for that choice.
    func masterForm(points n: Int, atoms: @autoclosure () -> AtomRegime) -> MasterLP.Form {
        if loss.isQuadratic && problem != .interpolation { return .primal }
        switch master {
        case .primal: return .primal
        case .dual: return .dual
        case .auto: return n >= MasterForm.dualFromPoints && atoms() == .few ? .dual : .primal
        }
    }
}
