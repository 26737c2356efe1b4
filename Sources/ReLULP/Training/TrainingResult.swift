import Foundation

/// The dual certificate of a solution: the dual vector `p` (in the loss's box, e.g. |p_j| ≤ 1/n for L1) and the
/// largest |η| over the sphere.
public struct Certificate: Sendable, Equatable, Codable {
    public var dual: [Double]
    public var maxAbsEta: Double
}

/// A solved instance of (P): the measure (a sparse network), its objective recomputed from the atoms, the
/// certified lower bound and the dual certificate behind it.
public struct TrainingResult: Sendable {
    public var measure: DiracMeasure
    /// The unpenalised output constant `b` when the run fits one (`TrainingOptions.intercept`), else nil.
    public var intercept: Double?
    /// The data term of (P) that was minimised.
    public var lossFunction: Loss
    /// For the hinge loss the two label values `[negative, positive]` mapped to −1 and +1; nil otherwise.
    public var classes: [Double]?
    /// `loss + λ · totalVariation`, recomputed from the final atoms (the total variation for the interpolation).
    public var objective: Double
    public var loss: Double
    public var totalVariation: Double
    /// A lower bound on the optimum of (P) over all measures (docs/mathematics.md §4, "Pricing and the lower bound").
    public var lowerBound: Double
    /// Where `lowerBound` comes from: an exact pricing, a cut search's bound on M, a subset of the points
    /// (`boundPoints` of them; docs/mathematics.md §11, "Subsets"), or none (the bound 0 of a run without a priced round).
    public var boundSource = BoundSource.exact
    public var boundPoints: Int? = nil
    /// `(objective − lowerBound) / |objective|`, floored once within the absolute accuracy (`RelativeGap`).
    public var gap: Double
    /// What was minimised: (P) with its λ, or the interpolation.
    public var problem: Objective
    /// Why the column generation stopped.
    public var termination: Termination
    /// Whether `gap` is within the run's tolerance: decided once, from the reported network's gap.
    public var certified: Bool
    public var certificate: Certificate
    public var method: TrainingMethod
    public var backend: LPBackend
    /// The form the master LP was solved in (`.primal` or `.dual`).
    public var master: MasterForm
    public var rounds: Int
    public var columns: Int
    /// The matrix entries of the master's neurons at the end: what `TrainingOptions.maxMasterEntries` bounds.
    public var masterEntries: Int
    public var regions: Int
    /// Seconds of the whole run, the internal warm start's included.
    public var seconds: Double
    /// The λ of the internal warm start's path, largest first (empty when the solve started cold).
    public var warmStart: [Double] = []

    /// The weight λ of the total variation (0 for the interpolation).
    public var lambda: Double { problem.lambda }

    /// What the network is: the column generation's (an optimum when certified) or the vertex LP's (an upper bound).
    public var kind: ResultKind { method == .vertices ? .upperBound : .optimum }

    /// The status reported in logs and model files.
    public var status: TrainingStatus { TrainingStatus(kind: kind, termination: termination, certified: certified) }
}

/// Why the column generation stopped (MathOptInterface's termination status), apart from what the result is.
public enum Termination: Sendable, Equatable, CaseIterable {
    /// A round's bounds closed the gap to the tolerance (the run may have polished a few rounds more for a dual
    /// that certifies its own network, and ends so too when those rounds stall or reach the size limit).
    case gapClosed
    /// The round limit stopped the run.
    case roundLimit
    /// The time limit stopped the run.
    case timeLimit
    /// SIGINT or SIGTERM stopped the run (`Interruption`).
    case interrupted
    /// Neither bound moved for 20 rounds, or pricing found no new neuron although the gap is open (numerical
    /// trouble in the master LP).
    case stalled
    /// The master LP would have passed `maxMasterEntries` matrix entries (its memory).
    case sizeLimit
    /// `--method vertices` with the gap open: its one LP over every region's extreme rays is solved, and it adds
    /// no columns.
    case vertexLPSolved
}

/// What a result is (MathOptInterface's result status), apart from why the run stopped.
public enum ResultKind: Sendable, Equatable {
    /// The column generation's network: the optimum of (P) to the tolerance when the result is certified.
    case optimum
    /// `--method vertices`: the vertex LP's network, an upper bound with its gap, never called optimal.
    case upperBound
}

/// The status of a run as logs and model files report it, derived from its kind, termination and gap
/// (`init(kind:termination:certified:)`). Only `.optimal` comes with a duality gap within the tolerance.
public enum TrainingStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Certified: the relative gap between the network's objective and the lower bound is within tolerance.
    case optimal
    /// The round limit stopped the run before the gap closed.
    case roundLimit = "round-limit"
    /// The time limit stopped the run before the gap closed.
    case timeLimit = "time-limit"
    /// SIGINT or SIGTERM stopped the run before the gap closed.
    case interrupted
    /// Pricing found no improving neuron although the gap is open (numerical trouble in the master LP).
    case stalled
    /// `--method vertices`: an upper bound with its certified gap, never called optimal.
    case upperBound = "upper-bound"
    /// The master LP would have passed `maxMasterEntries` matrix entries (its memory) before the gap closed.
    case sizeLimit = "size-limit"

    public var description: String { rawValue }

    /// The one place the status comes from: a run cut by its time limit or a signal says so, whatever its kind;
    /// a vertex LP is otherwise an upper bound; a run that closed the gap is optimal when the reported network's
    /// gap is within the tolerance too, else stalled (numerical trouble); every other termination names itself.
    public init(kind: ResultKind, termination: Termination, certified: Bool) {
        guard kind == .optimum || termination == .timeLimit || termination == .interrupted else {
            self = .upperBound
            return
        }
        switch termination {
        case .gapClosed: self = certified ? .optimal : .stalled
        case .roundLimit: self = .roundLimit
        case .timeLimit: self = .timeLimit
        case .interrupted: self = .interrupted
        case .stalled: self = .stalled
        case .sizeLimit: self = .sizeLimit
        case .vertexLPSolved: self = .upperBound
        }
    }
}
