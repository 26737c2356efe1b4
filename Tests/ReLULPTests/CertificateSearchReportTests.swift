import Foundation
import ReLULP
import TestSupport
import Testing

/// `CertificateReport` without enumerating the regions (the branch-and-bound search) against the enumerating
/// report on the same models: the same verdicts, bounds, maxima and margins, and an upper bound on max |η| where
/// the search only proves one.
@Suite struct CertificateSearchReportTests {
    static func reports(_ model: ModelFile, _ data: Dataset, marginTolerance: Double = 1e-6) throws -> (
        enumerated: CertificateReport, searched: CertificateReport
    ) {
        var options = CertificateCheckOptions()
        options.marginTolerance = marginTolerance
        options.pricing = .enumerate
        let enumerated = try CertificateReport.analyze(model: model, data: data, options: options)
        options.pricing = .branchAndBound
        let searched = try CertificateReport.analyze(model: model, data: data, options: options)
        return (enumerated, searched)
    }

    static func expectAgreement(_ e: CertificateReport, _ s: CertificateReport, _ label: String) {
        #expect(e.pricing == .enumerate && s.pricing == .branchAndBound)
        #expect(e.certifiedOptimal == s.certifiedOptimal, "\(label): \(e.optimalityVerdict) / \(s.optimalityVerdict)")
        let u = e.optimality.objective
        #expect(abs(u - s.optimality.objective) <= 1e-12 * max(1, abs(u)), "\(label)")
        #expect(
            abs(e.optimality.lowerBound - s.optimality.lowerBound) <= 1e-12 * max(1, abs(u)),
            "\(label): lower bounds \(e.optimality.lowerBound) / \(s.optimality.lowerBound)")
        let eta = e.optimality.maxAbsEta
        let searched = s.optimality.maxAbsEta
        #expect(e.optimality.maxAbsEtaExact)
        if eta > 1 { #expect(s.optimality.maxAbsEtaExact, "\(label): max |η| = \(eta) > 1 only bounded") }
        if s.optimality.maxAbsEtaExact {
            #expect(abs(searched - eta) <= 1e-9 * max(1, eta), "\(label): max |η| \(eta) / \(searched)")
            #expect(s.optimality.argmaxPoint != nil && s.optimality.argmaxSign != 0)
        } else {
            #expect(searched >= eta * (1 - 1e-12) && searched <= 1, "\(label): bound \(searched) for max |η| = \(eta)")
        }
        #expect(e.support.count == s.support.count)
        for (a, b) in zip(e.support, s.support) {
            #expect(a.signVector == b.signVector && a.onCertificate == b.onCertificate && abs(a.eta - b.eta) <= 1e-12)
            #expect(b.regions == nil && b.region == nil)
            if let da = a.distanceToExtremePoint {
                let db = b.distanceToExtremePoint ?? .nan
                #expect(abs(da - db) <= 1e-6, "\(label): Dirac \(a.index) distance \(da) / \(db)")
            }
        }
        #expect(s.sparsity.regions == nil && e.sparsity.regions != nil && e.sparsity.diracs == s.sparsity.diracs)
        #expect(e.uniqueness.rank == s.uniqueness.rank)
        #expect(e.unique == s.unique, "\(label): \(e.uniquenessVerdict) / \(s.uniquenessVerdict)")
        if let margin = s.uniqueness.margin {
            #expect(
                abs(margin - (e.uniqueness.margin ?? .nan)) <= 1e-9,
                "\(label): margin \(e.uniqueness.margin ?? .nan) / \(margin)")
            // Sides tie where a region's maximiser lies on its boundary: only the value is unique.
            #expect(s.uniqueness.marginSign != nil && s.uniqueness.marginSignVector?.count == e.n)
        } else {
            let bound = s.uniqueness.marginAtMost ?? -1
            #expect(
                (e.uniqueness.margin ?? 0) <= bound,
                "\(label): margin \(e.uniqueness.margin ?? .nan) above the search's bound \(bound)")
        }
    }

    @Test(arguments: [
        (1, Loss.l1, 0.02), (2, .l1, 0.02), (3, .l1, 0.03), (1, .squared, 0.01), (2, .squared, 0.01), (2, .l1, 10.0),
    ])
    func searchedReportAgreesWithEnumeration(m: Int, loss: Loss, lambda: Double) throws {
        let data = try Fixtures.teacher(n: m == 3 ? 14 : 20, m: m, neurons: 3, noise: 0.1, seed: 60 + UInt64(m))
        let result = try ExactTrainer(data: data).train(TrainingOptions(lambda: lambda, loss: loss))
        try #require(result.status == .optimal)
        let model = ModelFile(result: result, data: data, bias: true, tolerance: 1e-9)
        let label = "m = \(m), \(loss), λ = \(lambda)"
        // The default margin tolerance (the search bounds the margin) and a loose one (it finds it exactly).
        for marginTolerance in [1e-6, 0.3] {
            let (e, s) = try Self.reports(model, data, marginTolerance: marginTolerance)
            #expect(e.certifiedOptimal, "\(label): \(e.verdict)")
            Self.expectAgreement(e, s, label + ", margin tolerance \(marginTolerance)")
            // Both paths of the search are taken: the margin found (loose tolerance, free sides above 0.7) and
            // max |η| only bounded (the zero network at large λ, where |η| < 1 everywhere).
            if marginTolerance == 0.3 && !model.atoms.isEmpty { #expect(s.uniqueness.margin != nil, "\(label)") }
            if lambda == 10 { #expect(!s.optimality.maxAbsEtaExact && e.optimality.maxAbsEta < 1 - 1e-6) }
        }
        if lambda == 10 { #expect(model.atoms.isEmpty) }

        // Perturbed: the dual scaled by 1.5, the largest atom removed. Neither report certifies them.
        var scaled = model
        scaled.certificate!.dual = scaled.certificate!.dual.map { 1.5 * $0 }
        var removed = model
        if let largest = removed.atoms.indices.max(by: {
            abs(removed.atoms[$0].amplitude) < abs(removed.atoms[$1].amplitude)
        }) {
            removed.atoms.remove(at: largest)
        }
        // (The squared loss's bound optimises the dual's scale, and the zero network's dual sits on the box's
        // corners, where clamping undoes the scaling: there the scaled dual still certifies, in both reports.)
        for (what, bad) in [("dual × 1.5", scaled), ("atom removed", removed)]
        where what == "dual × 1.5" || !model.atoms.isEmpty {
            let (e, s) = try Self.reports(bad, data)
            if what == "atom removed" || (loss == .l1 && !model.atoms.isEmpty) {
                #expect(!e.certifiedOptimal && !s.certifiedOptimal, "\(label), \(what): \(e.verdict) / \(s.verdict)")
            }
            Self.expectAgreement(e, s, label + ", " + what)
        }
    }

    /// The hand-made ramp instance (CertificateTests.rampModel): the margin 1/√2 is known by hand. The search
    /// finds it once its threshold 1 − marginTolerance is below it (then, as with enumeration, uniqueness is not
    /// shown), and bounds it otherwise.
    @Test func searchedMarginOfTheRampInstance() throws {
        let data = try CertificateTests.rampData()
        let model = try CertificateTests.rampModel()
        var options = CertificateCheckOptions()
        options.pricing = .branchAndBound
        options.marginTolerance = 0.5
        let report = try CertificateReport.analyze(model: model, data: data, options: options)
        #expect(report.certifiedOptimal && !report.unique, "\(report.verdict)")
        #expect(abs((report.uniqueness.margin ?? 0) - 1 / 2.0.squareRoot()) <= 1e-9)
        #expect(abs(report.optimality.maxAbsEta - 1) <= 1e-12 && report.optimality.maxAbsEtaExact)
        #expect((report.support[0].distanceToExtremePoint ?? 1) <= 1e-12)
        options.pricing = .enumerate
        #expect(try !CertificateReport.analyze(model: model, data: data, options: options).unique)
        options.pricing = .branchAndBound
        options.marginTolerance = 1e-6
        let tight = try CertificateReport.analyze(model: model, data: data, options: options)
        #expect(tight.unique && tight.uniqueness.margin == nil && tight.uniqueness.marginAtMost != nil)
        #expect(tight.text().contains("margin               ≤"))
        // A second atom in another region that the dual does not support: the margin is the side it reaches.
        let wrong = try CertificateTests.rampModel(dual: [0.2, -0.2, 0.2, -0.2, 0.2])
        let bad = try CertificateReport.analyze(model: wrong, data: data, options: options)
        options.pricing = .enumerate
        let badEnumerated = try CertificateReport.analyze(model: wrong, data: data, options: options)
        #expect(!bad.certifiedOptimal && !badEnumerated.certifiedOptimal)
        #expect(
            abs(bad.optimality.maxAbsEta - badEnumerated.optimality.maxAbsEta) <= 1e-9
                * badEnumerated.optimality.maxAbsEta)
    }

    /// The library refuses the search above `maxSearchRegions`, naming the estimate.
    @Test func searchRefusedAboveItsLimit() throws {
        let data = try CertificateTests.rampData()
        var options = CertificateCheckOptions()
        options.pricing = .branchAndBound
        options.maxSearchRegions = 3
        let estimate = Arrangement.generalPositionBound(points: 5, dimension: 2)
        #expect {
            try CertificateReport.analyze(model: try CertificateTests.rampModel(), data: data, options: options)
        } throws: { error in
            "\(error)".contains("\(estimate)") && "\(error)".contains("--max-search-regions")
        }
    }

    /// The noise-free limit (λ = 0): `certify` checks least total variation subject to the fit, L = Σ p_j y_j / max |η|
    /// against U = the total variation, in both modes. A model that still interpolates but pays more total
    /// variation (a cancelling pair of atoms added) or no longer interpolates (an amplitude changed) is refused; both
    /// used to pass, as the λ = 0 L1 problem made L = U = 0.
    @Test(arguments: [1, 2])
    func interpolationModelsAreCheckedAsInterpolation(features m: Int) throws {
        let data = try Fixtures.teacher(n: 16, m: m, neurons: 3, noise: 0, seed: 90 + UInt64(m))
        var options = TrainingOptions(lambda: 1)
        options.problem = .interpolation
        let result = try ExactTrainer(data: data).train(options)
        #expect(result.status == .optimal)
        let model = ModelFile(result: result, data: data, bias: true, tolerance: 1e-9)
        let good = try Self.reports(model, data)
        for report in [good.enumerated, good.searched] {
            #expect(report.certifiedOptimal, "\(report.optimalityVerdict)")
            #expect(abs(report.optimality.objective - result.totalVariation) <= 1e-12 * max(1, result.totalVariation))
            #expect(report.optimality.lowerBound <= report.optimality.objective)
            #expect(report.optimality.lowerBound >= report.optimality.objective * (1 - 1e-9))
            #expect(abs(report.optimality.maxAbsEta - 1) <= 1e-6)
        }
        // Here L = Σ p y / M depends on M itself, which the two modes take to about 1e-12 relative.
        #expect(
            abs(good.enumerated.optimality.lowerBound - good.searched.optimality.lowerBound) <= 1e-10
                * result.totalVariation)

        var wasteful = model
        let w = model.atoms[0].weights
        wasteful.atoms += [DiracAtom(amplitude: 0.25, weights: w), DiracAtom(amplitude: -0.25, weights: w)]
        var misfit = model
        misfit.atoms[0].amplitude *= 1.01
        for (bad, label) in [(wasteful, "more total variation"), (misfit, "no longer interpolates")] {
            let reports = try Self.reports(bad, data)
            for report in [reports.enumerated, reports.searched] {
                #expect(!report.certifiedOptimal, "\(label): \(report.optimalityVerdict)")
            }
        }
        #expect(try Self.reports(misfit, data).enumerated.optimalityVerdict.contains("does not interpolate"))
    }
}
