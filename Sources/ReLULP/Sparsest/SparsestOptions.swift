import LinearProgramming

/// Settings of the search for the interpolant with the fewest neurons (docs/mathematics.md, "The sparsest
/// interpolant").
public struct SparsestOptions: Sendable {
    /// The branch-and-cut backend that proves the count.
    public var backend: MIPBackend = .cbc
    /// The LP backend of the reweighted ℓ1 heuristic and of the final fit.
    public var lpBackend: LPBackend = .clp
    /// Only the heuristic (least TV, then reweighted ℓ1): a count without a proof.
    public var heuristicOnly = false
    /// Wall-clock limit in seconds for the whole search (`nil`: none).
    public var timeLimit: Double? = nil
    /// Whether a first SIGINT or SIGTERM (`Interruption`, inside its `deferring`) ends the search as the time limit
    /// does, inside a MIP too (`MIPSolver.stopHook`): the best network and the count proven so far, status
    /// `interrupted`.
    public var watchesSignals = false
    /// Most dual regions the MIP takes (the general-position estimate is checked before enumerating).
    public var maxRegions = 5000
    /// Most regions the heuristic alone enumerates.
    public var maxHeuristicRegions = Arrangement.defaultMaxRegions
    /// Largest misfit `max_j |f(x_j) − y_j|`, relative to `max(1, max_j |y_j|)`, the result may have (as `certify`
    /// accepts for an interpolation).
    public var fitTolerance = 1e-9
    /// M / (max_j |y_j| · ρ), ρ = max_j ‖x̃_j‖ / (least distance of two distinct points): the bound on the ray
    /// coefficients of one neuron (rays normalised to peak output 1 on the data) that links it to its binary in
    /// the MIP that looks for a small network. The proof (support cuts) does not use it.
    public var outputBoundFactor = 100.0
    /// The share of the time limit the search among the pairs around the heuristic's network gets first (it runs
    /// until its pools are exhausted without a time limit).
    public var neighbourhoodShare = 0.25
    /// Whether a proven count on half of the points floors the proof (docs/mathematics.md §10, "Halves").
    public var subsetBounds = true
    /// The share of the time limit (after the search around the heuristic's network) the two halves get.
    public var subsetShare = 0.5
    /// Each half's time limit when the whole search has none.
    public var subsetSeconds = 30.0
    /// The share of the time limit the support cuts get from the heuristic's count before the big-M MIP looks for
    /// a smaller network (with half of the rest); without a time limit the cuts run until they close.
    public var incumbentShare = 0.5
    /// The exponent p of the ℓp heuristic, weights 1/(|a_i| + ε)^(1−p).
    public var exponent = 0.5
    /// Most reweighted solves after the least-TV one.
    public var reweightingRounds = 30
    /// Progress lines for stderr (nil: silent).
    public var progress: (@Sendable (String) -> Void)? = nil

    public init() {}
}

/// How the search ended.
public enum SparsestStatus: String, Sendable, Equatable, CustomStringConvertible {
    /// The support cuts proved that no network with fewer neurons interpolates.
    case optimal
    /// The time limit stopped the MIP: the best count found and the bound proven so far.
    case timeLimit = "time-limit"
    /// A signal stopped the search (`SparsestOptions.watchesSignals`): as `timeLimit`.
    case interrupted
    /// `--heuristic`: reweighted ℓ1 only, never a proof.
    case heuristic

    public var description: String { rawValue }
}

/// Why the search was refused or failed.
public enum SparsestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The general-position estimate of the regions is above the limit.
    case tooManyRegions(estimate: Int, limit: Int)
    /// Two rows with the same input and different labels (1-based rows).
    case conflictingLabels(first: Int, second: Int)
    /// No network fits the labels (e.g. without a bias, a label ≠ 0 at a zero input).
    case notInterpolable(String)
    /// The arrangement refused the data.
    case arrangement(ArrangementError)
    /// An LP or MIP call failed or ended without an answer.
    case solver(String)

    public var description: String {
        switch self {
        case .tooManyRegions(let estimate, let limit):
            let shown = estimate == Int.max ? "more than \(Int.max)" : "up to \(estimate)"
            return "the arrangement may have \(shown) regions (general-position bound), more than the limit \(limit) "
                + "of the sparsest-interpolant MIP (two binaries per region); use --heuristic for a count without "
                + "a proof, or raise --max-mip-regions (library: SparsestOptions.maxRegions)"
        case .conflictingLabels(let first, let second):
            return
                "the data cannot be interpolated: rows \(first) and \(second) have the same input and different labels"
        case .notInterpolable(let why): return "the data cannot be interpolated: \(why)"
        case .arrangement(let error): return error.description
        case .solver(let why): return why
        }
    }
}

/// The sparsest interpolant found: its network, the count with the proven lower bound, and the heuristics' counts.
public struct SparsestResult: Sendable {
    /// The network (merged per region and sign), lifted weights as every model's.
    public var measure: DiracMeasure
    /// Its number of neurons.
    public var count: Int
    /// No interpolating network has fewer neurons than this (support cuts, no bound assumed); 0 for the heuristic.
    public var lowerBound: Int
    /// The big-M MIP's bound, which holds only for networks within `outputBound` (nil for the heuristic).
    public var boundWithinM: Int?
    /// What the proof used (nil for the heuristic).
    public var proof: SparsestProof?
    public var status: SparsestStatus
    /// Neurons of the least-total-variation interpolant (merged per region and sign).
    public var leastTVCount: Int
    /// Neurons after reweighted ℓ1.
    public var reweightedCount: Int
    /// The output bound M of the MIP that finds the network (in units of the labels), or nil for the heuristic.
    public var outputBound: Double?
    /// Whether some neuron of the result sits within 1% of M (then a larger M might find fewer neurons).
    public var outputBoundActive: Bool
    public var regions: Int
    /// Candidate columns (extreme rays with a non-zero output).
    public var columns: Int
    /// Branch-and-bound nodes of the MIP.
    public var nodes: Int
    /// `max_j |f(x_j) − y_j|`.
    public var misfit: Double
    public var backend: String
    public var seconds: Double
}

/// The cuts of the count's proof (docs/mathematics.md §10): Farkas cuts checked in floating point by relulp, and
/// cuts resting on the LP backend's answer (no-good cuts, Farkas cuts with a ray the support holds with both signs).
public struct SparsestProof: Sendable, Equatable {
    public var checkedCuts: Int
    public var lpVerdictCuts: Int
    /// Set-cover master MIPs solved.
    public var masterSolves: Int
    /// Mean number of pairs in the cuts of rejected supports (smaller cuts rule out more supports each).
    public var meanCutPairs: Double
    /// Every cut of the proof, as the arrangement's (region, sign) pairs: every interpolating network has a neuron
    /// in each cut, so the other pairs together cannot fit the labels (what a test re-checks independently).
    public var cuts: [[SparsestPair]]

    public init(
        checkedCuts: Int, lpVerdictCuts: Int, masterSolves: Int, meanCutPairs: Double = 0, cuts: [[SparsestPair]] = []
    ) {
        self.checkedCuts = checkedCuts
        self.lpVerdictCuts = lpVerdictCuts
        self.masterSolves = masterSolves
        self.meanCutPairs = meanCutPairs
        self.cuts = cuts
    }
}

/// A neuron's place: a region of the arrangement (`Arrangement.signVector(ofRegion:)`) and the amplitude's sign.
public struct SparsestPair: Sendable, Hashable {
    public var region: Int
    public var positive: Bool

    public init(region: Int, positive: Bool) {
        self.region = region
        self.positive = positive
    }
}
