import Foundation
import ReLULP
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct PlotTests {
    static func trained(m: Int, bias: Bool = true, n: Int = 20, seed: UInt64 = 5) throws -> (
        ModelFile, Dataset, LiftedData
    ) {
        let data = try Fixtures.teacher(n: n, m: m, neurons: 3, noise: 0.1, seed: seed)
        let trainer = try ExactTrainer(data: data, bias: bias)
        let result = try trainer.train(TrainingOptions(lambda: 0.01))
        try #require(result.status == .optimal, "the solver did not certify: \(result.status), gap \(result.gap)")
        let model = ModelFile(result: result, data: data, bias: bias, tolerance: 1e-9)
        return (model, data, try model.liftedPoints(of: data))
    }

    /// The certificate of an interpolation model (λ = 0 in its file) is η = Σ p_j σ itself: the plot shows finite
    /// values with |η| = 1 at every Dirac (it divided by λ = 0 and drew infinities).
    @Test func interpolationCertificatePlotIsFinite() throws {
        let data = try Fixtures.teacher(n: 12, m: 1, neurons: 2, noise: 0, seed: 4)
        var options = TrainingOptions(lambda: 1)
        options.problem = .interpolation
        let result = try ExactTrainer(data: data).train(options)
        try #require(result.status == .optimal, "the interpolation did not certify: \(result.status)")
        let model = ModelFile(result: result, data: data, bias: true, tolerance: 1e-9)
        let svg = try ModelPlot.svg(
            kind: .certificate, model: model, points: try model.liftedPoints(of: data), labels: data.labels)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        let etas = svg.components(separatedBy: "η = ").dropFirst().compactMap {
            Double($0.prefix(while: { "0123456789.-+e".contains($0) }))
        }
        #expect(etas.count >= model.atoms.count)
        #expect(etas.allSatisfy { abs(abs($0) - 1) <= 1e-6 })
    }

    /// d = 2 (one feature with bias, two without) and d = 3: one Dirac marker per atom, well-formed SVG with a
    /// title, axes labels, a legend.
    @Test(arguments: [(1, true), (2, false), (2, true)])
    func certificatePlotHasOneMarkerPerDirac(m: Int, bias: Bool) throws {
        let (model, data, points) = try Self.trained(m: m, bias: bias, n: m == 2 && bias ? 14 : 20)
        let svg = try ModelPlot.svg(kind: .certificate, model: model, points: points, labels: data.labels)
        let census = try #require(SVGCensus.parse(svg))
        #expect(census.root == "svg")
        #expect(model.atoms.count > 0)
        #expect(census.counts["circle.dirac", default: 0] == model.atoms.count)
        #expect(census.counts["text.title", default: 0] == 1)
        #expect(census.counts["text.axis-label", default: 0] >= 2)
        #expect(census.counts["g.legend", default: 0] == 1)
        #expect(svg.utf8.count < 3_000_000)
        // The same count straight from the text, as the issue's test asks.
        #expect(svg.components(separatedBy: "<circle class=\"dirac\"").count - 1 == model.atoms.count)
        if model.dimension == 2 {
            // One stem per Dirac and exactly the hyperplanes' angles as boundaries (2 per distinct data direction).
            #expect(census.counts["line.dirac", default: 0] == model.atoms.count)
            var angles: [Double] = []
            for j in 0..<points.count {
                let x = Array(points[point: j])
                for offset in [Double.pi / 2, -Double.pi / 2] {
                    var t = atan2(x[1], x[0]) + offset
                    if t >= .pi { t -= 2 * .pi }
                    if t < -.pi { t += 2 * .pi }
                    if !angles.contains(where: { abs($0 - t) < 1e-12 }) { angles.append(t) }
                }
            }
            #expect(census.counts["line.boundary", default: 0] == angles.count)
        } else {
            #expect(census.counts["polyline.boundary", default: 0] >= 1)
            #expect(census.counts["rect.cell", default: 0] >= 90)
        }
    }

    @Test func networkPlotOneFeature() throws {
        let (model, data, points) = try Self.trained(m: 1)
        let svg = try ModelPlot.svg(kind: .network, model: model, points: points, labels: data.labels)
        let census = try #require(SVGCensus.parse(svg))
        #expect(census.counts["circle.data", default: 0] == data.count)
        // Knots inside the plotted range (data range ± 6 %), computed here from the weights.
        let xs = data.features.map { $0[0] }
        let lo = xs.min()!
        let hi = xs.max()!
        let pad = 0.06 * (hi - lo)
        let knots = model.atoms.filter { $0.weights[0] != 0 }.map { -$0.weights[1] / $0.weights[0] }
            .filter { $0 >= lo - pad && $0 <= hi + pad }
        #expect(census.counts["circle.knot", default: 0] == knots.count)
        #expect(census.counts["polyline.network", default: 0] == 1)
    }

    @Test func networkPlotTwoFeatures() throws {
        let (model, data, points) = try Self.trained(m: 2, n: 14)
        let svg = try ModelPlot.svg(kind: .network, model: model, points: points, labels: data.labels)
        let census = try #require(SVGCensus.parse(svg))
        #expect(census.counts["circle.data", default: 0] == data.count)
        #expect(census.counts["rect.cell", default: 0] >= 120)
        #expect(svg.utf8.count < 3_000_000)
    }

    /// Unsupported dimensions name the kinds that do exist.
    @Test func unsupportedKindsAreExplained() throws {
        let (noBias, data1, points1) = try Self.trained(m: 1, bias: false)
        #expect(ModelPlot.availableKinds(for: noBias) == [.network])
        do {
            _ = try ModelPlot.svg(kind: .certificate, model: noBias, points: points1, labels: data1.labels)
            Issue.record("a certificate plot for d = 1 was drawn")
        } catch {
            #expect(error.message.contains("network") && error.message.contains("d = 1"))
        }
        let (three, data3, points3) = try Self.trained(m: 3, n: 10)
        #expect(ModelPlot.availableKinds(for: three).isEmpty)
        for kind in PlotKind.allCases {
            #expect(throws: PlotError.self) {
                try ModelPlot.svg(kind: kind, model: three, points: points3, labels: data3.labels)
            }
        }
        var noDual = try Self.trained(m: 1).0
        noDual.certificate = nil
        #expect(throws: PlotError.self) {
            try ModelPlot.svg(kind: .certificate, model: noDual, points: points1, labels: data1.labels)
        }
    }

    @Test func svgEscapesText() throws {
        var doc = SVGDocument(width: 10, height: 10)
        doc.text(1, 1, "a < b & \"c\"")
        let census = try #require(SVGCensus.parse(doc.render()))
        #expect(census.counts["text", default: 0] == 1)
        #expect(niceTicks(0...1).first == 0 && niceTicks(0...1).last == 1)
    }
}
