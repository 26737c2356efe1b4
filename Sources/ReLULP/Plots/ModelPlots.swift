import Foundation

/// What `relulp plot` can draw.
public enum PlotKind: String, Sendable, CaseIterable, Codable {
    /// The dual certificate η on the sphere: along the circle (d = 2) or as a map of the sphere (d = 3).
    case certificate
    /// The fitted function: a curve over the feature (one feature) or a heat map over the input plane (two).
    case network
}

/// A plot that cannot be drawn, with the reason and what can be drawn instead.
public struct PlotError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// SVG pictures of a trained model on its data, written without any external program.
public enum ModelPlot {
    /// The kinds that exist for the model's layout: `certificate` for lifted dimension 2 or 3, `network` for one or
    /// two features.
    public static func availableKinds(for model: ModelFile) -> [PlotKind] {
        var kinds: [PlotKind] = []
        if model.dimension == 2 || model.dimension == 3 { kinds.append(.certificate) }
        if model.features.count == 1 || model.features.count == 2 { kinds.append(.network) }
        return kinds
    }

    static func layout(_ model: ModelFile) -> String {
        "\(model.features.count) feature\(model.features.count == 1 ? "" : "s")\(model.bias ? " with bias" : " without bias"), d = \(model.dimension)"
    }

    /// Draws `kind` for `model` on the data lifted in the model's layout (`ModelFile.liftedPoints`) and its labels.
    public static func svg(
        kind: PlotKind, model: ModelFile, points: LiftedData, labels: [Double],
        title: String? = nil
    ) throws(PlotError) -> String {
        let kinds = availableKinds(for: model)
        guard kinds.contains(kind) else {
            let need =
                kind == .certificate
                ? "a lifted dimension of 2 or 3 (one feature with bias, two features without bias, or two features with bias)"
                : "one or two features"
            let others =
                kinds.isEmpty
                ? "no plot kind exists for this model"
                : "kinds for this model: " + kinds.map(\.rawValue).joined(separator: ", ")
            throw PlotError("plot kind '\(kind.rawValue)' needs \(need); this model has \(layout(model)); \(others)")
        }
        guard points.dimension == model.dimension, points.count == labels.count else {
            throw PlotError(
                "the data lift to dimension \(points.dimension), the model's atoms have \(model.dimension) weights")
        }
        switch kind {
        case .certificate:
            do { try CertificateReport.checkMatch(model: model, pointCount: points.count) } catch {
                throw PlotError(error.message)
            }
            guard let p = model.certificate?.dual else { throw PlotError("the model file has no certificate") }
            return model.dimension == 2
                ? certificateCircle(model: model, points: points, dual: p, title: title)
                : certificateSphere(model: model, points: points, dual: p, title: title)
        case .network:
            return model.features.count == 1
                ? networkCurve(model: model, points: points, labels: labels, title: title)
                : networkPlane(model: model, points: points, labels: labels, title: title)
        }
    }

    static let positiveColor = "#b2182b"
    static let negativeColor = "#2166ac"

    static func subtitle(_ model: ModelFile, _ n: Int) -> String {
        let diracs = model.atoms.count
        return
            "λ = \(tickLabel(model.lambda)), n = \(n), \(layout(model)), \(diracs) Dirac\(diracs == 1 ? "" : "s") (neurons)"
    }

    static func piTicks(_ values: [Double], _ labels: [String]) -> [(Double, String)] { Array(zip(values, labels)) }

    static func wrapAngle(_ t: Double) -> Double {
        var a = t
        while a >= .pi { a -= 2 * .pi }
        while a < -.pi { a += 2 * .pi }
        return a
    }

    // MARK: d = 2: η along the circle

    static func certificateCircle(model: ModelFile, points: LiftedData, dual p: [Double], title: String?) -> String {
        let etaScale = model.problem.certificateScale
        let n = points.count
        var svg = SVGDocument(width: 1080, height: 540)
        let samples = 2000
        var curve: [(Double, Double)] = []
        var largest = 1.0
        for i in 0..<samples {
            let theta = -Double.pi + 2 * Double.pi * Double(i) / Double(samples)
            let eta = certificateValue(dual: p, points: points, at: [cos(theta), sin(theta)]) / etaScale
            curve.append((theta, eta))
            largest = max(largest, abs(eta))
        }
        let boundaries = circleBoundaries(points)
        let diracs = model.atoms.map { atom in
            (
                theta: atan2(atom.weights[1], atom.weights[0]), amplitude: atom.amplitude,
                eta: certificateValue(dual: p, points: points, at: atom.weights) / etaScale
            )
        }
        for dirac in diracs { largest = max(largest, abs(dirac.eta)) }
        let yMax = max(1.25, 1.08 * largest)
        let axes = SVGAxes(left: 90, top: 70, width: 640, height: 400, x: -Double.pi...Double.pi, y: -yMax...yMax)
        let maxAmplitude = max(diracs.map { abs($0.amplitude) }.max() ?? 1, 1e-300)
        let amplitudeAxis = SVGAxes(
            left: axes.left, top: axes.top, width: axes.width, height: axes.height,
            x: axes.xRange, y: (-1.15 * maxAmplitude)...(1.15 * maxAmplitude))

        svg.rect(
            axes.left, axes.py(1), axes.width, axes.py(-1) - axes.py(1), fill: "#d9d9d9", opacity: 0.45,
            cssClass: "band")
        axes.draw(
            into: &svg,
            xLabel: "angle θ of the neuron w = (cos θ, sin θ)  [" + model.features[0]
                + (model.bias ? ", bias]" : ", \(model.features[1])]"),
            yLabel: "certificate η(θ)",
            xTicks: piTicks([-.pi, -.pi / 2, 0, .pi / 2, .pi], ["−π", "−π/2", "0", "π/2", "π"]))
        amplitudeAxis.drawRightAxis(
            into: &svg, range: amplitudeAxis.yRange, label: "Dirac amplitude a_i", color: "#555")
        for theta in boundaries.sorted() {
            svg.line(
                axes.px(theta), axes.top, axes.px(theta), axes.bottom, stroke: "#8c8c8c", width: 0.5,
                cssClass: "boundary")
        }
        for level in [1.0, -1.0] {
            svg.line(
                axes.left, axes.py(level), axes.right, axes.py(level), stroke: "#444", width: 1, dash: "5,3",
                cssClass: "band-edge")
        }
        svg.line(axes.left, axes.py(0), axes.right, axes.py(0), stroke: "#000", width: 0.6, cssClass: "zero")
        svg.polyline(
            curve.map { Optional((axes.px($0.0), axes.py($0.1))) },
            stroke: "#1a1a1a", width: 1.6, cssClass: "eta")
        drawCircleDiracs(diracs, axes: axes, amplitudeAxis: amplitudeAxis, into: &svg)
        var legend = SVGLegend()
        legend.add(.line(color: "#1a1a1a", width: 1.6, dash: nil), "η(θ)")
        legend.add(.swatch(fill: "#d9d9d9", opacity: 0.7), "|η| ≤ 1 band")
        legend.add(.line(color: "#8c8c8c", width: 0.8, dash: nil), "region boundaries (\(boundaries.count))")
        legend.add(.marker(fill: positiveColor, stroke: "#000"), "Dirac a > 0 (stem: amplitude)")
        legend.add(.marker(fill: negativeColor, stroke: "#000"), "Dirac a < 0 (stem: amplitude)")
        legend.add(.marker(fill: "#ffffff", stroke: "#000"), "η at a Dirac")
        legend.draw(into: &svg, x: 800, y: axes.top)
        svg.text(
            svg.width / 2, 28, title ?? "Dual certificate η on the circle", size: 17, anchor: .middle, weight: "bold",
            cssClass: "title")
        svg.text(svg.width / 2, 50, subtitle(model, n), size: 12, anchor: .middle, fill: "#333", cssClass: "subtitle")
        return svg.render()
    }

    // MARK: d = 3: η on the sphere, equirectangular

    static func certificateSphere(model: ModelFile, points: LiftedData, dual p: [Double], title: String?) -> String {
        let etaScale = model.problem.certificateScale
        let n = points.count
        var svg = SVGDocument(width: 1040, height: 540)
        let axes = SVGAxes(
            left: 90, top: 70, width: 640, height: 400, x: -Double.pi...Double.pi, y: (-Double.pi / 2)...(Double.pi / 2)
        )
        func unit(_ lon: Double, _ lat: Double) -> [Double] { [cos(lat) * cos(lon), cos(lat) * sin(lon), sin(lat)] }
        let columns = 180
        let rows = 90
        var values = [Double](repeating: 0, count: columns * rows)
        var largest = 1.0
        for r in 0..<rows {
            let lat = Double.pi / 2 - Double.pi * (Double(r) + 0.5) / Double(rows)
            for c in 0..<columns {
                let lon = -Double.pi + 2 * Double.pi * (Double(c) + 0.5) / Double(columns)
                let eta = certificateValue(dual: p, points: points, at: unit(lon, lat)) / etaScale
                values[r * columns + c] = eta
                largest = max(largest, abs(eta))
            }
        }
        let scale = largest
        drawHeatmap(into: &svg, values: values, rows: rows, columns: columns, scale: scale, axes: axes)
        drawGreatCircles(points, axes: axes, into: &svg)
        axes.draw(
            into: &svg, xLabel: "longitude φ of w = (cos ψ cos φ, cos ψ sin φ, sin ψ)", yLabel: "latitude ψ",
            xTicks: piTicks([-.pi, -.pi / 2, 0, .pi / 2, .pi], ["−π", "−π/2", "0", "π/2", "π"]),
            yTicks: piTicks([-.pi / 2, -.pi / 4, 0, .pi / 4, .pi / 2], ["−π/2", "−π/4", "0", "π/4", "π/2"]), grid: false
        )
        drawSphereDiracs(model, points: points, dual: p, axes: axes, into: &svg)
        drawColorBar(into: &svg, x: 760, y: axes.top + 20, height: 300, range: -scale...scale, scale: scale, label: "η")
        var legend = SVGLegend()
        legend.add(.line(color: "#303030", width: 0.8, dash: nil), "region boundaries (great circles)")
        legend.add(.marker(fill: positiveColor, stroke: "#000"), "Dirac, a > 0 (label: amplitude)")
        legend.add(.marker(fill: negativeColor, stroke: "#000"), "Dirac, a < 0")
        legend.draw(into: &svg, x: 760, y: axes.top + 350)
        let coordinates =
            model.bias
            ? "(\(model.features.joined(separator: ", ")), bias)" : "(\(model.features.joined(separator: ", ")))"
        svg.text(
            svg.width / 2, 28, title ?? "Dual certificate η on the sphere, w = \(coordinates) weights", size: 17,
            anchor: .middle,
            weight: "bold", cssClass: "title")
        svg.text(
            svg.width / 2, 50, subtitle(model, n) + String(format: ", max |η| on the grid %.6f", largest), size: 12,
            anchor: .middle, fill: "#333", cssClass: "subtitle")
        return svg.render()
    }

    /// The region boundaries on the circle: the angles θ with ⟨(cos θ, sin θ), x̃_j⟩ = 0, exact.
    static func circleBoundaries(_ points: LiftedData) -> [Double] {
        var boundaries: [Double] = []
        for j in 0..<points.count {
            let x = Array(points[point: j])
            guard x[0] != 0 || x[1] != 0 else { continue }
            for offset in [Double.pi / 2, -Double.pi / 2] {
                let theta = wrapAngle(atan2(x[1], x[0]) + offset)
                if !boundaries.contains(where: { abs($0 - theta) < 1e-12 }) { boundaries.append(theta) }
            }
        }
        return boundaries
    }

    /// The Diracs on the circle: a stem to the amplitude (right axis) and a marker at η.
    static func drawCircleDiracs(
        _ diracs: [(theta: Double, amplitude: Double, eta: Double)], axes: SVGAxes, amplitudeAxis: SVGAxes,
        into svg: inout SVGDocument
    ) {
        for dirac in diracs {
            let color = dirac.amplitude > 0 ? positiveColor : negativeColor
            let x = axes.px(dirac.theta)
            svg.line(
                x, amplitudeAxis.py(0), x, amplitudeAxis.py(dirac.amplitude), stroke: color, width: 2, cssClass: "dirac"
            )
            svg.circle(
                x, amplitudeAxis.py(dirac.amplitude), r: 5, fill: color, stroke: "#000", strokeWidth: 0.8,
                cssClass: "dirac",
                title: String(format: "θ = %.6f, a = %.6g, η = %.9f", dirac.theta, dirac.amplitude, dirac.eta))
            svg.text(
                x + 7, amplitudeAxis.py(dirac.amplitude) + (dirac.amplitude > 0 ? -6 : 14),
                String(format: "%+.3g", dirac.amplitude),
                size: 10, fill: color, cssClass: "dirac-label")
            svg.circle(
                x, axes.py(dirac.eta), r: 2.5, fill: "#ffffff", stroke: color, strokeWidth: 1.2, cssClass: "dirac-eta")
        }
    }

    /// The region boundaries on the sphere: the great circles ⟨w, x̃_j⟩ = 0, exact as functions of the longitude.
    static func drawGreatCircles(_ points: LiftedData, axes: SVGAxes, into svg: inout SVGDocument) {
        var seen: [[Double]] = []
        for j in 0..<points.count {
            let x = Array(points[point: j])
            let length = norm(x)
            guard length > 0 else { continue }
            let u = x.map { $0 / length }
            if seen.contains(where: { s in
                zip(s, u).allSatisfy { abs($0 - $1) < 1e-12 } || zip(s, u).allSatisfy { abs($0 + $1) < 1e-12 }
            }) {
                continue
            }
            seen.append(u)
            if abs(u[2]) > 1e-12 {
                var line: [(Double, Double)?] = []
                for i in 0...360 {
                    let lon = -Double.pi + 2 * Double.pi * Double(i) / 360
                    let lat = atan(-(u[0] * cos(lon) + u[1] * sin(lon)) / u[2])
                    line.append((axes.px(lon), axes.py(lat)))
                }
                svg.polyline(line, stroke: "#303030", width: 0.6, cssClass: "boundary")
            } else {
                for offset in [Double.pi / 2, -Double.pi / 2] {
                    let lon = wrapAngle(atan2(u[1], u[0]) + offset)
                    svg.polyline(
                        [(axes.px(lon), axes.top), (axes.px(lon), axes.bottom)], stroke: "#303030", width: 0.6,
                        cssClass: "boundary")
                }
            }
        }
    }

    /// The Diracs on the sphere, at their longitude and latitude, labelled with their amplitude.
    static func drawSphereDiracs(
        _ model: ModelFile, points: LiftedData, dual p: [Double], axes: SVGAxes, into svg: inout SVGDocument
    ) {
        let etaScale = model.problem.certificateScale
        for atom in model.atoms {
            let w = atom.weights
            let lon = atan2(w[1], w[0])
            let lat = asin(min(max(w[2], -1), 1))
            let color = atom.amplitude > 0 ? positiveColor : negativeColor
            let eta = certificateValue(dual: p, points: points, at: w) / etaScale
            svg.circle(
                axes.px(lon), axes.py(lat), r: 5.5, fill: color, stroke: "#ffffff", strokeWidth: 1.5, cssClass: "dirac",
                title: String(format: "a = %.6g, η = %.9f", atom.amplitude, eta))
            svg.text(
                axes.px(lon) + 8, axes.py(lat) - 6, String(format: "%+.3g", atom.amplitude), size: 10, weight: "bold",
                fill: "#000", cssClass: "dirac-label")
        }
    }

    // MARK: one feature: the fitted function

    static func networkCurve(model: ModelFile, points: LiftedData, labels: [Double], title: String?) -> String {
        let n = points.count
        let measure = model.measure
        let xs = (0..<n).map { points[point: $0][points[point: $0].startIndex] }
        let lo = xs.min() ?? 0
        let hi = xs.max() ?? 0
        let pad = max(0.06 * (hi - lo), 1e-9)
        let xRange = (lo - pad)...(hi + pad)
        func lifted(_ x: Double) -> [Double] { model.bias ? [x, 1] : [x] }
        let b = model.intercept ?? 0
        func f(_ x: Double) -> Double { b + measure.value(at: lifted(x)[...]) }
        // Knots: ⟨w, (x, 1)⟩ = 0.
        var knots: [(x: Double, amplitude: Double)] = []
        var outside = 0
        var linear = 0
        for atom in model.atoms {
            let w = atom.weights
            let slope = w[0]
            let offset = model.bias ? w[1] : 0
            guard slope != 0 else {
                linear += 1
                continue
            }
            let k = -offset / slope
            if xRange.contains(k) { knots.append((k, atom.amplitude)) } else { outside += 1 }
        }
        // f is piecewise linear: its exact graph through the knots.
        let grid = ([xRange.lowerBound, xRange.upperBound] + knots.map(\.x)).sorted()
        let curve = grid.map { ($0, f($0)) }
        let ys = labels + curve.map(\.1)
        let yLo = ys.min() ?? 0
        let yHi = ys.max() ?? 0
        let yPad = max(0.08 * (yHi - yLo), 1e-9)
        var svg = SVGDocument(width: 1040, height: 540)
        let axes = SVGAxes(left: 90, top: 70, width: 640, height: 400, x: xRange, y: (yLo - yPad)...(yHi + yPad))
        axes.draw(into: &svg, xLabel: model.features[0], yLabel: model.target)
        for knot in knots {
            svg.line(
                axes.px(knot.x), axes.top, axes.px(knot.x), axes.bottom,
                stroke: knot.amplitude > 0 ? positiveColor : negativeColor,
                width: 0.7, dash: "3,3", cssClass: "knot-line")
        }
        svg.polyline(
            curve.map { Optional((axes.px($0.0), axes.py($0.1))) }, stroke: "#1a1a1a", width: 1.8, cssClass: "network")
        for j in 0..<n {
            svg.circle(
                axes.px(xs[j]), axes.py(labels[j]), r: 3.5, fill: "#f4a300", stroke: "#000", strokeWidth: 0.6,
                cssClass: "data")
        }
        for knot in knots {
            svg.circle(
                axes.px(knot.x), axes.py(f(knot.x)), r: 5, fill: knot.amplitude > 0 ? positiveColor : negativeColor,
                stroke: "#000", strokeWidth: 0.8, cssClass: "knot",
                title: String(format: "knot x = %.6g, amplitude %.6g", knot.x, knot.amplitude))
        }
        var legend = SVGLegend()
        legend.add(.line(color: "#1a1a1a", width: 1.8, dash: nil), "fitted network f(x)")
        legend.add(.marker(fill: "#f4a300", stroke: "#000"), "data (\(n) points)")
        legend.add(.marker(fill: positiveColor, stroke: "#000"), "knot of a neuron, a > 0")
        legend.add(.marker(fill: negativeColor, stroke: "#000"), "knot of a neuron, a < 0")
        if outside + linear > 0 {
            legend.add(
                .line(color: "#ffffff", width: 0, dash: nil), "\(outside + linear) neuron(s) without a knot in view")
        }
        legend.draw(into: &svg, x: 760, y: axes.top)
        svg.text(
            svg.width / 2, 28, title ?? "Fitted network over \(model.features[0])", size: 17, anchor: .middle,
            weight: "bold", cssClass: "title")
        svg.text(svg.width / 2, 50, subtitle(model, n), size: 12, anchor: .middle, fill: "#333", cssClass: "subtitle")
        return svg.render()
    }

    // MARK: two features: the network over the input plane

    static func networkPlane(model: ModelFile, points: LiftedData, labels: [Double], title: String?) -> String {
        let n = points.count
        let measure = model.measure
        let x1 = (0..<n).map { points[point: $0][points[point: $0].startIndex] }
        let x2 = (0..<n).map { points[point: $0][points[point: $0].startIndex + 1] }
        func padded(_ v: [Double]) -> ClosedRange<Double> {
            let lo = v.min() ?? 0
            let hi = v.max() ?? 0
            let pad = max(0.06 * (hi - lo), 1e-9)
            return (lo - pad)...(hi + pad)
        }
        let axes = SVGAxes(left: 90, top: 70, width: 480, height: 480, x: padded(x1), y: padded(x2))
        let intercept = model.intercept ?? 0
        func f(_ a: Double, _ b: Double) -> Double {
            intercept + measure.value(at: (model.bias ? [a, b, 1] : [a, b])[...])
        }
        let cells = 120
        var values = [Double](repeating: 0, count: cells * cells)
        for r in 0..<cells {
            let b =
                axes.yRange.upperBound - (axes.yRange.upperBound - axes.yRange.lowerBound) * (Double(r) + 0.5)
                / Double(cells)
            for c in 0..<cells {
                let a =
                    axes.xRange.lowerBound + (axes.xRange.upperBound - axes.xRange.lowerBound) * (Double(c) + 0.5)
                    / Double(cells)
                values[r * cells + c] = f(a, b)
            }
        }
        let scale = max((values + labels).map(abs).max() ?? 1, 1e-300)
        var svg = SVGDocument(width: 1000, height: 610)
        drawHeatmap(into: &svg, values: values, rows: cells, columns: cells, scale: scale, axes: axes)
        // Each neuron's kink line ⟨w, (x1, x2, 1)⟩ = 0, clipped to the view.
        for atom in model.atoms {
            let w = atom.weights
            let c0 = model.bias ? w[2] : 0
            var line: [(Double, Double)?] = []
            for i in 0...200 {
                if abs(w[1]) >= abs(w[0]) {
                    let a = axes.xRange.lowerBound + (axes.xRange.upperBound - axes.xRange.lowerBound) * Double(i) / 200
                    let b = -(w[0] * a + c0) / w[1]
                    line.append(axes.yRange.contains(b) ? (axes.px(a), axes.py(b)) : nil)
                } else {
                    let b = axes.yRange.lowerBound + (axes.yRange.upperBound - axes.yRange.lowerBound) * Double(i) / 200
                    let a = -(w[1] * b + c0) / w[0]
                    line.append(axes.xRange.contains(a) ? (axes.px(a), axes.py(b)) : nil)
                }
            }
            svg.polyline(
                line, stroke: atom.amplitude > 0 ? positiveColor : negativeColor, width: 1.2, dash: "6,3",
                cssClass: "knot")
        }
        axes.draw(into: &svg, xLabel: model.features[0], yLabel: model.features[1], grid: false)
        for j in 0..<n {
            svg.circle(
                axes.px(x1[j]), axes.py(x2[j]), r: 4, fill: divergingColor(labels[j] / scale), stroke: "#000",
                strokeWidth: 0.8,
                cssClass: "data", title: model.target + String(format: " = %.6g, f = %.6g", labels[j], f(x1[j], x2[j])))
        }
        drawColorBar(
            into: &svg, x: 620, y: axes.top + 20, height: 300, range: -scale...scale, scale: scale,
            label: "f, \(model.target)")
        var legend = SVGLegend()
        legend.add(.swatch(fill: divergingColor(0.6), opacity: 1), "network f(x) (heat map)")
        legend.add(.marker(fill: "#f7f7f7", stroke: "#000"), "data, coloured by \(model.target) (\(n) points)")
        legend.add(.line(color: positiveColor, width: 1.2, dash: "6,3"), "kink of a neuron, a > 0")
        legend.add(.line(color: negativeColor, width: 1.2, dash: "6,3"), "kink of a neuron, a < 0")
        legend.draw(into: &svg, x: 620, y: axes.top + 360)
        svg.text(
            svg.width / 2, 28, title ?? "Fitted network over (\(model.features[0]), \(model.features[1]))", size: 17,
            anchor: .middle,
            weight: "bold", cssClass: "title")
        svg.text(svg.width / 2, 50, subtitle(model, n), size: 12, anchor: .middle, fill: "#333", cssClass: "subtitle")
        return svg.render()
    }
}
