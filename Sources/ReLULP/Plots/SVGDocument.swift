import Foundation

/// A tiny SVG writer: elements are appended as text, coordinates in pixels (y down). Enough for line plots,
/// heat maps, axes with ticks, legends and titles; the output is a standalone SVG 1.1 file a browser opens.
public struct SVGDocument: Sendable {
    public var width: Double
    public var height: Double
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Escapes text for XML content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A number for an attribute: short, never exponent notation, never NaN.
    static func num(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    private static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { key, value in value.map { " \(key)=\"\(escape($0))\"" } }.joined()
    }

    public mutating func raw(_ element: String) { body.append(element) }

    public mutating func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#000",
        width: Double = 1, dash: String? = nil, cssClass: String? = nil, opacity: Double? = nil
    ) {
        body.append(
            "<line"
                + Self.attributes([
                    ("class", cssClass), ("x1", Self.num(x1)), ("y1", Self.num(y1)), ("x2", Self.num(x2)),
                    ("y2", Self.num(y2)),
                    ("stroke", stroke), ("stroke-width", Self.num(width)), ("stroke-dasharray", dash),
                    ("stroke-opacity", opacity.map(Self.num)),
                ]) + "/>")
    }

    /// A polyline; `nil` points break it into separate pieces.
    public mutating func polyline(
        _ points: [(Double, Double)?], stroke: String = "#000", width: Double = 1,
        dash: String? = nil, cssClass: String? = nil
    ) {
        var piece: [String] = []
        func flush() {
            if piece.count >= 2 {
                body.append(
                    "<polyline"
                        + Self.attributes([
                            ("class", cssClass), ("points", piece.joined(separator: " ")), ("fill", "none"),
                            ("stroke", stroke),
                            ("stroke-width", Self.num(width)), ("stroke-dasharray", dash), ("stroke-linejoin", "round"),
                        ]) + "/>")
            }
            piece = []
        }
        for point in points {
            if let (x, y) = point, x.isFinite, y.isFinite {
                piece.append(Self.num(x) + "," + Self.num(y))
            } else {
                flush()
            }
        }
        flush()
    }

    public mutating func circle(
        _ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil,
        strokeWidth: Double = 1, cssClass: String? = nil, title: String? = nil
    ) {
        let open =
            "<circle"
            + Self.attributes([
                ("class", cssClass), ("cx", Self.num(cx)), ("cy", Self.num(cy)), ("r", Self.num(r)), ("fill", fill),
                ("stroke", stroke), ("stroke-width", stroke == nil ? nil : Self.num(strokeWidth)),
            ])
        if let title {
            body.append(open + "><title>\(Self.escape(title))</title></circle>")
        } else {
            body.append(open + "/>")
        }
    }

    public mutating func rect(
        _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
        opacity: Double? = nil, cssClass: String? = nil
    ) {
        body.append(
            "<rect"
                + Self.attributes([
                    ("class", cssClass), ("x", Self.num(x)), ("y", Self.num(y)), ("width", Self.num(w)),
                    ("height", Self.num(h)),
                    ("fill", fill), ("stroke", stroke), ("fill-opacity", opacity.map(Self.num)),
                ]) + "/>")
    }

    public enum Anchor: String, Sendable { case start, middle, end }

    public mutating func text(
        _ x: Double, _ y: Double, _ string: String, size: Double = 12, anchor: Anchor = .start,
        rotate: Double? = nil, weight: String? = nil, fill: String = "#000", cssClass: String? = nil
    ) {
        body.append(
            "<text"
                + Self.attributes([
                    ("class", cssClass), ("x", Self.num(x)), ("y", Self.num(y)), ("font-size", Self.num(size)),
                    ("text-anchor", anchor.rawValue), ("font-weight", weight), ("fill", fill),
                    ("transform", rotate.map { "rotate(\(Self.num($0)) \(Self.num(x)) \(Self.num(y)))" }),
                ]) + ">\(Self.escape(string))</text>")
    }

    /// The complete file.
    public func render() -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s +=
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(Self.num(width))\" height=\"\(Self.num(height))\" "
        s +=
            "viewBox=\"0 0 \(Self.num(width)) \(Self.num(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Self.num(width))\" height=\"\(Self.num(height))\" fill=\"#ffffff\"/>\n"
        s += body.joined(separator: "\n")
        s += "\n</svg>\n"
        return s
    }
}

/// A rectangular plot area mapping data coordinates to pixels, with axes, ticks and labels.
public struct SVGAxes: Sendable {
    public var left: Double, top: Double, width: Double, height: Double
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>

    public init(
        left: Double, top: Double, width: Double, height: Double, x: ClosedRange<Double>, y: ClosedRange<Double>
    ) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        xRange = x.lowerBound < x.upperBound ? x : (x.lowerBound - 1)...(x.upperBound + 1)
        yRange = y.lowerBound < y.upperBound ? y : (y.lowerBound - 1)...(y.upperBound + 1)
    }

    public var right: Double { left + width }
    public var bottom: Double { top + height }

    public func px(_ x: Double) -> Double {
        left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * width
    }
    public func py(_ y: Double) -> Double {
        bottom - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * height
    }
    public func clampY(_ y: Double) -> Double { min(max(y, yRange.lowerBound), yRange.upperBound) }

    /// Frame, ticks with labels on the left and bottom (or given tick positions with labels), axis titles.
    public func draw(
        into svg: inout SVGDocument, xLabel: String, yLabel: String,
        xTicks: [(Double, String)]? = nil, yTicks: [(Double, String)]? = nil, grid: Bool = true
    ) {
        let xt = xTicks ?? niceTicks(xRange).map { ($0, tickLabel($0)) }
        let yt = yTicks ?? niceTicks(yRange).map { ($0, tickLabel($0)) }
        for (x, label) in xt where xRange.contains(x) {
            if grid { svg.line(px(x), top, px(x), bottom, stroke: "#e6e6e6", width: 0.6, cssClass: "grid") }
            svg.line(px(x), bottom, px(x), bottom + 5, stroke: "#000", width: 1, cssClass: "tick")
            svg.text(px(x), bottom + 18, label, size: 11, anchor: .middle, cssClass: "tick-label")
        }
        for (y, label) in yt where yRange.contains(y) {
            if grid { svg.line(left, py(y), right, py(y), stroke: "#e6e6e6", width: 0.6, cssClass: "grid") }
            svg.line(left - 5, py(y), left, py(y), stroke: "#000", width: 1, cssClass: "tick")
            svg.text(left - 8, py(y) + 4, label, size: 11, anchor: .end, cssClass: "tick-label")
        }
        svg.raw(
            "<rect class=\"frame\" x=\"\(SVGDocument.num(left))\" y=\"\(SVGDocument.num(top))\" width=\"\(SVGDocument.num(width))\" height=\"\(SVGDocument.num(height))\" fill=\"none\" stroke=\"#000\" stroke-width=\"1\"/>"
        )
        svg.text(left + width / 2, bottom + 40, xLabel, size: 13, anchor: .middle, cssClass: "axis-label")
        svg.text(left - 48, top + height / 2, yLabel, size: 13, anchor: .middle, rotate: -90, cssClass: "axis-label")
    }

    /// Ticks and a title on the right edge, for a second y scale `range` (e.g. amplitudes).
    public func drawRightAxis(into svg: inout SVGDocument, range: ClosedRange<Double>, label: String, color: String) {
        let scale = SVGAxes(left: left, top: top, width: width, height: height, x: xRange, y: range)
        for y in niceTicks(scale.yRange) where scale.yRange.contains(y) {
            svg.line(right, scale.py(y), right + 5, scale.py(y), stroke: color, width: 1, cssClass: "tick")
            svg.text(
                right + 8, scale.py(y) + 4, tickLabel(y), size: 11, anchor: .start, fill: color, cssClass: "tick-label")
        }
        svg.text(
            right + 52, top + height / 2, label, size: 13, anchor: .middle, rotate: 90, fill: color,
            cssClass: "axis-label")
    }
}

/// About `count` round tick positions covering `range` (steps 1, 2, 5 × 10^k).
public func niceTicks(_ range: ClosedRange<Double>, count: Int = 6) -> [Double] {
    let span = range.upperBound - range.lowerBound
    guard span > 0, span.isFinite else { return [range.lowerBound] }
    let rough = span / Double(max(count, 1))
    let power = pow(10, floor(log10(rough)))
    let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
    var ticks: [Double] = []
    var t = ceil(range.lowerBound / step) * step
    while t <= range.upperBound + 1e-9 * step {
        ticks.append(abs(t) < 1e-12 * step ? 0 : t)
        t += step
    }
    return ticks
}

/// A short tick label: `%g` with up to 4 significant digits.
public func tickLabel(_ x: Double) -> String {
    var s = String(format: "%.4g", x)
    if s == "-0" { s = "0" }
    return s
}

/// A legend box: entries drawn as a short line, a marker, or a filled swatch, then their label.
public struct SVGLegend: Sendable {
    public enum Symbol: Sendable {
        case line(color: String, width: Double, dash: String?)
        case marker(fill: String, stroke: String?)
        case swatch(fill: String, opacity: Double)
    }
    public var entries: [(Symbol, String)] = []
    public init() {}

    public mutating func add(_ symbol: Symbol, _ label: String) { entries.append((symbol, label)) }

    /// Draws the legend with its top-left corner at (x, y); returns its height.
    @discardableResult
    public func draw(into svg: inout SVGDocument, x: Double, y: Double) -> Double {
        let rowHeight = 18.0
        let longest = entries.map(\.1.count).max() ?? 0
        let boxWidth = 40 + 6.6 * Double(longest)
        let boxHeight = rowHeight * Double(entries.count) + 8
        svg.raw("<g class=\"legend\">")
        svg.rect(x, y, boxWidth, boxHeight, fill: "#ffffff", stroke: "#999", opacity: 0.9)
        for (i, (symbol, label)) in entries.enumerated() {
            let cy = y + 4 + rowHeight * (Double(i) + 0.5)
            switch symbol {
            case .line(let color, let width, let dash):
                svg.line(x + 6, cy, x + 30, cy, stroke: color, width: width, dash: dash)
            case .marker(let fill, let stroke):
                svg.circle(x + 18, cy, r: 4, fill: fill, stroke: stroke, cssClass: "legend-marker")
            case .swatch(let fill, let opacity): svg.rect(x + 6, cy - 6, 24, 12, fill: fill, opacity: opacity)
            }
            svg.text(x + 36, cy + 4, label, size: 11)
        }
        svg.raw("</g>")
        return boxHeight
    }
}

/// A diverging colour map: blue (−1) – white (0) – red (+1), clamped outside [−1, 1].
public func divergingColor(_ t: Double) -> String {
    let s = t.isFinite ? min(max(t, -1), 1) : 0
    let low = (r: 33.0, g: 102.0, b: 172.0)
    let mid = (r: 247.0, g: 247.0, b: 247.0)
    let high = (r: 178.0, g: 24.0, b: 43.0)
    let (a, b, f) = s < 0 ? (mid, low, -s) : (mid, high, s)
    func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
    return String(format: "#%02x%02x%02x", mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b))
}

/// A heatmap of `values` (row-major, `rows × columns`, first row at the top) filling the plot area of `axes`, in
/// the diverging palette with `±scale` at the ends. Cells are run-length merged along rows after quantising the
/// colour to 81 levels (≤ 3 MB of SVG in the worst case).
func drawHeatmap(into svg: inout SVGDocument, values: [Double], rows: Int, columns: Int, scale: Double, axes: SVGAxes) {
    let cellWidth = axes.width / Double(columns)
    let cellHeight = axes.height / Double(rows)
    let color = { (i: Int) in divergingColor((values[i] / scale * 40).rounded() / 40) }
    svg.raw("<g class=\"heatmap\" shape-rendering=\"crispEdges\">")
    for r in 0..<rows {
        var c = 0
        while c < columns {
            let fill = color(r * columns + c)
            var end = c + 1
            while end < columns, color(r * columns + end) == fill { end += 1 }
            svg.rect(
                axes.left + Double(c) * cellWidth, axes.top + Double(r) * cellHeight, Double(end - c) * cellWidth + 0.2,
                cellHeight + 0.2, fill: fill, cssClass: "cell")
            c = end
        }
    }
    svg.raw("</g>")
}

/// A vertical colour bar for `divergingColor` over `range` (mapped symmetric about 0 by `scale`), with ticks.
func drawColorBar(
    into svg: inout SVGDocument, x: Double, y: Double, height: Double, range: ClosedRange<Double>,
    scale: Double, label: String
) {
    let steps = 60
    let axes = SVGAxes(left: x, top: y, width: 14, height: height, x: 0...1, y: range)
    for i in 0..<steps {
        let v0 = range.lowerBound + (range.upperBound - range.lowerBound) * Double(i) / Double(steps)
        let v1 = range.lowerBound + (range.upperBound - range.lowerBound) * Double(i + 1) / Double(steps)
        svg.rect(
            x, axes.py(v1), 14, axes.py(v0) - axes.py(v1) + 0.3, fill: divergingColor((v0 + v1) / 2 / scale),
            cssClass: "colorbar")
    }
    svg.raw(
        "<rect class=\"colorbar-frame\" x=\"\(SVGDocument.num(x))\" y=\"\(SVGDocument.num(y))\" width=\"14\" height=\"\(SVGDocument.num(height))\" fill=\"none\" stroke=\"#000\"/>"
    )
    for t in niceTicks(range, count: 5) where range.contains(t) {
        svg.line(x + 14, axes.py(t), x + 18, axes.py(t))
        svg.text(x + 21, axes.py(t) + 4, tickLabel(t), size: 10)
    }
    svg.text(x + 7, y - 8, label, size: 12, anchor: .middle)
}
