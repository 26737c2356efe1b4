import Foundation

/// One certificate check of a model against its lifted data (docs/mathematics.md §5), step by step: the dual and the
/// upper bound from the model (`init`), then, given the pricer's maxima, optimality, support, sparsity, uniqueness
/// and the verdicts.
struct CertificateCheck {
    let model: ModelFile
    let points: LiftedData
    let options: CertificateCheckOptions
    let tolerance: Double
    /// The noise-free limit (λ = 0): least total variation subject to f(x_j) = y_j; its dual is free and its
    /// certificate is η = Σ_j p_j σ(⟨w, x̃_j⟩). Otherwise η = (1/λ) Σ_j p_j σ, and `etaScale` is λ.
    let interpolating: Bool
    let etaScale: Double
    let targets: [Double]
    /// The model's dual clamped to the loss's box (with an intercept: onto box ∩ {Σ p_j = 0}), and by how much it
    /// left the box.
    let p: [Double]
    let clamped: Double
    /// The sample weights normalised to mean 1 (`Loss.normalisedWeights`), nil without.
    let weights: [Double]?
    /// With an intercept: the bound's price for what rounding leaves of `Σ p_j` (`Loss.interceptSlack`), else 0.
    let interceptSlack: Double
    /// U and its parts, recomputed from the atoms; whether an interpolation model fits the labels.
    let upper: Double, loss: Double, totalVariation: Double
    let misfit: Double
    let fits: Bool
    /// The Diracs and their sign vectors (0: on the point's hyperplane), from the definition.
    let atoms: [DiracAtom]
    let atomSigns: [[Int8]]

    init(
        model: ModelFile, points: LiftedData, labels: [Double],
        options: CertificateCheckOptions
    ) throws(CertificateError) {
        try CertificateReport.checkMatch(model: model, pointCount: points.count)
        guard points.dimension == model.dimension else {
            throw CertificateError(
                "the data lift to dimension \(points.dimension), the model's atoms have "
                    + "\(model.dimension) weights")
        }
        guard labels.count == points.count else {
            throw CertificateError("\(labels.count) labels for \(points.count) points")
        }
        let tolerance = options.tolerance
        guard tolerance.isFinite, tolerance > 0, tolerance < 1 else {
            throw CertificateError("the tolerance must lie in (0, 1), got \(tolerance)")
        }
        // Present after checkMatch.
        guard let raw = model.certificate?.dual else { throw CertificateError("the model has no dual vector") }
        let lossFunction = model.lossFunction
        weights = try Self.weights(model: model, options: options, count: points.count)
        do { targets = try model.targets(labels: labels) } catch { throw CertificateError(error.message) }
        self.model = model
        self.points = points
        self.options = options
        self.tolerance = tolerance
        interpolating = model.problem == .interpolation
        etaScale = model.problem.certificateScale
        let weight = 1 / Double(points.count)
        let centred = model.intercept != nil && !interpolating
        p =
            interpolating
            ? raw
            : centred
                ? lossFunction.centredDual(raw, targets: targets, weight: weight, weights: weights)
                : lossFunction.clampedDual(raw, targets: targets, weight: weight, weights: weights)
        interceptSlack =
            centred
            ? Loss.interceptSlack(
                dual: p,
                interceptBound: lossFunction.interceptBound(
                    targets: targets, lambda: model.lambda, radius: points.radius, weights: weights))
            : 0
        clamped =
            interpolating ? 0 : lossFunction.dualBoxViolation(raw, targets: targets, weight: weight, weights: weights)
        // An interpolation model is an upper bound only if it fits every label (to `options.fitTolerance`).
        let measure = model.measure
        let outputs = model.outputs(at: points)
        loss = lossFunction.value(outputs: outputs, targets: targets, weights: weights)
        totalVariation = measure.totalVariation
        upper = interpolating ? totalVariation : loss + model.lambda * totalVariation
        // Relative to the labels' size (scale-free, as the gap): labels of 1e-9 are not fitted by the zero network.
        let labelScale = targets.reduce(0) { max($0, abs($1)) }
        misfit = zip(outputs, targets).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
        fits = !interpolating || misfit <= options.fitTolerance * labelScale
        atoms = model.atoms
        atomSigns = boundarySigns(of: atoms.map(\.weights), points: points, tolerance: options.boundaryTolerance)
    }

    /// The normalised sample weights of a model trained with them: present exactly when the model names a weight
    /// column, one per point, finite, ≥ 0 and not all 0.
    static func weights(model: ModelFile, options: CertificateCheckOptions, count: Int) throws(CertificateError)
        -> [Double]?
    {
        guard let column = model.weightColumn else {
            guard options.sampleWeights == nil else {
                throw CertificateError("sample weights were given, but the model was trained without them")
            }
            return nil
        }
        guard let w = options.sampleWeights else {
            throw CertificateError(
                "the model was trained with the sample weights of column '\(column)'; the data give none "
                    + "(library: CertificateCheckOptions.sampleWeights)")
        }
        guard w.count == count, w.allSatisfy({ $0.isFinite && $0 >= 0 }), w.contains(where: { $0 > 0 }) else {
            throw CertificateError("the sample weights must be \(count) finite numbers ≥ 0, not all 0")
        }
        return Loss.normalisedWeights(w)
    }

    /// Where the maxima need to be exact (units of p): above the value up to which the lower bound does not depend on
    /// them, and above 1 − marginTolerance for the margin. The interpolation's bound needs M itself: exact above
    /// 1 − marginTolerance, where a certified model's is.
    var threshold: Double {
        let lambda = model.lambda
        return interpolating
            ? (1 - options.marginTolerance) * (1 - 1e-12)
            : min(
                model.lossFunction.exactMaximumThreshold(
                    dual: p, targets: targets, lambda: lambda,
                    dimension: points.dimension, interceptSlack: interceptSlack, weights: weights),
                lambda * (1 - options.marginTolerance)) * (1 - 1e-12)
    }

    /// The report from the pricer's maxima.
    func report(maxima: CertificateMaxima, pricing: PricingMode) -> CertificateReport {
        let optimality = optimality(maxima)
        let support = support(maxima)
        let uniqueness = uniqueness(maxima, certified: optimality.certifiedOptimal)
        let n = points.count
        let d = points.dimension
        let sparsity = CertificateReport.Sparsity(
            diracs: atoms.count, positive: atoms.filter { $0.amplitude > 0 }.count,
            negative: atoms.filter { $0.amplitude < 0 }.count, n: n, regions: maxima.regions,
            rays: maxima.rays, generalPositionBound: Arrangement.generalPositionBound(points: n, dimension: d))
        return CertificateReport(
            pricing: pricing, searchNodes: maxima.nodes, searchLeaves: maxima.leaves,
            lambda: model.lambda, n: n, dimension: d, bias: model.bias, features: model.features,
            optimality: optimality, support: support, sparsity: sparsity, uniqueness: uniqueness,
            optimalityVerdict: optimalityVerdict(optimality, support: support),
            uniquenessVerdict: uniquenessVerdict(uniqueness, maxima: maxima, certified: optimality.certifiedOptimal))
    }

    /// Optimality: L from the dual and max |Σ p σ| (exact, or a bound where L does not depend on it).
    func optimality(_ maxima: CertificateMaxima) -> CertificateReport.Optimality {
        let m = maxima.maxValue
        let d = points.dimension
        let lower =
            interpolating
            ? Loss.interpolationLowerBound(dual: p, maxCertificate: m, targets: targets, dimension: d)
            : model.lossFunction.lowerBound(
                dual: p, maxCertificate: m, targets: targets, lambda: model.lambda,
                dimension: d, interceptSlack: interceptSlack, weights: weights)
        let gap = upper - lower
        let relativeGap = RelativeGap.of(
            upper: upper, lower: lower,
            floor: RelativeGap.floor(
                problem: model.problem, loss: model.lossFunction, targets: targets, tolerance: tolerance,
                intercept: model.intercept != nil, weights: weights),
            tolerance: tolerance)
        return CertificateReport.Optimality(
            objective: upper, dataLoss: loss, totalVariation: totalVariation, modelObjective: model.objective,
            lowerBound: lower, gap: gap, relativeGap: relativeGap, tolerance: tolerance, dualClamped: clamped,
            maxAbsEta: m / etaScale, maxAbsEtaExact: maxima.exact, argmaxRegion: maxima.argmax.region,
            argmaxSign: maxima.argmax.sign, argmaxSignVector: maxima.argmax.signVector,
            argmaxPoint: maxima.argmax.point, certifiedOptimal: relativeGap <= tolerance && fits)
    }

    /// Support: η at each Dirac and the distance to the nearest extreme point of a region holding it.
    func support(_ maxima: CertificateMaxima) -> [CertificateReport.Support] {
        atoms.enumerated().map { i, atom in
            let sign = atom.amplitude >= 0 ? 1 : -1
            let eta = certificateValue(dual: p, points: points, at: atom.weights) / etaScale
            let best = maxima.supportExtremes[i]
            return CertificateReport.Support(
                index: i, amplitude: atom.amplitude, weights: atom.weights, signVector: signText(atomSigns[i]),
                regions: maxima.supportRegions[i], region: best?.region, eta: eta,
                regionExtremeValue: best.map { $0.value / etaScale }, extremePoint: best?.point,
                distanceToExtremePoint: best.map { euclideanDistance($0.point, atom.weights) },
                onCertificate: Double(sign) * eta >= 1 - max(tolerance, 1e-6))
        }
    }

    /// Uniqueness (sufficient): independent activation vectors and a margin below 1 off the support.
    func uniqueness(_ maxima: CertificateMaxima, certified: Bool) -> CertificateReport.Uniqueness {
        let n = points.count
        let columns = atoms.map { atom in (0..<n).map { max(dot(atom.weights, points[point: $0]), 0) } }
        let singular = singularValues(columns: columns)
        let largest = singular.first
        let rank = singular.filter { $0 > options.rankTolerance * (largest ?? 0) && $0 > 0 }.count
        let independent = rank == atoms.count
        let margin = maxima.margin
        let marginValue = margin.map { $0.value / etaScale }
        let marginOK = maxima.marginResolved && (marginValue ?? 0) < 1 - options.marginTolerance
        return CertificateReport.Uniqueness(
            singularValues: singular, rank: rank, smallestSingularValue: singular.last, largestSingularValue: largest,
            independent: independent, margin: marginValue, marginAtMost: maxima.marginAtMost.map { $0 / etaScale },
            marginRegion: margin?.region, marginSign: margin?.sign, marginSignVector: margin?.signVector,
            marginTolerance: options.marginTolerance, unique: certified && independent && marginOK)
    }

    /// "certified optimal" or "not certified optimal (…)" with every reason.
    func optimalityVerdict(_ o: CertificateReport.Optimality, support: [CertificateReport.Support]) -> String {
        guard !o.certifiedOptimal else { return "certified optimal" }
        var why: [String] = []
        if !fits {
            why.append(String(format: "the network does not interpolate the labels: max |y − f| = %.3e", misfit))
        }
        if o.relativeGap > tolerance {
            why.append(String(format: "relative duality gap %.3e > tolerance %.1e", o.relativeGap, tolerance))
        }
        if o.maxAbsEta > 1 + tolerance { why.append(String(format: "max |η| = %.9f > 1", o.maxAbsEta)) }
        let off = support.filter { !$0.onCertificate }.count
        if off > 0 { why.append("\(off) Dirac\(off == 1 ? "" : "s") where |η| < 1 or of the wrong sign") }
        return "not certified optimal (" + why.joined(separator: "; ") + ")"
    }

    /// "unique" or "not shown unique (…)" with every reason.
    func uniquenessVerdict(_ u: CertificateReport.Uniqueness, maxima: CertificateMaxima, certified: Bool) -> String {
        guard !u.unique else { return "unique" }
        var notUnique: [String] = []
        if !certified { notUnique.append("optimality not certified") }
        if !u.independent {
            notUnique.append("activation vectors of the support are dependent (rank \(u.rank) < \(atoms.count) Diracs)")
        }
        let marginOK = maxima.marginResolved && (u.margin ?? 0) < 1 - options.marginTolerance
        if !maxima.marginResolved {
            notUnique.append(
                "margin not determined: the \(options.maxMarginSides) largest region sides above 1 − "
                    + "\(options.marginTolerance) all hold a Dirac")
        } else if !marginOK, let margin = maxima.margin, let marginValue = u.margin {
            let which = margin.region.map { "region \($0)" } ?? "a region"
            notUnique.append(
                "\(which) (\(margin.sign > 0 ? "+" : "−") side) without a Dirac reaches |η| = "
                    + String(format: "%.9f ≥ 1 − %.0e", marginValue, options.marginTolerance))
        }
        return "not shown unique (" + notUnique.joined(separator: "; ") + ")"
    }
}
