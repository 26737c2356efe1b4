import Foundation

/// A minimal SVG line-plot writer (axes with ticks, linear or log scales, legend, title), self-contained.
public struct LinePlot: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: String
        public var dashed = false
        public var markers = true
        public init(
            name: String, points: [(x: Double, y: Double)], color: String, dashed: Bool = false, markers: Bool = true
        ) {
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
            self.markers = markers
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xLog = false
    public var yLog = false
    public var series: [Series] = []
    public var width = 520.0
    public var height = 380.0

    public init(title: String, xLabel: String, yLabel: String, xLog: Bool = false, yLog: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xLog = xLog
        self.yLog = yLog
    }

    public static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf",
    ]

    /// One plot as a standalone SVG document.
    public func svg() -> String { Self.figure([self]) }

    /// Plots side by side in one SVG document (written with the package's `SVGDocument`).
    public static func figure(_ plots: [LinePlot]) -> String {
        var svg = SVGDocument(width: plots.reduce(0) { $0 + $1.width }, height: plots.map(\.height).max() ?? 0)
        var x0 = 0.0
        for plot in plots {
            svg.raw("<g transform=\"translate(\(SVGDocument.num(x0)),0)\" font-size=\"11\">")
            plot.draw(into: &svg)
            svg.raw("</g>")
            x0 += plot.width
        }
        return svg.render()
    }

    /// Data range → axis range and ticks.
    static func axis(_ values: [Double], log: Bool) -> (lo: Double, hi: Double, ticks: [Double]) {
        let v = values.filter { $0.isFinite && (!log || $0 > 0) }
        guard var lo = v.min(), var hi = v.max() else { return log ? (1, 10, [1, 10]) : (0, 1, [0, 0.5, 1]) }
        if log {
            var a = floor(log10(lo))
            var b = ceil(log10(hi))
            if a == b {
                a -= 1
                b += 1
            }
            let step = max(1, ((b - a) / 6).rounded(.up))
            let ticks = stride(from: a, through: b, by: step).map { pow(10, $0) }
            return (pow(10, a), pow(10, b), ticks)
        }
        if lo == hi {
            lo -= 1
            hi += 1
        }
        let raw = (hi - lo) / 6
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        lo = floor(lo / step) * step
        hi = ceil(hi / step) * step
        return (lo, hi, stride(from: lo, through: hi + step / 2, by: step).map { $0 })
    }

    static func label(_ t: Double, log: Bool) -> String {
        if log { return "1e\(Int(log10(t).rounded()))" }
        return abs(t) < 1e-12 ? "0" : String(format: "%g", t)
    }

    func draw(into svg: inout SVGDocument) {
        let left = 62.0
        let right = 12.0
        let top = 30.0
        let bottom = 46.0
        let pw = width - left - right
        let ph = height - top - bottom
        let all = series.flatMap(\.points)
        let xa = Self.axis(all.map(\.x), log: xLog)
        let ya = Self.axis(all.map(\.y), log: yLog)
        func t(_ v: Double, _ a: (lo: Double, hi: Double, ticks: [Double]), _ log: Bool) -> Double {
            log ? (log10(v) - log10(a.lo)) / (log10(a.hi) - log10(a.lo)) : (v - a.lo) / (a.hi - a.lo)
        }
        func px(_ x: Double) -> Double { left + pw * t(x, xa, xLog) }
        func py(_ y: Double) -> Double { top + ph * (1 - t(y, ya, yLog)) }
        svg.text(width / 2, 18, title, size: 13, anchor: .middle)
        svg.rect(left, top, pw, ph, fill: "none", stroke: "black")
        for tick in xa.ticks {
            let x = px(tick)
            svg.line(x, top, x, top + ph, stroke: "#e0e0e0")
            svg.line(x, top + ph, x, top + ph + 5, stroke: "black")
            svg.text(x, top + ph + 17, Self.label(tick, log: xLog), size: 11, anchor: .middle)
        }
        for tick in ya.ticks {
            let y = py(tick)
            svg.line(left, y, left + pw, y, stroke: "#e0e0e0")
            svg.line(left - 5, y, left, y, stroke: "black")
            svg.text(left - 8, y + 4, Self.label(tick, log: yLog), size: 11, anchor: .end)
        }
        svg.text(left + pw / 2, height - 8, xLabel, size: 11, anchor: .middle)
        svg.text(14, top + ph / 2, yLabel, size: 11, anchor: .middle, rotate: -90)
        for line in series {
            let pts = line.points.filter {
                $0.x.isFinite && $0.y.isFinite && (!xLog || $0.x > 0) && (!yLog || $0.y > 0)
            }
            guard !pts.isEmpty else { continue }
            svg.polyline(
                pts.map { (px($0.x), py($0.y)) }, stroke: line.color, width: 1.6, dash: line.dashed ? "5,3" : nil)
            if line.markers {
                for p in pts { svg.circle(px(p.x), py(p.y), r: 2.6, fill: line.color) }
            }
        }
        // Legend, top right inside the frame.
        let named = series.filter { !$0.name.isEmpty }
        if !named.isEmpty {
            let lw = 8 + 7 * Double(named.map(\.name.count).max() ?? 0) + 30
            let lh = 15 * Double(named.count) + 6
            let lx = left + pw - lw - 6
            let ly = top + 6
            svg.rect(lx, ly, lw, lh, fill: "white", stroke: "#999", opacity: 0.85)
            for (i, line) in named.enumerated() {
                let y = ly + 13 + 15 * Double(i)
                svg.line(lx + 6, y - 4, lx + 28, y - 4, stroke: line.color, width: 2, dash: line.dashed ? "5,3" : nil)
                svg.text(lx + 33, y, line.name, size: 11)
            }
        }
    }
}

/// The sweep's plots: Dirac counts against λ, and the errors against λ with the fitted slopes.
public enum SweepPlots {
    static func groups(_ outcome: SweepOutcome) -> [(name: String, noise: Double, rows: [SweepRow])] {
        outcome.settings.jobs.map { job in
            (
                job.noise == 0 ? "noise 0" : "noise \(job.noise), seed \(job.seed)", job.noise,
                outcome.rows.filter { $0.noise == job.noise && $0.seed == job.seed }
            )
        }.filter { !$0.rows.isEmpty }
    }

    static func color(_ noise: Double, _ outcome: SweepOutcome, seedIndex: Int) -> String {
        let i = outcome.settings.noiseLevels.firstIndex(of: noise) ?? 0
        return LinePlot.palette[(2 * i + seedIndex) % LinePlot.palette.count]
    }

    static func seedIndex(_ row: SweepRow, _ outcome: SweepOutcome) -> Int {
        outcome.settings.seeds.firstIndex(of: row.seed) ?? 0
    }

    public static func diracs(_ outcome: SweepOutcome) -> String {
        var plot = LinePlot(
            title: "Diracs against λ (\(outcome.settings.dataFile); limit: \(outcome.limit.diracs))",
            xLabel: "λ", yLabel: "number of Diracs (certified solves)", xLog: true)
        for g in groups(outcome) {
            let pts = g.rows.filter { $0.status == TrainingStatus.optimal.rawValue }.map {
                (x: $0.lambda, y: Double($0.diracs))
            }
            plot.series.append(
                .init(
                    name: g.name, points: pts, color: color(g.noise, outcome, seedIndex: seedIndex(g.rows[0], outcome)))
            )
        }
        let ls = outcome.settings.lambdas
        if let lo = ls.min(), let hi = ls.max() {
            plot.series.append(
                .init(
                    name: "noise-free limit",
                    points: [(lo, Double(outcome.limit.diracs)), (hi, Double(outcome.limit.diracs))],
                    color: "black", dashed: true, markers: false))
        }
        return plot.svg()
    }

    public static func errors(_ outcome: SweepOutcome, summary: SweepSummary) -> String {
        var plots: [LinePlot] = []
        for (quantity, label) in [
            ("angle", "location error (max angle, rad)"), ("amplitude", "amplitude error (max |a − a*|)"),
        ] {
            var plot = LinePlot(
                title: "\(quantity == "angle" ? "Location" : "Amplitude") error vs the noise-free limit",
                xLabel: "λ (rows with the limit's Dirac count)", yLabel: label, xLog: true, yLog: true)
            for g in groups(outcome) {
                let rs = g.rows.filter {
                    $0.status == TrainingStatus.optimal.rawValue && $0.diracs == outcome.limit.diracs
                        && $0.unmatched == 0
                }
                let pts = rs.map { (x: $0.lambda, y: quantity == "angle" ? $0.maxAngleError : $0.maxAmplitudeError) }
                    .filter { $0.y > SweepSummary.errorFloor }
                plot.series.append(
                    .init(
                        name: g.name, points: pts,
                        color: color(g.noise, outcome, seedIndex: seedIndex(g.rows[0], outcome))))
            }
            for fit in summary.slopes where fit.quantity == quantity && fit.against == "lambda" {
                guard let slope = fit.slope, let b = fit.intercept, let lo = fit.xMin, let hi = fit.xMax else {
                    continue
                }
                plot.series.append(
                    .init(
                        name: String(format: "fit, noise %g: slope %.2f", fit.at, slope),
                        points: [(lo, pow(10, b + slope * log10(lo))), (hi, pow(10, b + slope * log10(hi)))],
                        color: color(fit.at, outcome, seedIndex: 0), dashed: true, markers: false))
            }
            plots.append(plot)
        }
        return LinePlot.figure(plots)
    }
}
