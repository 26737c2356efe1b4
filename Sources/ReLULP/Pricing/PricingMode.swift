import Foundation

/// How each round finds the largest |η| over the sphere: a scan of every enumerated dual region, or the
/// branch and bound over sign splits (`CertificateSearch`), which never stores the regions. Both are exact.
public enum PricingMode: String, Sendable, CaseIterable, Codable {
    case enumerate
    case branchAndBound = "branch-and-bound"
    /// Enumerate when the general-position bound on the regions is at most `enumerationLimit`, else search.
    case auto

    /// Where `auto` stops enumerating: the search was faster at 3.2·10⁵ and 10⁶ regions, slower at 10³
    /// (benchmarks/RESULTS.md, "Pricing without the regions").
    public static let enumerationLimit = 200_000

    /// Where `auto` stops enumerating when the solution is expected to have many atoms (`AtomRegime.many`): a
    /// round's scan of 10⁶ regions takes 0.2–0.3 s there, a search round 1–4 s, and the search's heuristic rounds
    /// find little (plane n = 1000, λ = 1e-4; benchmarks/RESULTS.md, "Small λ at 1000 points"). About 1 GB of
    /// regions.
    public static let manyAtomsEnumerationLimit = 2_000_000

    /// Default limit on the general-position bound for the branch and bound: R³ with n = 1000 (3.3·10⁸ regions)
    /// certifies in minutes, while 10 features with 200 points (~10¹⁶) would not end.
    public static let defaultSearchLimit = 1_000_000_000

    /// The budget of anytime mode when no time limit is given, in seconds (docs/mathematics.md §11).
    public static let defaultAnytimeBudget = 60.0

    /// Whether `auto` leaves `n` points in R^d to a search that is not expected to finish (anytime mode): more
    /// regions than `maxSearchRegions` (general-position bound, overflow included) and more than it enumerates.
    public func searchesAnytime(
        points n: Int, dimension d: Int, maxRegions: Int = Arrangement.defaultMaxRegions,
        maxSearchRegions: Int = Self.defaultSearchLimit, atoms: AtomRegime = .few
    ) -> Bool {
        self == .auto && !enumerates(points: n, dimension: d, maxRegions: maxRegions, atoms: atoms)
            && Arrangement.generalPositionBound(points: n, dimension: d) > maxSearchRegions
    }

    /// Whether to enumerate the regions of n points in R^d; `auto` enumerates up to `enumerationLimit` regions
    /// (`manyAtomsEnumerationLimit` when many atoms are expected) and never beyond `maxRegions` (general-position
    /// bounds), and leaves larger data to the search.
    public func enumerates(
        points n: Int, dimension d: Int, maxRegions: Int = Arrangement.defaultMaxRegions, atoms: AtomRegime = .few
    ) -> Bool {
        switch self {
        case .enumerate: true
        case .branchAndBound: false
        case .auto:
            Arrangement.generalPositionBound(points: n, dimension: d)
                <= min(maxRegions, atoms == .many ? Self.manyAtomsEnumerationLimit : Self.enumerationLimit)
        }
    }

    /// The pricer this mode chooses for `points`: the enumerated regions (`progress` hears about a long
    /// enumeration once a second) or the branch and bound. Refuses, before any work, more than `maxRegions`
    /// regions to enumerate or `maxSearchRegions` to search (general-position bounds); with `anytime`, `auto`
    /// searches above `maxSearchRegions` too (`searchesAnytime`). An enumeration ended by `deadline` leaves the
    /// pricing to the search (the run it serves ends at once, by the same deadline, with status time-limit).
    /// `atoms`: the regime of the runs it will price (`AtomRegime`), which moves `auto`'s limit.
    public func pricer(
        for points: LiftedData, maxRegions: Int = Arrangement.defaultMaxRegions,
        maxSearchRegions: Int = Self.defaultSearchLimit, anytime: Bool = false, atoms: AtomRegime = .few,
        progress: ((EnumerationProgress) -> Void)? = nil, deadline: Deadline = .none
    ) throws(ArrangementError) -> any Pricer {
        guard enumerates(points: points.count, dimension: points.dimension, maxRegions: maxRegions, atoms: atoms) else {
            let estimate = Arrangement.generalPositionBound(points: points.count, dimension: points.dimension)
            guard estimate <= maxSearchRegions || (anytime && self == .auto) else {
                throw .tooManyRegionsToSearch(estimate: estimate, limit: maxSearchRegions)
            }
            return CertificateSearch(points: points)
        }
        do {
            return EnumeratedPricer(
                arrangement: try Arrangement.enumerate(
                    points, maxRegions: maxRegions, progress: progress, deadline: deadline))
        } catch .deadlinePassed {
            return CertificateSearch(points: points)
        }
    }
}
