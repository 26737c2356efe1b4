/// Finds where the dual certificate `Σ_j p_j σ(⟨w, x̃_j⟩)` is large over the unit sphere, exactly (docs/mathematics.md
/// §3–§5): the column generation's pricing and the certificate check reach the two ways of doing it (a scan of the
/// enumerated dual regions, `EnumeratedPricer`; the branch and bound over sign splits, `CertificateSearch`) only
/// through this protocol.
public protocol Pricer: Sendable {
    /// The lifted points the certificate is built from.
    var points: LiftedData { get }
    /// `.enumerate` or `.branchAndBound`: how this pricer takes the maxima (reported by the certificate check).
    var mode: PricingMode { get }
    /// The enumerated dual regions when the pricer keeps them (the vertex LP needs their extreme rays); nil when
    /// it never stores them.
    var arrangement: Arrangement? { get }

    /// Column generation's pricing of the dual `p`: the maximum of `|Σ_j p_j σ(⟨w, x̃_j⟩)|` when it reaches
    /// `threshold` (otherwise a value at most `threshold`, which is all a lower bound needs), and the `keep` largest
    /// region sides above `threshold` (nil: all of them), largest first. The caller sets `keep`: it costs the search
    /// pruning, the enumeration projections (its lazy scan stops once no region left can enter them).
    /// A search cut by `deadline` or after about `maxNodes` nodes (then on one thread, deterministic) returns the
    /// bound of its open nodes (`BoundSource.searchBound`); the scan of enumerated regions (in memory) is not cut.
    func price(
        dual p: [Double], threshold: Double, keep: Int?, deadline: Deadline, maxNodes: Int?,
        progress: (@Sendable (String) -> Void)?
    ) -> PricingResult

    /// The unit vector attaining `side.value` (a new neuron's weights); nil when the projection vanishes.
    func extremePoint(of side: RegionSide, in pricing: PricingResult) -> [Double]?

    /// Heuristic pricing near the given unit vectors (the current atoms): region sides whose values are attained
    /// by the certificate, largest first, without a bound; nil when the pricer has no such shortcut.
    func localSides(dual p: [Double], around seeds: [[Double]]) -> [RegionSide]?

    /// The certificate check's maxima for the dual `p` (units of p: λ·η) and the model's atoms with their sign
    /// vectors (`boundarySigns`). Below `threshold` values need only be bounded (the search stops refining there).
    func certificateMaxima(
        dual p: [Double], atoms: [DiracAtom], atomSigns: [[Int8]], threshold: Double,
        options: CertificateCheckOptions
    ) -> CertificateMaxima
}

extension Pricer {
    /// `price` without a deadline.
    public func price(
        dual p: [Double], threshold: Double, keep: Int?, progress: (@Sendable (String) -> Void)?
    ) -> PricingResult {
        price(dual: p, threshold: threshold, keep: keep, deadline: .none, maxNodes: nil, progress: progress)
    }
}

/// Where a round's bound on M = max |η| comes from (docs/mathematics.md §11): a pricing that ran to its end, the
/// open nodes of a search cut by its deadline (a valid bound, usually loose), or none (heuristic pricing only);
/// or, for a run's lower bound, the problem restricted to a subset of the points (§11, "Subsets").
public enum BoundSource: String, Sendable, CaseIterable {
    case exact
    case searchBound = "search-bound"
    case subset
    case none
}

/// One side of a dual region `s` where the certificate is large: `value = ‖Π_{R_s}(±v_s)‖`, the extreme value of
/// `±Σ_j p_j σ(⟨w, x̃_j⟩)` on the region (docs/mathematics.md §3).
public struct RegionSide: Sendable, Equatable {
    /// +1: a maximum of the certificate (a positive neuron), −1: a minimum.
    public var sign: Int
    public var value: Double
    /// The region's index in the enumerated arrangement; nil from the search (which does not index regions).
    public var region: Int?
    /// The unit vector attaining `value` when the pricer found it already (the search); else `Pricer.extremePoint`.
    public var weights: [Double]?
}

/// What one pricing (`Pricer.price`) found.
public struct PricingResult: Sendable {
    /// The maximum over the sphere when it reaches the threshold, else a value at most the threshold.
    public var maxValue: Double
    /// The region sides above the threshold, largest first (the `keep` largest the caller asked for).
    public var sides: [RegionSide]
    /// The enumeration's region vectors `v_s` (row-major, regions × d), for the sides' extreme points; empty else.
    public var regionVectors: [Double] = []
    /// The search's nodes bounded, leaves (dual regions) solved and nodes pruned; 0 for the enumeration.
    public var nodes = 0, leaves = 0, pruned = 0
    /// Nodes a cut search left open (0 when it ran to its end).
    public var openNodes = 0
    /// What `maxValue` is: the maximum (or a bound ≤ the threshold) of a finished pricing, the bound of a cut
    /// search, or nothing valid (heuristic).
    public var boundSource = BoundSource.exact
    /// Whether the pricing ran to its end.
    public var complete: Bool { boundSource == .exact }
}
