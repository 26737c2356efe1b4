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
    /// Relative gap at which the model counts as optimal; `nil`: the model file's `tolerance`.
    public var tolerance: Double?
    /// Uniqueness needs every region side without a Dirac to stay below `1 − marginTolerance`.
    public var marginTolerance: Double = 1e-6
    /// An interpolation model (λ = 0) is an upper bound only where it fits: every |y_j − f(x_j)| ≤ this × max(1, max |y|).
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

    public init(tolerance: Double? = nil) { self.tolerance = tolerance }
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
        /// (U − L) / max(1, |U|).
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
    public static func analyze(model: ModelFile, data: Dataset, dataPath: String = "data",
                               options: CertificateCheckOptions = .init(),
                               progress: ((EnumerationProgress) -> Void)? = nil) throws(CertificateError) -> CertificateReport {
        let points: LiftedData
        do { points = try model.liftedPoints(of: data, dataPath: dataPath) } catch {
            throw CertificateError("\(error)")
        }
        try checkMatch(model: model, pointCount: data.count, dataPath: dataPath)
        guard options.pricing.enumerates(points: points.count, dimension: points.dimension, maxRegions: options.maxRegions) else {
            let estimate = Arrangement.generalPositionBound(points: points.count, dimension: points.dimension)
            guard estimate <= options.maxSearchRegions else {
                throw CertificateError("\(ArrangementError.tooManyRegionsToSearch(estimate: estimate, limit: options.maxSearchRegions))")
            }
            return try analyze(model: model, points: points, labels: data.labels, search: CertificateSearch(points: points), options: options)
        }
        let arrangement: Arrangement
        do { arrangement = try Arrangement.enumerate(points, maxRegions: options.maxRegions, progress: progress) } catch {
            if case .tooManyRegions = error {
                throw CertificateError("\(error); or certify without enumerating: --pricing branch-and-bound (library: pricing: .branchAndBound)")
            }
            throw CertificateError("\(error)")
        }
        return try analyze(model: model, points: points, labels: data.labels, arrangement: arrangement, options: options)
    }

    /// Checks that the model carries a dual vector of the data's length.
    public static func checkMatch(model: ModelFile, pointCount n: Int, dataPath: String = "data") throws(CertificateError) {
        guard let certificate = model.certificate, !certificate.dual.isEmpty else {
            throw CertificateError("the model has no dual vector (\"certificate.dual\"), so there is nothing to certify; re-solve it with `relulp solve --output`")
        }
        guard model.n == n else {
            throw CertificateError("\(dataPath): \(n) data points, but the model was trained on n = \(model.n); model and data do not belong together")
        }
        guard certificate.dual.count == n else {
            throw CertificateError("the model's dual vector has \(certificate.dual.count) entries for \(n) data points")
        }
        guard certificate.dual.allSatisfy(\.isFinite) else {
            throw CertificateError("the model's dual vector has non-finite entries")
        }
    }

    /// The analysis proper, on lifted points in the model's layout and their dual regions.
    public static func analyze(model: ModelFile, points: LiftedData, labels: [Double], arrangement: Arrangement,
                               options: CertificateCheckOptions = .init()) throws(CertificateError) -> CertificateReport {
        guard arrangement.dimension == model.dimension else {
            throw CertificateError("the data lift to dimension \(arrangement.dimension), the model's atoms have \(model.dimension) weights")
        }
        return try analyze(model: model, points: points, labels: labels, regions: .arrangement(arrangement), options: options)
    }

    /// The analysis without enumerating the regions: every maximum over the sphere by the branch-and-bound search
    /// over `points` (docs/mathematics.md §5). Region indices are then absent from the report.
    public static func analyze(model: ModelFile, points: LiftedData, labels: [Double], search: CertificateSearch,
                               options: CertificateCheckOptions = .init()) throws(CertificateError) -> CertificateReport {
        try analyze(model: model, points: points, labels: labels, regions: .search(search), options: options)
    }

    /// Where the maxima over the sphere come from.
    private enum Regions {
        case arrangement(Arrangement)
        case search(CertificateSearch)
    }

    /// What the region-dependent part of the analysis found (in units of p: values are λ·η).
    private struct Maxima {
        var maxValue: Double
        var exact: Bool
        var argmax: (region: Int?, sign: Int, signVector: String, point: [Double]?)
        /// Per Dirac: its regions (enumeration only) and the nearest extreme (region, value, point).
        var supportRegions: [[Int]?]
        var supportExtremes: [(region: Int?, value: Double, point: [Double])?]
        var margin: (value: Double, region: Int?, sign: Int, signVector: String)?
        /// Search: no side without a Dirac lies above this (margin nil); nil if found or not determined.
        var marginAtMost: Double?
        /// False when the search gave up looking for the margin (`maxMarginSides`).
        var marginResolved: Bool
        var regions: Int?
        var rays: Int?
        var nodes: Int?
        var leaves: Int?
    }

    private static func analyze(model: ModelFile, points: LiftedData, labels: [Double], regions: Regions,
                                options: CertificateCheckOptions) throws(CertificateError) -> CertificateReport {
        try checkMatch(model: model, pointCount: points.count)
        guard points.dimension == model.dimension else {
            throw CertificateError("the data lift to dimension \(points.dimension), the model's atoms have \(model.dimension) weights")
        }
        guard labels.count == points.count else { throw CertificateError("\(labels.count) labels for \(points.count) points") }
        let n = points.count
        let d = points.dimension
        let lambda = model.lambda
        let tolerance = options.tolerance ?? model.tolerance
        guard tolerance.isFinite, tolerance > 0 else { throw CertificateError("the tolerance must be > 0, got \(tolerance)") }
        let raw = model.certificate!.dual
        let lossFunction = model.lossFunction
        let targets: [Double]
        do { targets = try model.targets(labels: labels) } catch { throw CertificateError(error.message) }
        // The noise-free limit (λ = 0): least total variation subject to f(x_j) = y_j; its dual is free and its
        // certificate is η = Σ_j p_j σ(⟨w, x̃_j⟩) (docs/mathematics.md §5). Otherwise η = (1/λ) Σ_j p_j σ.
        let interpolating = model.problem == .interpolation
        let etaScale = interpolating ? 1 : lambda
        let p = interpolating ? raw : lossFunction.clampedDual(raw, targets: targets, weight: 1 / Double(n))
        let clamped = interpolating ? 0 : lossFunction.dualBoxViolation(raw, targets: targets, weight: 1 / Double(n))

        // U from the atoms; the Diracs' sign vectors (0: on the point's hyperplane) from the definition. An
        // interpolation model is an upper bound only if it fits every label (to `options.fitTolerance`).
        let measure = model.measure
        let outputs = measure.values(at: points)
        let loss = lossFunction.value(outputs: outputs, targets: targets)
        let tv = measure.totalVariation
        let upper = interpolating ? tv : loss + lambda * tv
        let labelScale = max(1, targets.reduce(0) { max($0, abs($1)) })
        let misfit = zip(outputs, targets).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
        let fits = !interpolating || misfit <= options.fitTolerance * labelScale
        let atoms = model.atoms
        let atomSigns = boundarySigns(of: atoms.map(\.weights), points: points, tolerance: options.boundaryTolerance)
        let maxima: Maxima
        let pricing: PricingMode
        switch regions {
        case .arrangement(let arrangement):
            pricing = .enumerate
            maxima = enumeratedMaxima(arrangement: arrangement, dual: p, atoms: atoms, atomSigns: atomSigns)
        case .search(let search):
            pricing = .branchAndBound
            // The interpolation's bound needs M itself: exact above 1 − marginTolerance, where a certified model's is.
            let threshold = interpolating ? (1 - options.marginTolerance) * (1 - 1e-12)
                : min(lossFunction.exactMaximumThreshold(dual: p, targets: targets, lambda: lambda, dimension: d),
                      lambda * (1 - options.marginTolerance)) * (1 - 1e-12)
            maxima = searchedMaxima(search: search, dual: p, threshold: threshold, atoms: atoms, atomSigns: atomSigns, options: options)
        }

        // Optimality: L from the dual and max |Σ p σ| (exact, or a bound where L does not depend on it).
        let m = maxima.maxValue
        let lower = interpolating ? Loss.interpolationLowerBound(dual: p, maxCertificate: m, targets: targets, dimension: d)
            : lossFunction.lowerBound(dual: p, maxCertificate: m, targets: targets, lambda: lambda, dimension: d)
        let gap = upper - lower
        let relativeGap = gap / max(1, abs(upper))
        let certified = relativeGap <= tolerance && fits
        let optimality = Optimality(
            objective: upper, dataLoss: loss, totalVariation: tv, modelObjective: model.objective, lowerBound: lower,
            gap: gap, relativeGap: relativeGap, tolerance: tolerance, dualClamped: clamped, maxAbsEta: m / etaScale,
            maxAbsEtaExact: maxima.exact, argmaxRegion: maxima.argmax.region, argmaxSign: maxima.argmax.sign,
            argmaxSignVector: maxima.argmax.signVector, argmaxPoint: maxima.argmax.point, certifiedOptimal: certified)

        // Support: η at each Dirac and the distance to the nearest extreme point of a region holding it.
        var support: [Support] = []
        for (i, atom) in atoms.enumerated() {
            let sign = atom.amplitude >= 0 ? 1 : -1
            let eta = certificateValue(dual: p, points: points, at: atom.weights) / etaScale
            let best = maxima.supportExtremes[i]
            let distance = best.map { e in zip(e.point, atom.weights).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() }
            support.append(Support(
                index: i, amplitude: atom.amplitude, weights: atom.weights, signVector: signText(atomSigns[i]),
                regions: maxima.supportRegions[i], region: best?.region, eta: eta, regionExtremeValue: best.map { $0.value / etaScale },
                extremePoint: best?.point, distanceToExtremePoint: distance,
                onCertificate: Double(sign) * eta >= 1 - max(tolerance, 1e-6)))
        }

        let sparsity = Sparsity(
            diracs: atoms.count, positive: atoms.filter { $0.amplitude > 0 }.count,
            negative: atoms.filter { $0.amplitude < 0 }.count, n: n, regions: maxima.regions,
            rays: maxima.rays, generalPositionBound: Arrangement.generalPositionBound(points: n, dimension: d))

        // Uniqueness (sufficient): independent activation vectors and a margin below 1 off the support.
        var columns: [[Double]] = []
        for atom in atoms {
            columns.append((0..<n).map { max(dot(atom.weights, points[point: $0]), 0) })
        }
        let singular = singularValues(columns: columns)
        let largest = singular.first
        let rank = singular.filter { $0 > options.rankTolerance * (largest ?? 0) && $0 > 0 }.count
        let independent = rank == atoms.count
        let margin = maxima.margin
        let marginValue = margin.map { $0.value / etaScale }
        let marginOK = maxima.marginResolved && (marginValue ?? 0) < 1 - options.marginTolerance
        let unique = certified && independent && marginOK
        let uniqueness = Uniqueness(
            singularValues: singular, rank: rank, smallestSingularValue: singular.last, largestSingularValue: largest,
            independent: independent, margin: marginValue, marginAtMost: maxima.marginAtMost.map { $0 / etaScale },
            marginRegion: margin?.region, marginSign: margin?.sign, marginSignVector: margin?.signVector,
            marginTolerance: options.marginTolerance, unique: unique)

        var why: [String] = []
        if !certified {
            if !fits { why.append(String(format: "the network does not interpolate the labels: max |y − f| = %.3e", misfit)) }
            if relativeGap > tolerance { why.append(String(format: "relative duality gap %.3e > tolerance %.1e", relativeGap, tolerance)) }
            if m / etaScale > 1 + tolerance { why.append(String(format: "max |η| = %.9f > 1", m / etaScale)) }
            let off = support.filter { !$0.onCertificate }.count
            if off > 0 { why.append("\(off) Dirac\(off == 1 ? "" : "s") where |η| < 1 or of the wrong sign") }
        }
        let optimalityVerdict = certified ? "certified optimal" : "not certified optimal (" + why.joined(separator: "; ") + ")"
        var notUnique: [String] = []
        if !certified { notUnique.append("optimality not certified") }
        if !independent { notUnique.append("activation vectors of the support are dependent (rank \(rank) < \(atoms.count) Diracs)") }
        if !maxima.marginResolved {
            notUnique.append("margin not determined: the \(options.maxMarginSides) largest region sides above 1 − \(options.marginTolerance) all hold a Dirac")
        } else if !marginOK, let margin, let marginValue {
            let which = margin.region.map { "region \($0)" } ?? "a region"
            notUnique.append("\(which) (\(margin.sign > 0 ? "+" : "−") side) without a Dirac reaches |η| = "
                             + String(format: "%.9f ≥ 1 − %.0e", marginValue, options.marginTolerance))
        }
        let uniquenessVerdict = unique ? "unique" : "not shown unique (" + notUnique.joined(separator: "; ") + ")"
        return CertificateReport(
            pricing: pricing, searchNodes: maxima.nodes, searchLeaves: maxima.leaves,
            lambda: lambda, n: n, dimension: d, bias: model.bias, features: model.features, optimality: optimality,
            support: support, sparsity: sparsity, uniqueness: uniqueness, optimalityVerdict: optimalityVerdict,
            uniquenessVerdict: uniquenessVerdict)
    }

    /// The maxima region by region over the enumerated arrangement.
    private static func enumeratedMaxima(arrangement: Arrangement, dual p: [Double], atoms: [DiracAtom],
                                         atomSigns: [[Int8]]) -> Maxima {
        let d = arrangement.dimension
        let vectors = arrangement.regionVectors(dual: p)
        let scan = arrangement.scanCertificate(regionVectors: vectors, threshold: 0)
        func regionVector(_ k: Int) -> ArraySlice<Double> { vectors[(k * d)..<(k * d + d)] }
        var argmax: (region: Int?, sign: Int, signVector: String, point: [Double]?) = (nil, scan.argmaxSign, "", nil)
        if scan.argmaxRegion >= 0 {
            argmax.region = scan.argmaxRegion
            argmax.point = arrangement.extremePoint(region: scan.argmaxRegion, sign: scan.argmaxSign,
                                                    regionVector: regionVector(scan.argmaxRegion))
            argmax.signVector = arrangement.signVector(ofRegion: scan.argmaxRegion).description
        }
        let closures = arrangement.closureRegions(signs: atomSigns)
        var extremes: [(region: Int?, value: Double, point: [Double])?] = []
        var occupied = Set<Int>()   // 2·region + (0: positive side, 1: negative side)
        for (i, atom) in atoms.enumerated() {
            let sign = atom.amplitude >= 0 ? 1 : -1
            var best: (region: Int?, value: Double, point: [Double])? = nil
            var bestDistance = Double.infinity
            for k in closures[i] {
                occupied.insert(2 * k + (sign > 0 ? 0 : 1))
                guard let point = arrangement.extremePoint(region: k, sign: sign, regionVector: regionVector(k)) else { continue }
                let distance = zip(point, atom.weights).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                if best == nil || distance < bestDistance {
                    best = (k, Double(sign) * dot(regionVector(k), point), point)
                    bestDistance = distance
                }
            }
            extremes.append(best)
        }
        var margin: (value: Double, region: Int?, sign: Int, signVector: String)? = nil
        for e in scan.extremes where !occupied.contains(2 * e.region + (e.sign > 0 ? 0 : 1)) {
            if margin == nil || e.value > margin!.value { margin = (e.value, e.region, e.sign, "") }
        }
        if let k = margin?.region { margin!.signVector = arrangement.signVector(ofRegion: k).description }
        return Maxima(maxValue: scan.maxValue, exact: true, argmax: argmax, supportRegions: closures.map { $0 },
                      supportExtremes: extremes, margin: margin, marginAtMost: nil, marginResolved: true,
                      regions: arrangement.numberOfRegions, rays: arrangement.numberOfRays, nodes: nil, leaves: nil)
    }

    /// The maxima by the branch-and-bound search: one search with threshold `threshold` (units of p), keeping the
    /// largest region sides until one without a Dirac is among them or all sides above the threshold are.
    private static func searchedMaxima(search: CertificateSearch, dual p: [Double], threshold: Double, atoms: [DiracAtom],
                                       atomSigns: [[Int8]], options: CertificateCheckOptions) -> Maxima {
        // Search the dual divided by a power of two (exact) so that extreme λ neither overflows nor underflows.
        let largest = p.reduce(0.0) { max($0, abs($1)) }
        let s = largest > 0 && largest.isFinite ? Double(sign: .plus, exponent: largest.exponent, significand: 1) : 1
        let q = p.map { $0 / s }
        let atomSide = atoms.map { $0.amplitude >= 0 ? 1 : -1 }
        // A side is occupied when a Dirac of its sign lies in the region's closure: the Dirac's sign vector agrees
        // with the region's on every nonzero entry.
        func occupied(_ e: CertificateSearch.Extreme) -> Bool {
            guard let region = e.region else { return false }
            return atoms.indices.contains { i in
                atomSide[i] == e.sign && atomSigns[i].indices.allSatisfy { j in atomSigns[i][j] == 0 || (atomSigns[i][j] > 0) == region[j] }
            }
        }
        // The sides the Diracs can occupy: 2^(zero entries) per Dirac, so `keep` one more finds a free side if any.
        let occupiable = atomSigns.reduce(0) { total, signs in
            min(options.maxMarginSides, total + (1 << min(16, signs.filter { $0 == 0 }.count)))
        }
        var keep = occupiable + 1
        var result = search.maximize(dual: q, threshold: threshold / s, keep: keep, progress: options.searchProgress)
        var free = result.extremes.first { !occupied($0) }
        while free == nil && result.extremes.count >= keep && keep <= options.maxMarginSides {
            keep = min(4 * keep, options.maxMarginSides + 1)
            result = search.maximize(dual: q, threshold: threshold / s, keep: keep, progress: options.searchProgress)
            free = result.extremes.first { !occupied($0) }
        }
        let resolved = free != nil || result.extremes.count < keep
        let exact = result.maxValue > threshold / s
        var argmax: (region: Int?, sign: Int, signVector: String, point: [Double]?) = (nil, 0, "", nil)
        if exact, let top = result.extremes.first {
            argmax = (nil, top.sign, top.region?.description ?? "", top.weights)
        }
        // Each Dirac's extreme point: over the completions of its sign vector (regions whose closure holds it).
        var extremes: [(region: Int?, value: Double, point: [Double])?] = []
        for (i, atom) in atoms.enumerated() {
            let zeros = atomSigns[i].indices.filter { atomSigns[i][$0] == 0 }
            guard zeros.count <= 10 else { extremes.append(nil); continue }
            var base = SignVector(count: p.count)
            for (j, v) in atomSigns[i].enumerated() where v > 0 { base[j] = true }
            var best: (region: Int?, value: Double, point: [Double])? = nil
            var bestDistance = Double.infinity
            for mask in 0..<(1 << zeros.count) {
                var region = base
                for (b, j) in zeros.enumerated() { region[j] = mask >> b & 1 == 1 }
                guard let e = search.extreme(dual: p, region: region, sign: atomSide[i]) else { continue }
                let distance = zip(e.weights, atom.weights).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                if distance < bestDistance { best = (nil, e.value, e.weights); bestDistance = distance }
            }
            extremes.append(best)
        }
        let margin = free.map { (value: $0.value * s, region: Int?.none, sign: $0.sign, signVector: $0.region?.description ?? "") }
        return Maxima(maxValue: result.maxValue * s, exact: exact, argmax: argmax,
                      supportRegions: atoms.map { _ in nil }, supportExtremes: extremes, margin: margin,
                      marginAtMost: resolved && free == nil ? threshold : nil, marginResolved: resolved,
                      regions: nil, rays: nil, nodes: result.nodes, leaves: result.leaves)
    }

    /// The report as pretty-printed JSON (sorted keys).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// A human-readable summary, one fact per line, ending with the verdict.
    public func text() -> String {
        func f(_ x: Double, _ digits: Int = 12) -> String { String(format: "%.\(digits)g", x) }
        let o = optimality
        var lines: [String] = []
        lines.append("optimality")
        lines.append("  objective (recomputed)  \(f(o.objective, 15))  (model file: \(f(o.modelObjective, 15)))")
        lines.append("    data loss             \(f(o.dataLoss, 15))")
        lines.append("    total variation       \(f(o.totalVariation, 15))")
        lines.append("  lower bound             \(f(o.lowerBound, 15))")
        lines.append(String(format: "  gap                     %.3e (relative %.3e, tolerance %.1e)", o.gap, o.relativeGap, o.tolerance))
        let side = "\(o.argmaxSign > 0 ? "+" : "-") side"
        if !o.maxAbsEtaExact {
            lines.append(String(format: "  max |eta|            ≤  %.12f", o.maxAbsEta)
                         + " (an upper bound: the search proves no more where the lower bound does not need it)")
        } else if let region = o.argmaxRegion {
            lines.append(String(format: "  max |eta|               %.12f", o.maxAbsEta) + " on region \(region) (\(side))")
        } else {
            lines.append(String(format: "  max |eta|               %.12f", o.maxAbsEta) + " (\(side); regions not indexed without enumeration)")
        }
        if !o.argmaxSignVector.isEmpty && o.argmaxSignVector.count <= 100 { lines.append("    region sign vector    \(o.argmaxSignVector)") }
        if o.dualClamped > 0 { lines.append(String(format: "  dual clamped by         %.3e", o.dualClamped)) }
        lines.append("support (\(support.count) Dirac\(support.count == 1 ? "" : "s"))")
        lines.append("      #      amplitude           eta   distance  region  sign vector")
        for s in support {
            let regions = s.regions.map { $0.count > 1 ? "\(s.region ?? -1)/\($0.count)" : "\(s.region ?? -1)" } ?? "-"
            lines.append(String(format: "  %5d %14.8g %13.9f %10.3e ", s.index, s.amplitude, s.eta, s.distanceToExtremePoint ?? .nan)
                         + regions.leftPadded(7) + "  " + s.signVector + (s.onCertificate ? "" : "  OFF CERTIFICATE"))
        }
        if pricing != .enumerate {
            lines.append("  (region: not indexed without enumeration; distance: to the nearest extreme point of the cells")
            lines.append("   whose closure holds the Dirac, by projection onto their cones)")
        }
        let sp = sparsity
        lines.append("sparsity")
        lines.append("  diracs                  \(sp.diracs) (\(sp.positive) positive, \(sp.negative) negative)")
        lines.append("  n                       \(sp.n)")
        if let regions = sp.regions, let rays = sp.rays {
            lines.append("  regions                 \(regions) (general position: \(sp.generalPositionBound)), \(rays) extreme rays")
        } else {
            lines.append("  regions                 not enumerated (general position: \(sp.generalPositionBound)); branch-and-bound search: "
                         + "\(searchNodes ?? 0) nodes, \(searchLeaves ?? 0) regions solved")
        }
        let u = uniqueness
        lines.append("uniqueness (sufficient condition)")
        lines.append("  activation rank         \(u.rank) of \(support.count)" +
                     (u.smallestSingularValue.map { String(format: ", singular values %.3e … %.3e", u.largestSingularValue ?? 0, $0) } ?? ""))
        if let margin = u.margin {
            let region = u.marginRegion.map { "region \($0)" } ?? "sign vector \(u.marginSignVector ?? "")"
            lines.append(String(format: "  margin                  %.9f", margin)
                         + " (largest |eta| off the support: \(region), \((u.marginSign ?? 1) > 0 ? "+" : "-") side)")
        } else if let bound = u.marginAtMost {
            lines.append(String(format: "  margin               ≤  %.9f", bound) + " (no region side without a Dirac above this; the search does not refine below)")
        } else if pricing != .enumerate {
            lines.append("  margin                  not determined (the largest region sides all hold a Dirac)")
        } else {
            lines.append("  margin                  none (no region side without a Dirac has η ≠ 0)")
        }
        lines.append("verdict: \(verdict)")
        return lines.joined(separator: "\n")
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
                var alpha = 0.0, beta = 0.0, gamma = 0.0
                for r in a[i].indices {
                    alpha += a[i][r] * a[i][r]; beta += a[j][r] * a[j][r]; gamma += a[i][r] * a[j][r]
                }
                guard gamma != 0, abs(gamma) > 1e-15 * (alpha * beta).squareRoot() else { continue }
                rotated = true
                let zeta = (beta - alpha) / (2 * gamma)
                let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                let c = 1 / (1 + t * t).squareRoot(), s = c * t
                for r in a[i].indices {
                    let x = a[i][r], y = a[j][r]
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
    public func closureRegions(of vectors: [[Double]], tolerance: Double = 1e-9) -> (signVectors: [String], regions: [[Int]]) {
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
                    for j in 0..<n where v[j] != 0 && (v[j] > 0) != s[j] { fits = false; break }
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
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
