import Foundation

/// Why a model cannot be certified against a data set: the two do not belong together, or the model lacks
/// what the check needs. One line, for the user.
public struct CertificateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Settings of `CertificateReport.analyze`.
public struct CertificateCheckOptions: Sendable {
    /// The default `tolerance`: that of training.
    public static let defaultTolerance = TrainingOptions.defaultTolerance
    /// Relative gap at which the model counts as optimal. Never the model file's `tolerance`: a file must not
    /// decide how strictly it is checked.
    public var tolerance: Double
    /// Uniqueness needs every region side without a Dirac to stay below `1 − marginTolerance`.
    public var marginTolerance: Double = 1e-6
    /// An interpolation model (λ = 0) is an upper bound only where it fits: every |y_j − f(x_j)| ≤ this
    /// × max |y| (relative, as the gap).
    public var fitTolerance: Double = 1e-9
    /// Full column rank of the support's activation matrix: smallest singular value > this × the largest.
    public var rankTolerance: Double = 1e-9
    /// A point counts as on a Dirac's hyperplane when `|⟨w, x̃_j⟩| ≤ boundaryTolerance · ‖x̃_j‖`.
    public var boundaryTolerance: Double = 1e-9
    /// Refuse to enumerate data whose dual-region estimate exceeds this.
    public var maxRegions: Int = Arrangement.defaultMaxRegions
    /// How the maxima over the sphere are taken: over every enumerated dual region, or by the branch-and-bound
    /// search (`CertificateSearch`, no region stored); `.auto` decides by `PricingMode.enumerates`.
    public var pricing: PricingMode = .auto
    /// Refuse the search when the general-position estimate of the regions exceeds this.
    public var maxSearchRegions: Int = PricingMode.defaultSearchLimit
    /// The search looks for the uniqueness margin among at most this many of the largest region sides.
    public var maxMarginSides: Int = 1 << 16
    /// Progress of a long search (stderr in the CLI).
    public var searchProgress: (@Sendable (String) -> Void)? = nil

    /// The sample weights the model was trained with (its `weightColumn`, re-read from the data); nil for none.
    /// `analyze(model:data:)` takes them from the data set when nil here.
    public var sampleWeights: [Double]? = nil
    public init(tolerance: Double = CertificateCheckOptions.defaultTolerance) { self.tolerance = tolerance }
}

/// The exact check of a trained model against its data (docs/mathematics.md §5): optimality through the duality gap
/// recomputed from scratch, where every Dirac sits on the certificate, sparsity, and a sufficient condition for
/// uniqueness. Every maximum over the sphere is taken over all dual regions, not sampled: region by region after
/// enumerating them, or by the branch-and-bound search, whose leaves and pruned nodes cover the sphere.
public struct CertificateReport: Sendable, Codable, Equatable {
    public struct Optimality: Sendable, Codable, Equatable {
        /// U: data loss + λ·TV of the model's atoms on the data, recomputed here.
        public var objective: Double
        public var dataLoss: Double
        public var totalVariation: Double
        /// The objective written in the model file, for comparison only.
        public var modelObjective: Double
        /// The loss's dual objective at p scaled into feasibility (`Loss.lowerBound`; for L1 and hinge
        /// L = min(1, λ/M) Σ_j p_j y_j) with p the model's dual vector clamped to the loss's box.
        public var lowerBound: Double
        /// U − L.
        public var gap: Double
        /// (U − L) / |U|, floored once within the absolute accuracy (`RelativeGap`).
        public var relativeGap: Double
        public var tolerance: Double
        /// Largest amount by which the stored dual left the loss's box (|p_j| ≤ 1/n for L1; clamped before use).
        public var dualClamped: Double
        /// max over the sphere of |η| = M/λ, or an upper bound on it when `maxAbsEtaExact` is false.
        public var maxAbsEta: Double
        /// False when the search only proved `maxAbsEta` as a bound: it stops refining below the value up to which
        /// the lower bound does not depend on M (about 1 − marginTolerance), so a bound there serves as well.
        public var maxAbsEtaExact: Bool
        /// The region (index, sign vector) and side (+1: max of η, −1: min) where max |η| is attained, and the point.
        /// The index exists only with enumeration; without an exact maximum these are unknown (nil, 0, "").
        public var argmaxRegion: Int?
        public var argmaxSign: Int
        public var argmaxSignVector: String
        public var argmaxPoint: [Double]?
        public var certifiedOptimal: Bool
    }

    public struct Support: Sendable, Codable, Equatable {
        public var index: Int
        public var amplitude: Double
        public var weights: [Double]
        /// The Dirac's sign vector: `+`/`-` for ⟨w, x̃_j⟩ > 0 / < 0 and `0` for points whose hyperplane holds w.
        public var signVector: String
        /// Every dual region whose closure holds the Dirac (one unless it sits on a boundary); nil without enumeration.
        public var regions: [Int]?
        /// The region of `regions` whose extreme point (on the amplitude's side) is nearest to the Dirac; nil
        /// without enumeration.
        public var region: Int?
        /// η at the Dirac, from the definition.
        public var eta: Double
        /// The extreme value of sign(a)·η on `region` and the point attaining it. Without enumeration: over the
        /// cones of the completions of `signVector` (its `0` entries set both ways, up to 10 of them; nil beyond).
        public var regionExtremeValue: Double?
        public var extremePoint: [Double]?
        /// Euclidean distance between the Dirac's unit vector and `extremePoint`.
        public var distanceToExtremePoint: Double?
        /// sign(η) = sign(a) and |η| ≥ 1 − tolerance.
        public var onCertificate: Bool
    }

    public struct Sparsity: Sendable, Codable, Equatable {
        public var diracs: Int
        public var positive: Int
        public var negative: Int
        public var n: Int
        /// Counted by the enumeration; nil with the search.
        public var regions: Int?
        public var rays: Int?
        public var generalPositionBound: Int
    }

    public struct Uniqueness: Sendable, Codable, Equatable {
        /// Singular values of the activation matrix (n × #Diracs), largest first.
        public var singularValues: [Double]
        public var rank: Int
        public var smallestSingularValue: Double?
        public var largestSingularValue: Double?
        public var independent: Bool
        /// Largest extreme value of |η| over region sides whose closure holds no Dirac of that sign (nil: none).
        public var margin: Double?
        /// Search only, when no region side above its threshold lacks a Dirac: every such side has |η| at most this.
        public var marginAtMost: Double?
        public var marginRegion: Int?
        public var marginSign: Int?
        public var marginSignVector: String?
        public var marginTolerance: Double
        /// The sufficient condition holds (and the model is certified optimal).
        public var unique: Bool
    }

    /// How the maxima were taken: `.enumerate` or `.branchAndBound`.
    public var pricing: PricingMode
    /// Nodes bounded and leaves (dual regions) solved by the search; nil with enumeration.
    public var searchNodes: Int?
    public var searchLeaves: Int?
    public var lambda: Double
    public var n: Int
    public var dimension: Int
    public var bias: Bool
    public var features: [String]
    public var optimality: Optimality
    public var support: [Support]
    public var sparsity: Sparsity
    public var uniqueness: Uniqueness
    /// "certified optimal" / "not certified optimal (…)", then "unique" / "not shown unique (…)".
    public var optimalityVerdict: String
    public var uniquenessVerdict: String
    public var verdict: String { optimalityVerdict + ", " + uniquenessVerdict }
    public var certifiedOptimal: Bool { optimality.certifiedOptimal }
    public var unique: Bool { uniqueness.unique }
}

extension CertificateReport {
    /// Checks `model` against `data` (feature columns matched by name): lifts the data in the model's layout,
    /// enumerates the dual regions (`progress` hears about a long enumeration once a second) or leaves the maxima
    /// to the search (`options.pricing`), then analyses. Throws when the two do not belong together or the data
    /// have too many regions for the chosen way.
    public static func analyze(
        model: ModelFile, data: Dataset, dataPath: String = "data",
        options: CertificateCheckOptions = .init(),
        progress: ((EnumerationProgress) -> Void)? = nil
    )
        throws(CertificateError) -> CertificateReport
    {
        let points: LiftedData
        do { points = try model.liftedPoints(of: data, dataPath: dataPath) } catch {
            throw CertificateError("\(error)")
        }
        try checkMatch(model: model, pointCount: data.count, dataPath: dataPath)
        let pricer: any Pricer
        do {
            pricer = try options.pricing.pricer(
                for: points, maxRegions: options.maxRegions, maxSearchRegions: options.maxSearchRegions,
                progress: progress)
        } catch {
            if case .tooManyRegions = error {
                throw CertificateError(
                    "\(error); or certify without enumerating: --pricing branch-and-bound "
                        + "(library: pricing: .branchAndBound)")
            }
            throw CertificateError("\(error)")
        }
        var withWeights = options
        withWeights.sampleWeights = options.sampleWeights ?? data.sampleWeights
        return try analyze(model: model, points: points, labels: data.labels, pricer: pricer, options: withWeights)
    }

    /// Checks that the model carries a dual vector of the data's length.
    public static func checkMatch(
        model: ModelFile, pointCount n: Int,
        dataPath: String = "data"
    ) throws(CertificateError) {
        guard let certificate = model.certificate, !certificate.dual.isEmpty else {
            throw CertificateError(
                "the model has no dual vector (\"certificate.dual\"), so there is nothing to certify; "
                    + "re-solve it with `relulp solve --output`")
        }
        guard model.n == n else {
            throw CertificateError(
                "\(dataPath): \(n) data points, but the model was trained on n = \(model.n); "
                    + "model and data do not belong together")
        }
        guard certificate.dual.count == n else {
            throw CertificateError("the model's dual vector has \(certificate.dual.count) entries for \(n) data points")
        }
        guard certificate.dual.allSatisfy(\.isFinite) else {
            throw CertificateError("the model's dual vector has non-finite entries")
        }
    }

    /// The analysis proper, on lifted points in the model's layout and their dual regions.
    public static func analyze(
        model: ModelFile, points: LiftedData, labels: [Double], arrangement: Arrangement,
        options: CertificateCheckOptions = .init()
    )
        throws(CertificateError) -> CertificateReport
    {
        guard arrangement.dimension == model.dimension else {
            throw CertificateError(
                "the data lift to dimension \(arrangement.dimension), the model's atoms have "
                    + "\(model.dimension) weights")
        }
        return try analyze(
            model: model, points: points, labels: labels,
            pricer: EnumeratedPricer(arrangement: arrangement), options: options)
    }

    /// The analysis proper, on lifted points in the model's layout, every maximum over the sphere taken by `pricer`
    /// (docs/mathematics.md §5): over the enumerated regions, or by the branch-and-bound search (region indices are
    /// then absent from the report).
    public static func analyze(
        model: ModelFile, points: LiftedData, labels: [Double], pricer: any Pricer,
        options: CertificateCheckOptions = .init()
    )
        throws(CertificateError) -> CertificateReport
    {
        let check = try CertificateCheck(model: model, points: points, labels: labels, options: options)
        let maxima = pricer.certificateMaxima(
            dual: check.p, atoms: check.atoms, atomSigns: check.atomSigns,
            threshold: check.threshold, options: options)
        return check.report(maxima: maxima, pricing: pricer.mode)
    }

    /// The report as pretty-printed JSON (sorted keys).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf",
            nan: "nan")
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}

/// `Σ_j p_j σ(⟨w, x̃_j⟩)` from the definition (λ·η).
func certificateValue(dual p: [Double], points: LiftedData, at w: [Double]) -> Double {
    var s = 0.0
    for j in 0..<points.count { s += p[j] * max(dot(w, points[point: j]), 0) }
    return s
}

/// Singular values (largest first) of the matrix with the given columns, by one-sided Jacobi (Hestenes):
/// rotate column pairs until all are orthogonal; the singular values are then the column norms. This is the
/// Jacobi eigenvalue method on the Gram matrix AᵀA carried out on A itself, so small singular values keep
/// their relative accuracy instead of being squared away.
public func singularValues(columns: [[Double]]) -> [Double] {
    var a = columns
    let k = a.count
    guard k > 0 else { return [] }
    for _ in 0..<80 {
        var rotated = false
        for i in 0..<k {
            for j in (i + 1)..<k {
                var alpha = 0.0
                var beta = 0.0
                var gamma = 0.0
                for r in a[i].indices {
                    alpha += a[i][r] * a[i][r]
                    beta += a[j][r] * a[j][r]
                    gamma += a[i][r] * a[j][r]
                }
                guard gamma != 0, abs(gamma) > 1e-15 * (alpha * beta).squareRoot() else { continue }
                rotated = true
                let zeta = (beta - alpha) / (2 * gamma)
                let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                let c = 1 / (1 + t * t).squareRoot()
                let s = c * t
                for r in a[i].indices {
                    let x = a[i][r]
                    let y = a[j][r]
                    a[i][r] = c * x - s * y
                    a[j][r] = s * x + c * y
                }
            }
        }
        if !rotated { break }
    }
    return a.map { norm($0) }.sorted(by: >)
}

extension Arrangement {
    /// For each unit vector: its sign vector against the data (`+`, `-`, `0` within `tolerance`·‖x̃_j‖) and every
    /// dual region whose closure holds it (sign vectors agreeing off the zero entries). One pass over the regions.
    public func closureRegions(
        of vectors: [[Double]],
        tolerance: Double = 1e-9
    ) -> (signVectors: [String], regions: [[Int]]) {
        let signs = boundarySigns(of: vectors, points: points, tolerance: tolerance)
        return (signs.map(signText), closureRegions(signs: signs))
    }

    /// For each sign vector with `0` entries (`boundarySigns`): the regions whose sign vectors agree with it off
    /// its zero entries.
    func closureRegions(signs: [[Int8]]) -> [[Int]] {
        let n = points.count
        var regions = [[Int]](repeating: [], count: signs.count)
        if !signs.isEmpty {
            for k in 0..<numberOfRegions {
                let s = signVector(ofRegion: k)
                for (i, v) in signs.enumerated() {
                    var fits = true
                    for j in 0..<n where v[j] != 0 && (v[j] > 0) != s[j] {
                        fits = false
                        break
                    }
                    if fits { regions[i].append(k) }
                }
            }
        }
        return regions
    }
}

/// Each vector's signs against the points: `1`/`−1` for `⟨w, x̃_j⟩` above/below `tolerance · ‖x̃_j‖` in absolute
/// value, `0` on (or within the tolerance of) the point's hyperplane.
func boundarySigns(of vectors: [[Double]], points: LiftedData, tolerance: Double) -> [[Int8]] {
    vectors.map { w in
        (0..<points.count).map { j in
            let x = points[point: j]
            let t = dot(w, x)
            let scale = tolerance * max(norm(x), 1e-300)
            return t > scale ? 1 : (t < -scale ? -1 : 0)
        }
    }
}

/// `+`, `-`, `0` per entry.
func signText(_ signs: [Int8]) -> String { String(signs.map { $0 > 0 ? "+" : ($0 < 0 ? "-" : "0") }) }

/// The certificate evaluated region by region: `η(w) = ⟨v_s, w⟩/λ` on the region `s` holding `w`. An
/// independent route to η (through the arrangement's region vectors), for checks against the definition.
public struct RegionCertificate: Sendable {
    public let arrangement: Arrangement
    public let lambda: Double
    /// `v_s` for every region, row-major `numberOfRegions × d`.
    public let regionVectors: [Double]

    public init(arrangement: Arrangement, dual p: [Double], lambda: Double) {
        self.arrangement = arrangement
        self.lambda = lambda
        self.regionVectors = arrangement.regionVectors(dual: p)
    }

    /// η at `w` through the (first) region whose closure holds it; nil if none does.
    public func eta(at w: [Double]) -> Double? {
        guard let k = arrangement.closureRegions(of: [w], tolerance: 0).regions[0].first else { return nil }
        return etaOnRegion(k, at: w)
    }

    /// The linear piece of region `k` at `w`: `⟨v_k, w⟩/λ`.
    public func etaOnRegion(_ k: Int, at w: [Double]) -> Double {
        let d = arrangement.dimension
        return dot(regionVectors[(k * d)..<(k * d + d)], w) / lambda
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
