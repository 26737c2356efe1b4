import ArgumentParser
import Foundation
import ReLULP

/// `relulp sweep`: a (λ, noise, seed) study of sparsity and stability; `relulp sweep merge` combines shards.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Sweep λ, label noise and seeds against the noise-free limit (run, or merge shards).",
        subcommands: [SweepRun.self, SweepMergeCommand.self],
        defaultSubcommand: SweepRun.self)
}

struct SweepRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: """
            Solve (P) for every (λ, noise, seed), certified, and compare each solution with the noise-free limit.
            """,
        discussion: """
            For each (noise, seed) one warm-started regularisation path over the λ list (decreasing). With \
            --teacher the clean labels are the teacher's outputs at the data's inputs and every noise level adds \
            noise · g to them, g standard normal drawn from the seed (the same g for every level); without one the \
            clean labels are the data's own. The noise-free limit is the least-total-variation interpolant of the \
            clean labels. Each solution's atoms are matched one to one with the limit's (same sign, by angle). \
            Writes runs.csv, summary.json (with log-log slopes of the errors against λ and against the noise, over \
            the certified rows with the limit's number of Diracs), diracs.svg and errors.svg to --output; with \
            --shard i/N only the jobs with index % N = i − 1, into --output/shard-i-of-N. The solver options hold \
            for every solve; --loss is l1 or squared, whose noise-free limit is the same (solved as an L1 problem).
            """)

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Teacher model file (from `relulp generate`): use its outputs as the clean labels.")
    var teacher: String?

    @Option(help: "λ values: a:b:k (k values log-spaced from a to b) and/or numbers, comma-separated (≤ 10,000).")
    var lambdas: String = "1e-1:1e-4:13"

    @Option(name: .customLong("noise-levels"), help: "Label-noise standard deviations (≥ 0), same syntax as --lambdas.")
    var noiseLevels: String = "0"

    @Option(
        name: .customLong("noise-over-lambda"),
        help: """
            Ratios c ≥ 0 instead of --noise-levels: the noise of the solve at λ is c·λ along the seed's fixed \
            direction (the stability theorem's regime, λ → 0); each λ is solved cold; the noise column holds c.
            """)
    var noiseOverLambda: String?

    @Option(help: "Seeds of the label noise: comma-separated integers or ranges a-b (≤ 10,000 seeds).")
    var seeds: String = "1"

    @Option(help: "Matching of atoms to the limit's.")
    var matching: AtomMatching.Method = .hungarian

    @Option(
        name: .customLong("atom-floor"),
        help: "Leave out atoms with |amplitude| ≤ this × the measure's total variation (LP crumbs).")
    var atomFloor: Double = 1e-7

    @OptionGroup var solver: SolverOptions

    @Option(help: "Run only the i-th of N disjoint parts of the sweep (i/N, 1 ≤ i ≤ N).")
    var shard: String?

    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String

    @Flag(name: .shortAndLong, help: "No progress log on stderr.")
    var quiet = false

    func run() throws {
        try reportingFailures(body)
    }

    private func body() throws {
        let lambdaList = try cli { () throws(StudyError) in try LambdaGrid.parse(lambdas) }
        if solver.intercept {
            throw CLIFailure(
                message:
                    "sweep does not take --intercept: it compares every solution with the interpolation limit, "
                    + "which has none")
        }
        if noiseOverLambda != nil && noiseLevels != "0" {
            throw CLIFailure(message: "give --noise-levels or --noise-over-lambda, not both")
        }
        let noiseList = try cli { () throws(StudyError) in try LambdaGrid.parseNoise(noiseOverLambda ?? noiseLevels) }
        let seedList = try cli { () throws(StudyError) in try LambdaGrid.parseSeeds(seeds) }
        let part = try shard.map { text in try cli { () throws(StudyError) in try Shard(parsing: text) } } ?? .whole
        let options = try solver.trainingOptions(lambda: lambdaList[0])
        let data = try dataOptions.load()
        var clean: [Double]? = nil
        var teacherDigest: String? = nil
        if let teacher {
            let model = try cli { () throws(ModelFileError) in
                try ModelFile.load(teacher, maxBytes: dataOptions.inputLimit.maxInputBytes)
            }
            guard model.bias == dataOptions.bias else {
                throw CLIFailure(
                    message: "\(teacher): the teacher has bias = \(model.bias) "
                        + "but the sweep uses bias = \(dataOptions.bias)")
            }
            clean = try cli { () throws(ModelFileError) in try model.predict(data, dataPath: dataOptions.data) }
            teacherDigest = SweepSettings.digest(model.atoms.flatMap { [$0.amplitude] + $0.weights })
        }
        var settings = try cli { () throws(StudyError) in
            try SweepSettings(
                dataFile: (dataOptions.data as NSString).lastPathComponent,
                dataDigest: SweepSettings.digest(data.features.flatMap { $0 } + data.labels), n: data.count,
                features: data.featureNames, teacherFile: teacher.map { ($0 as NSString).lastPathComponent },
                teacherDigest: teacherDigest, lambdas: lambdaList, noiseLevels: noiseList, seeds: seedList,
                bias: dataOptions.bias, backend: options.backend, loss: options.loss, tolerance: options.tolerance,
                matching: matching, maxRounds: options.maxRounds, timeLimit: options.timeLimit,
                master: options.master, atomFloor: atomFloor)
        }
        if noiseOverLambda != nil { settings.noiseOverLambda = true }
        let sweep = try cli { () throws(StudyError) in
            try Sweep(
                settings: settings, data: data, cleanLabels: clean, maxRegions: solver.maxRegions,
                maxMasterEntries: options.maxMasterEntries)
        }
        let log = Log(quiet: quiet)
        let jobs = settings.jobs.indices.filter { part.contains(job: $0) }.count
        let shardNote = part.count > 1 ? " (shard \(part) of \(settings.jobs.count) jobs)" : ""
        log.line(
            "relulp sweep: \(dataOptions.data), n = \(data.count), \(settings.lambdas.count) λ × \(jobs) "
                + "(noise, seed) job\(jobs == 1 ? "" : "s")\(shardNote)")
        // The output folder is made first: a path that cannot be one fails before the solves, not after.
        let folder = SweepOutput.folder(output, shard: part)
        try cli { () throws(OutputFileError) in try OutputFile.makeFolder(folder) }
        let started = Date()
        let outcome = try cli { () throws(StudyError) in try sweep.run(shard: part) { log.line($0) } }
        try cli { () throws(StudyError) in try SweepOutput.write(outcome, to: folder) }
        print(outcome.summary(folder: folder, seconds: Date().timeIntervalSince(started)))
    }
}

struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the shards of a sweep into one output folder.",
        discussion: """
            Each DIR is a shard's folder (holding summary.json and runs.csv) or a folder whose shard-* subfolders \
            are. The shards must have identical settings and together be 1/N..N/N, each once; the merged runs.csv \
            lists the rows in the order of an unsharded run, and summary.json and the plots are recomputed.
            """)

    @Argument(help: "Shard output folders, or folders holding shard-i-of-N subfolders.")
    var dirs: [String]

    @Option(name: .shortAndLong, help: "Output folder of the merged sweep.")
    var output: String

    @OptionGroup var inputLimit: InputLimitOption

    func run() throws {
        try reportingFailures(body)
    }

    private func body() throws {
        guard !dirs.isEmpty else { throw CLIFailure(message: "no folders to merge") }
        var parts: [(folder: String, outcome: SweepOutcome)] = []
        for dir in dirs {
            let folders = SweepMerge.shardFolders(in: dir)
            guard !folders.isEmpty else {
                throw CLIFailure(
                    message: "\(dir): neither a sweep output (summary.json) "
                        + "nor a folder of shard-* outputs")
            }
            for folder in folders {
                let outcome = try cli { () throws(StudyError) in
                    try SweepOutput.read(folder, maxBytes: inputLimit.maxInputBytes)
                }
                parts.append((folder, outcome))
            }
        }
        let merged = try cli { () throws(StudyError) in try SweepMerge.merge(parts) }
        try cli { () throws(StudyError) in try SweepOutput.write(merged, to: output) }
        print(merged.summary(folder: output, seconds: nil))
    }
}
