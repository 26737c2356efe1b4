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
    /// The data term of (P) that was minimised.
    public var lossFunction: Loss
    /// For the hinge loss the two label values `[negative, positive]` mapped to −1 and +1; nil otherwise.
    public var classes: [Double]?
    /// `loss + λ · totalVariation`, recomputed from the final atoms.
    public var objective: Double
    public var loss: Double
    public var totalVariation: Double
    /// A lower bound on the optimum of (P) over all measures (docs/mathematics.md §4, "Pricing and the lower bound").
    public var lowerBound: Double
    /// `(objective − lowerBound) / max(1, |objective|)`.
    public var gap: Double
    public var status: TrainingStatus
    public var certificate: Certificate
    public var lambda: Double
    public var method: TrainingMethod
    public var backend: LPBackend
    /// The form the master LP was solved in (`.primal` or `.dual`).
    public var master: MasterForm
    public var rounds: Int
    public var columns: Int
    /// The matrix entries of the master's neurons at the end: what `TrainingOptions.maxMasterEntries` bounds.
    public var masterEntries: Int
    public var regions: Int
    public var seconds: Double
}
