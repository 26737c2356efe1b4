import Foundation

/// A least-squares line `log10(error) = slope · log10(x) + intercept`.
public struct SlopeFit: Sendable, Codable, Equatable {
    /// "angle" (location error) or "amplitude".
    public var quantity: String
    /// "lambda" (one fit per noise level) or "noise" (one fit per λ, over the noise levels > 0).
    public var against: String
    /// The fixed noise level (fits against λ) or λ (fits against noise).
    public var at: Double
    /// nil when fewer than two distinct x values qualify.
    public var slope: Double?
    public var intercept: Double?
    /// The number of Diracs of the rows used: the limit's for fits against λ; for fits against the noise the
    /// most frequent count among the certified solves at that λ (ties: the smaller), as the count is then
    /// often the limit's plus small atoms that fit the noise.
    public var diracs: Int
    /// Rows used: certified optimal, `diracs` Diracs, error above `SweepSummary.errorFloor`.
    public var points: Int
    /// Qualifying rows (same Dirac count) whose error is at or below the floor: the limit recovered exactly.
    public var exact: Int
    public var xMin: Double?
    public var xMax: Double?

    /// Least squares on (log10 x, log10 y).
    public static func fit(_ xs: [Double], _ ys: [Double]) -> (slope: Double, intercept: Double)? {
        guard xs.count >= 2, Set(xs).count >= 2 else { return nil }
        let lx = xs.map { log10($0) }
        let ly = ys.map { log10($0) }
        let mx = lx.reduce(0, +) / Double(lx.count)
        let my = ly.reduce(0, +) / Double(ly.count)
        var sxy = 0.0
        var sxx = 0.0
        for (a, b) in zip(lx, ly) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        return (slope, my - slope * mx)
    }
}

/// Counts for one noise level.
public struct NoiseCounts: Sendable, Codable, Equatable {
    public var noise: Double
    public var solves: Int
    public var optimal: Int
    /// Certified solves with the limit's number of Diracs, all matched one to one.
    public var sameDiracs: Int
    public var diracsMin: Int?
    public var diracsMax: Int?
    /// Mean number of Diracs per λ (over seeds, certified solves), in the order of `settings.lambdas`.
    public var meanDiracs: [Double?]
}

/// `summary.json` of a sweep.
public struct SweepSummary: Sendable, Codable, Equatable {
    public static let format = "relulp-sweep"
    /// Errors at or below this are the limit itself up to rounding; they are counted, not fitted.
    public static let errorFloor = 1e-9

    public var format: String
    public var settings: SweepSettings
    /// Set for a shard's output, nil for a whole or merged sweep.
    public var shard: Shard?
    public var limit: SweepLimit
    public var rows: Int
    public var slopes: [SlopeFit]
    public var counts: [NoiseCounts]
    /// A digest (FNV-1a, 64 bit) of the bytes of the runs.csv written with this summary, so that a runs.csv of
    /// another run (an interrupted rerun, a copied file) is recognised; absent in outputs from before 0.10.0.
    public var runsDigest: String?

    public init(outcome: SweepOutcome) {
        format = Self.format
        settings = outcome.settings
        shard = outcome.shard.count == 1 ? nil : outcome.shard
        limit = outcome.limit
        rows = outcome.rows.count
        let rows = outcome.rows
        let limitDiracs = outcome.limit.diracs
        func qualifies(_ r: SweepRow) -> Bool {
            r.status == TrainingStatus.optimal.rawValue && r.diracs == limitDiracs && r.unmatched == 0
        }
        var slopes: [SlopeFit] = []
        func add(_ quantity: String, _ against: String, at: Double, _ rs: [SweepRow], x: (SweepRow) -> Double) {
            let value: (SweepRow) -> Double = quantity == "angle" ? { $0.maxAngleError } : { $0.maxAmplitudeError }
            var count = limitDiracs
            if against == "noise" {
                var frequency: [Int: Int] = [:]
                for r in rs where r.status == TrainingStatus.optimal.rawValue { frequency[r.diracs, default: 0] += 1 }
                count = frequency.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? limitDiracs
            }
            let q = rs.filter {
                $0.status == TrainingStatus.optimal.rawValue && $0.diracs == count
                    && (against == "noise" || $0.unmatched == 0)
            }
            let used = q.filter { value($0) > Self.errorFloor && x($0) > 0 }
            let fit = SlopeFit.fit(used.map(x), used.map(value))
            slopes.append(
                SlopeFit(
                    quantity: quantity, against: against, at: at, slope: fit?.slope, intercept: fit?.intercept,
                    diracs: count, points: used.count, exact: q.count - used.count, xMin: used.map(x).min(),
                    xMax: used.map(x).max()))
        }
        for noise in outcome.settings.noiseLevels {
            let rs = rows.filter { $0.noise == noise }
            for quantity in ["angle", "amplitude"] { add(quantity, "lambda", at: noise, rs) { $0.lambda } }
        }
        if outcome.settings.noiseLevels.filter({ $0 > 0 }).count >= 2 {
            for lambda in outcome.settings.lambdas {
                let rs = rows.filter { $0.lambda == lambda && $0.noise > 0 }
                for quantity in ["angle", "amplitude"] { add(quantity, "noise", at: lambda, rs) { $0.noise } }
            }
        }
        self.slopes = slopes
        counts = outcome.settings.noiseLevels.map { noise in
            let rs = rows.filter { $0.noise == noise }
            let optimal = rs.filter { $0.status == TrainingStatus.optimal.rawValue }
            let mean: [Double?] = outcome.settings.lambdas.map { lambda in
                let d = optimal.filter { $0.lambda == lambda }.map { Double($0.diracs) }
                return d.isEmpty ? nil : d.reduce(0, +) / Double(d.count)
            }
            return NoiseCounts(
                noise: noise, solves: rs.count, optimal: optimal.count, sameDiracs: rs.filter(qualifies).count,
                diracsMin: optimal.map(\.diracs).min(), diracsMax: optimal.map(\.diracs).max(), meanDiracs: mean)
        }
    }
}

/// Reading and writing a sweep's output folder: `runs.csv`, `summary.json`, `diracs.svg`, `errors.svg`.
public enum SweepOutput {
    /// The folder a run writes to: `dir` itself, or `dir/shard-i-of-N` for a shard.
    public static func folder(_ dir: String, shard: Shard) -> String {
        shard.count == 1 ? dir : (dir as NSString).appendingPathComponent(shard.folderName)
    }

    /// Writes every output file of `outcome` into `folder` (created if needed).
    public static func write(_ outcome: SweepOutcome, to folder: String) throws(StudyError) {
        do {
            try OutputFile.makeFolder(folder)
            let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
            var csv = SweepRow.columns.joined(separator: ",") + "\n"
            for row in outcome.rows { csv += row.fields.joined(separator: ",") + "\n" }
            try OutputFile.write(csv, to: path("runs.csv"))
            var summary = SweepSummary(outcome: outcome)
            summary.runsDigest = digest(Array(csv.utf8))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try OutputFile.write(bytes: [UInt8](try encoder.encode(summary)), to: path("summary.json"))
            try OutputFile.write(SweepPlots.diracs(outcome), to: path("diracs.svg"))
            try OutputFile.write(SweepPlots.errors(outcome, summary: summary), to: path("errors.svg"))
        } catch let error as StudyError {
            throw error
        } catch let error as OutputFileError {
            throw StudyError("\(error)")
        } catch {
            throw StudyError("\(folder): cannot write the sweep's outputs (\(error.localizedDescription))")
        }
    }

    /// Reads a folder written by `write` back into an outcome (rows from runs.csv, the rest from summary.json).
    public static func read(_ folder: String, maxBytes: Int = InputFile.defaultMaxBytes) throws(StudyError)
        -> SweepOutcome
    {
        let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        func contents(_ name: String) throws(StudyError) -> [UInt8] {
            do { return try InputFile.read(path(name), maxBytes: maxBytes) } catch { throw StudyError("\(error)") }
        }
        let summaryBytes = try contents("summary.json")
        let summary: SweepSummary
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            summary = try decoder.decode(SweepSummary.self, from: Data(summaryBytes))
        } catch {
            throw StudyError("\(path("summary.json")): not a readable sweep summary (\(error.localizedDescription))")
        }
        guard summary.format == SweepSummary.format else {
            throw StudyError("\(path("summary.json")): not a relulp sweep summary")
        }
        let runsBytes = try contents("runs.csv")
        let rows = try parseRows(runsBytes, file: path("runs.csv"))
        guard rows.count == summary.rows else {
            throw StudyError(
                "\(path("runs.csv")): \(rows.count) rows but summary.json says \(summary.rows) (an interrupted run?)")
        }
        if let expected = summary.runsDigest, expected != digest(runsBytes) {
            throw StudyError(
                "\(path("runs.csv")) was not written with \(path("summary.json")) (their digests differ): the "
                    + "folder mixes two runs (an interrupted rerun or a copied file); run the sweep again")
        }
        let outcome = SweepOutcome(
            settings: summary.settings, shard: summary.shard ?? .whole, limit: summary.limit, rows: rows)
        try checkRows(of: outcome, file: path("runs.csv"))
        return outcome
    }

    /// The rows of a runs.csv file (`file` names it in messages).
    static func parseRows(_ runsBytes: [UInt8], file: String) throws(StudyError) -> [SweepRow] {
        let text = String(decoding: runsBytes, as: UTF8.self)
        var lines = text.split(separator: "\n").map(String.init)
        guard !lines.isEmpty, lines.removeFirst() == SweepRow.columns.joined(separator: ",") else {
            throw StudyError("\(file): the header is not that of a sweep")
        }
        var rows: [SweepRow] = []
        for (i, line) in lines.enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func d(_ k: Int) throws(StudyError) -> Double {
                if f[k] == "nan" { return .nan }
                guard let v = Double(f[k]) else {
                    throw StudyError("\(file):\(i + 2): '\(f[k])' is not a number")
                }
                return v
            }
            func int(_ k: Int) throws(StudyError) -> Int {
                guard let v = Int(f[k]) else {
                    throw StudyError("\(file):\(i + 2): '\(f[k])' is not an integer")
                }
                return v
            }
            guard f.count == SweepRow.columns.count, let seed = UInt64(f[2]) else {
                throw StudyError("\(file):\(i + 2): expected \(SweepRow.columns.count) fields")
            }
            rows.append(
                SweepRow(
                    lambda: try d(0), noise: try d(1), seed: seed, status: f[3], diracs: try int(4),
                    totalVariation: try d(5), loss: try d(6), objective: try d(7), lowerBound: try d(8),
                    gap: try d(9), matched: try int(10), unmatched: try int(11), maxAngleError: try d(12),
                    maxAmplitudeError: try d(13), seconds: try d(14)))
        }
        return rows
    }

    /// The rows of a sweep's output are those its settings and shard call for: one per λ of the settings for
    /// every (noise, seed) job of the shard, each once, in the order of a run.
    static func checkRows(of outcome: SweepOutcome, file: String) throws(StudyError) {
        let lambdas = outcome.settings.lambdas
        var expected: [(lambda: Double, noise: Double, seed: UInt64)] = []
        for (index, job) in outcome.settings.jobs.enumerated() where outcome.shard.contains(job: index) {
            for lambda in lambdas { expected.append((lambda, job.noise, job.seed)) }
        }
        guard expected.count == outcome.rows.count else {
            throw StudyError(
                "\(file): \(outcome.rows.count) rows, but the settings in summary.json (shard \(outcome.shard)) call "
                    + "for \(expected.count) (\(lambdas.count) λ × \(expected.count / max(1, lambdas.count)) jobs): "
                    + "the outputs do not belong to these settings")
        }
        for (i, (row, want)) in zip(outcome.rows, expected).enumerated()
        where !(row.lambda == want.lambda && row.noise == want.noise && row.seed == want.seed) {
            throw StudyError(
                "\(file):\(i + 2): the row is for λ = \(row.lambda), noise \(row.noise), seed \(row.seed), but the "
                    + "settings in summary.json (shard \(outcome.shard)) call for λ = \(want.lambda), noise "
                    + "\(want.noise), seed \(want.seed) there: the outputs do not belong to these settings")
        }
    }

    /// FNV-1a (64 bit) of bytes, as 16 hexadecimal digits.
    static func digest(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Combines the outputs of the shards of one sweep.
public enum SweepMerge {
    /// The shard folders under `dir`: `dir` itself when it holds a summary.json, else its `shard-*` subfolders.
    public static func shardFolders(in dir: String) -> [String] {
        let fm = FileManager.default
        if fm.fileExists(atPath: (dir as NSString).appendingPathComponent("summary.json")) { return [dir] }
        let names = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("shard-") }.sorted()
        return names.map { (dir as NSString).appendingPathComponent($0) }
    }

    /// Merges shard outcomes: equal settings (else an error naming the differing fields), shards i/N of one N,
    /// each once and all present; rows in the canonical order of an unsharded run.
    public static func merge(_ parts: [(folder: String, outcome: SweepOutcome)]) throws(StudyError) -> SweepOutcome {
        guard let first = parts.first else { throw StudyError("nothing to merge: no sweep outputs given") }
        for part in parts.dropFirst() {
            let diff = first.outcome.settings.differences(from: part.outcome.settings)
            if !diff.isEmpty {
                throw StudyError(
                    "\(part.folder) and \(first.folder) are different sweeps: their settings differ in \(diff.joined(separator: ", "))"
                )
            }
        }
        let n = first.outcome.shard.count
        var seen: [Int: String] = [:]
        for part in parts {
            guard part.outcome.shard.count == n else {
                throw StudyError(
                    "\(part.folder) is shard \(part.outcome.shard) but \(first.folder) is shard \(first.outcome.shard): different numbers of shards"
                )
            }
            if let other = seen[part.outcome.shard.index] {
                throw StudyError("shard \(part.outcome.shard) is given twice (\(other) and \(part.folder))")
            }
            seen[part.outcome.shard.index] = part.folder
        }
        let missing = (1...n).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw StudyError(
                "incomplete sweep: shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) missing"
            )
        }
        let settings = first.outcome.settings
        let rows = parts.flatMap(\.outcome.rows)
        let jobOrder = Dictionary(
            uniqueKeysWithValues: settings.jobs.enumerated().map {
                ("\($0.element.noise)|\($0.element.seed)", $0.offset)
            })
        let lambdaOrder = Dictionary(
            uniqueKeysWithValues: settings.lambdas.enumerated().map { ($0.element, $0.offset) })
        let sorted = rows.sorted { a, b in
            let ja = jobOrder["\(a.noise)|\(a.seed)"] ?? .max
            let jb = jobOrder["\(b.noise)|\(b.seed)"] ?? .max
            return ja != jb ? ja < jb : (lambdaOrder[a.lambda] ?? .max) < (lambdaOrder[b.lambda] ?? .max)
        }
        return SweepOutcome(settings: settings, shard: .whole, limit: first.outcome.limit, rows: sorted)
    }
}
