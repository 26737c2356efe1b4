import Foundation

/// Everything that defines a sweep; shards of one sweep have equal settings (checked when merging).
public struct SweepSettings: Sendable, Codable, Equatable {
    /// The data file's name (not its folder) and a digest of its points and labels.
    public var dataFile: String
    public var dataDigest: String
    public var n: Int
    public var features: [String]
    /// The teacher's file name and a digest of its atoms, when the sweep uses clean labels from a teacher.
    public var teacherFile: String?
    public var teacherDigest: String?
    /// Solved in this order (decreasing, the order of the warm-started path).
    public var lambdas: [Double]
    public var noiseLevels: [Double]
    public var seeds: [UInt64]
    public var bias: Bool
    public var backend: String
    /// The data term of the regularised solves (`Loss` raw value); nil in sweeps written before it existed: L1.
    public var loss: String?
    public var tolerance: Double
    public var matching: String
    public var maxRounds: Int
    public var timeLimit: Double?
    /// The master LP's form (`MasterForm` raw value); nil for `auto`, as in sweeps written before it existed.
    public var master: String?
    /// Atoms with |amplitude| ≤ atomFloor · (total variation of their measure) are left out of the counts and
    /// the matching, in the limit and in every solution: the interpolation LP leaves crumbs of ~1e-10.
    public var atomFloor: Double = 1e-7
    /// True when `noiseLevels` are ratios c and the noise of a solve at λ is c·λ (the theorem's regime, noise ≤ c·λ
    /// as λ → 0; docs/mathematics.md §9): every λ then has its own labels and is solved cold. nil: false.
    public var noiseOverLambda: Bool?

    /// The noise level of a solve at `lambda` for the job's `level`: the level, or level·λ with `noiseOverLambda`.
    public func noise(level: Double, lambda: Double) -> Double { noiseOverLambda == true ? level * lambda : level }

    public init(
        dataFile: String, dataDigest: String, n: Int, features: [String], teacherFile: String? = nil,
        teacherDigest: String? = nil, lambdas: [Double], noiseLevels: [Double] = [0], seeds: [UInt64] = [1],
        bias: Bool = true, backend: LPBackend = .clp, loss: Loss = .l1, tolerance: Double = 1e-9,
        matching: AtomMatching.Method = .hungarian, maxRounds: Int = 1000, timeLimit: Double? = nil,
        master: MasterForm = .auto,
        atomFloor: Double = 1e-7
    ) throws(StudyError) {
        // The sweep measures solutions against the noise-free interpolation limit of real-valued labels with noise
        // added; the hinge loss needs two classes and has a different limit (the hard margin).
        guard loss != .hinge else {
            throw StudyError(
                "a sweep solves the L1 or squared loss (it compares real-valued noisy labels with their interpolation limit); the hinge loss is not supported"
            )
        }
        self.loss = loss == .l1 ? nil : loss.rawValue
        guard atomFloor >= 0, atomFloor < 1 else {
            throw StudyError("the atom floor must lie in [0, 1), got \(atomFloor)")
        }
        self.atomFloor = atomFloor
        guard !lambdas.isEmpty else { throw StudyError("the list of λ values is empty") }
        if let bad = lambdas.first(where: { !($0 > 0) || !$0.isFinite }) {
            throw StudyError("every λ must be a finite number > 0, got \(bad)")
        }
        guard !noiseLevels.isEmpty else { throw StudyError("the list of noise levels is empty") }
        if let bad = noiseLevels.first(where: { !($0 >= 0) || !$0.isFinite }) {
            throw StudyError("every noise level must be a finite number ≥ 0, got \(bad)")
        }
        guard !seeds.isEmpty else { throw StudyError("the list of seeds is empty") }
        self.dataFile = dataFile
        self.dataDigest = dataDigest
        self.n = n
        self.features = features
        self.teacherFile = teacherFile
        self.teacherDigest = teacherDigest
        self.lambdas = lambdas.sorted(by: >)
        self.noiseLevels = noiseLevels
        self.seeds = seeds
        self.bias = bias
        self.backend = backend.rawValue
        self.tolerance = tolerance
        self.matching = matching.rawValue
        self.maxRounds = maxRounds
        self.timeLimit = timeLimit
        self.master = master == .auto ? nil : master.rawValue
    }

    /// The (noise, seed) jobs in their canonical order. Noise 0 is one job (with the first seed): the labels
    /// do not depend on the seed then.
    public var jobs: [(noise: Double, seed: UInt64)] {
        var result: [(Double, UInt64)] = []
        for noise in noiseLevels {
            for seed in (noise == 0 ? [seeds[0]] : seeds) { result.append((noise, seed)) }
        }
        return result
    }

    /// The names of the fields in which two settings differ (empty when equal).
    public func differences(from other: SweepSettings) -> [String] {
        var fields: [String] = []
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { fields.append(name) } }
        check("dataFile", dataFile, other.dataFile)
        check("dataDigest (the data's points or labels)", dataDigest, other.dataDigest)
        check("n", n, other.n)
        check("features", features, other.features)
        check("teacherFile", teacherFile, other.teacherFile)
        check("teacherDigest (the teacher's atoms)", teacherDigest, other.teacherDigest)
        check("lambdas", lambdas, other.lambdas)
        check("noiseLevels", noiseLevels, other.noiseLevels)
        check("seeds", seeds, other.seeds)
        check("bias", bias, other.bias)
        check("backend", backend, other.backend)
        check("loss", loss ?? Loss.l1.rawValue, other.loss ?? Loss.l1.rawValue)
        check("tolerance", tolerance, other.tolerance)
        check("matching", matching, other.matching)
        check("maxRounds", maxRounds, other.maxRounds)
        check("timeLimit", timeLimit, other.timeLimit)
        check("master", master ?? MasterForm.auto.rawValue, other.master ?? MasterForm.auto.rawValue)
        check("atomFloor", atomFloor, other.atomFloor)
        check("noiseOverLambda", noiseOverLambda ?? false, other.noiseOverLambda ?? false)
        return fields
    }

    /// A digest (FNV-1a, 64 bit) of numbers' bit patterns, for recognising the same data.
    public static func digest(_ values: [Double]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in values {
            var bits = v.bitPattern
            for _ in 0..<8 {
                h = (h ^ (bits & 0xff)) &* 0x100_0000_01b3
                bits >>= 8
            }
        }
        return String(h, radix: 16)
    }
}

/// One solve of a sweep: one λ at one (noise, seed), compared with the noise-free limit.
public struct SweepRow: Sendable, Equatable, Codable {
    public var lambda: Double
    public var noise: Double
    public var seed: UInt64
    /// `optimal` only when certified; `failed` when the solver gave no solution (numbers are then NaN).
    public var status: String
    public var diracs: Int
    public var totalVariation: Double
    public var loss: Double
    public var objective: Double
    public var lowerBound: Double
    public var gap: Double
    /// Atoms paired with the limit's, atoms without a partner (both sides), the largest angle (radians)
    /// and amplitude error over the pairs.
    public var matched: Int
    public var unmatched: Int
    public var maxAngleError: Double
    public var maxAmplitudeError: Double
    public var seconds: Double

    public static let columns = [
        "lambda", "noise", "seed", "status", "diracs", "total_variation", "loss", "objective",
        "lower_bound", "gap", "matched", "unmatched", "max_angle_error", "max_amplitude_error",
        "seconds",
    ]

    /// The row with its timing zeroed, for comparing runs.
    public var withoutTiming: SweepRow {
        var r = self
        r.seconds = 0
        return r
    }

    var fields: [String] {
        [
            num(lambda), num(noise), "\(seed)", status, "\(diracs)", num(totalVariation), num(loss), num(objective),
            num(lowerBound), num(gap), "\(matched)", "\(unmatched)", num(maxAngleError), num(maxAmplitudeError),
            String(format: "%.4f", seconds),
        ]
    }
}

/// Shortest text that reads back to the same Double ("nan" for NaN).
func num(_ x: Double) -> String { x.isNaN ? "nan" : "\(x)" }

/// The noise-free limit of a sweep: the minimal-total-variation interpolant of the clean labels.
public struct SweepLimit: Sendable, Codable, Equatable {
    public var status: String
    public var diracs: Int
    public var atoms: [DiracAtom]
    public var totalVariation: Double
    public var lowerBound: Double
    public var gap: Double
    /// Largest |f(x_j) − y_j| on the clean labels.
    public var maxFitError: Double
    /// `1 / (n ‖p*‖∞)` for the limit's certificate dual p*: for every λ up to this, λp* is feasible for (D) on
    /// the clean labels, so the limit itself solves (P) (the L1 loss is an exact penalty). A sufficient bound.
    public var exactPenaltyLambda: Double
    public var seconds: Double
}

/// The result of a sweep (or of one shard of it).
public struct SweepOutcome: Sendable {
    public var settings: SweepSettings
    public var shard: Shard
    public var limit: SweepLimit
    public var rows: [SweepRow]
}

/// A parameter sweep over (λ, noise, seed): warm-started regularisation paths against the noise-free limit.
public struct Sweep: Sendable {
    public var settings: SweepSettings
    /// The features (and the labels, unused when a teacher gives the clean labels).
    public var data: Dataset
    /// The labels the limit interpolates and the noise is added to: the teacher's outputs, or the data's labels.
    public var cleanLabels: [Double]
    public var maxRegions: Int
    /// The master LP's entry limit of every solve (`TrainingOptions.maxMasterEntries`): like `maxRegions` a limit
    /// of this machine, not a setting of the study.
    public var maxMasterEntries: Int

    public init(
        settings: SweepSettings, data: Dataset, cleanLabels: [Double]? = nil,
        maxRegions: Int = Arrangement.defaultMaxRegions,
        maxMasterEntries: Int = TrainingOptions.defaultMaxMasterEntries
    ) throws(StudyError) {
        if let clean = cleanLabels, clean.count != data.count {
            throw StudyError("\(clean.count) clean labels for \(data.count) data points")
        }
        self.settings = settings
        self.data = data
        self.cleanLabels = cleanLabels ?? data.labels
        self.maxRegions = maxRegions
        self.maxMasterEntries = maxMasterEntries
    }

    /// The noise vector of a seed: `noise · g` with `g` standard normal, the same `g` for every level, so that
    /// errors against the noise level follow one direction of label noise.
    public func noisyLabels(noise: Double, seed: UInt64) -> [Double] {
        guard noise > 0 else { return cleanLabels }
        var rng = SplitMix64(seed: seed ^ 0x5EED_0F_401CE)
        return cleanLabels.map { $0 + noise * rng.gaussian() }
    }

    /// The atoms above the settings' floor (relative to the measure's total variation).
    public func significant(_ measure: DiracMeasure) -> [DiracAtom] {
        let floor = settings.atomFloor * measure.totalVariation
        return measure.atoms.filter { abs($0.amplitude) > floor }
    }

    func options() throws(StudyError) -> TrainingOptions {
        guard let backend = LPBackend(rawValue: settings.backend) else {
            throw StudyError("unknown backend '\(settings.backend)'")
        }
        guard let loss = Loss(rawValue: settings.loss ?? Loss.l1.rawValue) else {
            throw StudyError("unknown loss '\(settings.loss ?? "")'")
        }
        var options = TrainingOptions(lambda: 1, backend: backend, tolerance: settings.tolerance, loss: loss)
        options.maxRounds = settings.maxRounds
        options.timeLimit = settings.timeLimit
        guard let master = MasterForm(rawValue: settings.master ?? MasterForm.auto.rawValue) else {
            throw StudyError("unknown master form '\(settings.master ?? "")'")
        }
        options.master = master
        options.maxMasterEntries = maxMasterEntries
        do { try options.validate() } catch { throw StudyError("\(error)") }
        return options
    }

    /// Runs the shard's jobs (every job by default): the noise-free limit, then one warm-started path over the
    /// λ list per (noise, seed). A path the solver fails on is redone λ by λ, cold, recording failures as rows.
    public func run(shard: Shard = .whole, log: (String) -> Void = { _ in }) throws(StudyError) -> SweepOutcome {
        let base: ExactTrainer
        do {
            base = try withoutActuallyEscaping(log) { log throws(TrainingError) in
                let clean: Dataset
                do throws(DataError) {
                    clean = try Dataset(
                        featureNames: data.featureNames, targetName: data.targetName,
                        features: data.features, labels: cleanLabels)
                } catch { throw .data(error) }
                return try ExactTrainer(
                    data: clean, bias: settings.bias, maxRegions: maxRegions, progress: { log($0.description) })
            }
        } catch { throw StudyError("\(error)") }
        log("regions: \(base.arrangement?.numberOfRegions ?? 0) dual regions")
        let options = try options()
        var interpolation = options
        interpolation.problem = .interpolation
        // The limit λ → 0 is the same for the L1 and the squared loss; it is solved with the L1 master.
        interpolation.loss = .l1
        let limitResult: TrainingResult
        do { limitResult = try base.train(interpolation) } catch {
            throw StudyError("the noise-free limit failed: \(error)")
        }
        let fitted = limitResult.measure.values(at: base.points)
        let limitAtoms = significant(limitResult.measure)
        let limit = SweepLimit(
            status: limitResult.status.rawValue, diracs: limitAtoms.count, atoms: limitAtoms,
            totalVariation: limitResult.totalVariation, lowerBound: limitResult.lowerBound, gap: limitResult.gap,
            maxFitError: zip(fitted, cleanLabels).map { abs($0 - $1) }.max() ?? 0,
            exactPenaltyLambda: 1 / (Double(data.count) * (limitResult.certificate.dual.map(abs).max() ?? .infinity)),
            seconds: limitResult.seconds)
        log(
            String(
                format: "noise-free limit: %@, %d Diracs, total variation %.10g, gap %.2e (%.2f s); exact for λ ≤ %.3g",
                limit.status, limit.diracs, limit.totalVariation, limit.gap, limit.seconds, limit.exactPenaltyLambda))
        let method = AtomMatching.Method(rawValue: settings.matching) ?? .hungarian
        var rows: [SweepRow] = []
        for (index, job) in settings.jobs.enumerated() where shard.contains(job: index) {
            let results = solveJob(job, base: base, options: options, log: log)
            for (lambda, result) in zip(settings.lambdas, results) {
                let row: SweepRow
                switch result {
                case .success(let r):
                    let atoms = significant(r.measure)
                    let match = AtomMatching(atoms, to: limit.atoms, method: method)
                    row = SweepRow(
                        lambda: lambda, noise: job.noise, seed: job.seed, status: r.status.rawValue,
                        diracs: atoms.count, totalVariation: r.totalVariation, loss: r.loss,
                        objective: r.objective, lowerBound: r.lowerBound, gap: r.gap, matched: match.pairs.count,
                        unmatched: match.unmatched, maxAngleError: match.maxAngleError,
                        maxAmplitudeError: match.maxAmplitudeError, seconds: r.seconds)
                case .failure(let error):
                    log("noise \(job.noise) seed \(job.seed) λ \(lambda) failed: \(error)")
                    row = SweepRow(
                        lambda: lambda, noise: job.noise, seed: job.seed, status: "failed", diracs: 0,
                        totalVariation: .nan, loss: .nan, objective: .nan, lowerBound: .nan, gap: .nan,
                        matched: 0, unmatched: 0, maxAngleError: .nan, maxAmplitudeError: .nan, seconds: 0)
                }
                log(
                    String(
                        format:
                            "noise %-8g seed %-4llu λ %-10.4g %@  %3d Diracs  TV %.6g  loss %.3e  gap %.1e  angle %.2e  amp %.2e  unmatched %d",
                        job.noise, job.seed, lambda, row.status, row.diracs, row.totalVariation, row.loss, row.gap,
                        row.maxAngleError, row.maxAmplitudeError, row.unmatched))
                rows.append(row)
            }
        }
        return SweepOutcome(settings: settings, shard: shard, limit: limit, rows: rows)
    }

    /// One job's solves in the order of `settings.lambdas`: a warm path for a fixed noise level (redone λ by λ, cold,
    /// if it fails), one cold solve per λ with `noiseOverLambda` (the labels change with λ).
    func solveJob(
        _ job: (noise: Double, seed: UInt64), base: ExactTrainer, options: TrainingOptions, log: (String) -> Void
    ) -> [Result<TrainingResult, TrainingError>] {
        var options = options
        func cold(_ lambda: Double) -> Result<TrainingResult, TrainingError> {
            let labels = noisyLabels(noise: settings.noise(level: job.noise, lambda: lambda), seed: job.seed)
            let trainer = ExactTrainer(points: base.points, labels: labels, pricer: base.pricer)
            options.lambda = lambda
            do throws(TrainingError) { return .success(try trainer.train(options)) } catch { return .failure(error) }
        }
        if settings.noiseOverLambda == true { return settings.lambdas.map(cold) }
        let labels = noisyLabels(noise: job.noise, seed: job.seed)
        let trainer = ExactTrainer(points: base.points, labels: labels, pricer: base.pricer)
        do {
            return try trainer.path(lambdas: settings.lambdas, options: options).map { .success($0) }
        } catch {
            log("path failed (\(error)); solving each λ cold")
            return settings.lambdas.map(cold)
        }
    }
}
