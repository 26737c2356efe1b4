import ArgumentParser
import Foundation
import ReLULP

/// `relulp solve`: certified exact training.
struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an infinite-width shallow ReLU network exactly, with a certificate of optimality.",
        discussion: """
            Minimises loss + λ ‖μ‖_TV over all signed measures μ on the unit sphere (networks of any width), by column \
            generation over the dual regions of the data. --loss l1 (default): (1/n) Σ |y_j − f(x_j)|; squared: \
            (1/2n) Σ (y_j − f(x_j))² (a QP master: backend clp); hinge: (1/n) Σ max(0, 1 − y_j f(x_j)) for labels of \
            exactly two classes (the smaller value is class −1, the larger +1). The result is a sparse network (a \
            finite sum of Dirac atoms) together with a lower bound that is valid over all measures; the status is \
            "optimal" only when the relative gap between the two is within --tolerance.

            Progress goes to stderr each round (round, columns, upper and lower bound, gap, max |η|, time); the \
            summary goes to stdout, the model to --output.

            Without DATA it solves the bundled example models/teacher2d_n30/data.csv (λ = 0.01 unless given).
            """)

    @Argument(
        help: """
            CSV file: a header row, numeric feature columns and a label column (default: the bundled example).
            """)
    var data: String?

    @Option(name: .customLong("lambda"), help: "Weight λ > 0 of the total variation (the weight decay).")
    var lambda: Double?

    @Flag(
        help: """
            Solve the noise-free limit instead: the network of least total variation that fits every label exactly.
            """)
    var interpolate = false

    @Option(help: "Name of the label column.")
    var target: String = "y"

    @Option(help: "Comma-separated feature columns (default: every column but the target).")
    var features: FeatureList?

    @Flag(name: .customLong("no-bias"), help: "Do not append the constant 1 to the inputs (neurons without bias).")
    var noBias = false

    @Option(help: "How to solve (P).")
    var method: TrainingMethod = .columnGeneration

    @Flag(
        name: .customLong("no-heuristic-pricing"),
        help: """
            With branch-and-bound pricing, run the exact search every round instead of first trying the regions \
            around the current neurons.
            """)
    var noHeuristicPricing = false

    @Option(
        name: .customLong("columns-per-round"),
        help: """
            Most neurons added per pricing point and round (default: min(n, 200) with --master primal, min(n, 50) \
            with the dual master, at least 20; 20 for --loss squared above 1000 points).
            """)
    var columnsPerRound: Int?

    @Flag(
        name: .customLong("no-newton"),
        help: """
            Pure column generation: do not try Newton steps on the optimality conditions of the current structure \
            (they close the certification tail where the structure is right; never tried above 32 lifted \
            dimensions, where their O(d³) work costs more than it saves).
            """)
    var noNewton = false

    @Flag(
        name: .customLong("joint-move"),
        help: """
            Each round, move all atoms of the network together with their activation patterns fixed (a convex \
            step whose network and dual join the round's; docs/mathematics.md §4b; not used with --interpolate or \
            --intercept). Off by default: it saves rounds at small λ but costs more time than they took.
            """)
    var jointMove = false

    @OptionGroup var solver: SolverOptions

    @OptionGroup var weights: WeightsOption

    @OptionGroup var pricingOptions: PricingOptions

    @OptionGroup var sparsestFlags: SparsestFlags

    @OptionGroup var inputLimit: InputLimitOption

    @Option(name: .shortAndLong, help: "Write the model (JSON, format relulp-model) to this file.")
    var output: String?

    @Flag(name: .shortAndLong, help: "No progress log on stderr.")
    var quiet = false

    /// Refuses a missing λ, options the library refuses together and a vertex LP without the regions, before
    /// any data is read.
    func validate() throws {
        if method == .vertices && pricingOptions.pricing == .branchAndBound {
            throw ValidationError(
                "--method vertices needs the dual regions (their extreme rays); use --pricing enumerate")
        }
        try validateSparsest()
        if !sparsestFlags.sparsest { _ = try trainingOptions() }
    }

    func run() throws {
        try reportingFailures(body)
    }

    /// λ as given, 0 for the noise-free limit, the bundled example's default without DATA, else nil.
    private var resolvedLambda: Double? {
        interpolate ? 0 : lambda ?? (data == nil ? BundledExample.lambda : nil)
    }

    /// The vertex LP needs the regions; otherwise `auto` is decided by the trainer from the region estimate.
    private var pricing: PricingMode {
        method == .vertices && pricingOptions.pricing == .auto ? .enumerate : pricingOptions.pricing
    }

    /// The checked training options of this command line (progress and search callbacks are set in `body`).
    private func trainingOptions() throws(ValidationError) -> TrainingOptions {
        guard let lambda = resolvedLambda else {
            throw ValidationError("missing --lambda: the weight of the total variation (e.g. --lambda 0.01)")
        }
        var options = TrainingOptions(lambda: lambda)
        solver.apply(to: &options)
        options.method = method
        if interpolate { options.problem = .interpolation }
        options.columnsPerRound = columnsPerRound
        options.newtonPolish = !noNewton
        options.jointMove = jointMove
        options.pricing = pricing
        options.heuristicPricing = !noHeuristicPricing
        return try checked(options)
    }

    /// SIGINT/SIGTERM are deferred from here to the model file, so that a first one ends every phase (reading,
    /// the region enumeration, the warm start, the rounds, the sparsest interpolant's MIPs) with status interrupted,
    /// the best network and a valid bound written; a second one ends the process at once.
    private func body() throws {
        let path = try dataPath()
        try Interruption.deferring { () throws in
            if sparsestFlags.sparsest { return try runSparsest(path: path) }
            try train(path: path)
        }
    }

    /// The certified training of DATA, through the model file and the summary.
    private func train(path: String) throws {
        var options = try trainingOptions()
        // --time-limit counts from here: reading (not cut: bounded by --max-input-bytes), the region enumeration
        // (cut) and the column generation. One deadline for the run, with the signals (a signal during reading ends
        // the run after it, with the zero network).
        let started = Date()
        options.deadline = Deadline(seconds: solver.timeLimit, from: started, watchesSignals: true)
        options.timeLimit = nil
        let dataset = try loadDataset(
            path, target: target, features: features, weights: weights.column, maxBytes: inputLimit.maxInputBytes)
        options.sampleWeights = dataset.sampleWeights
        // The output before any work (as path and sweep): a bad path, or the data file itself, fails before the solve.
        if let output {
            _ = try cli { () throws(OutputFileError) in
                try OutputFile.check(output, notSameAs: [(path, "the data file")])
            }
        }
        let log = Log(quiet: quiet)
        let problem = interpolate ? "interpolation" : "\(options.loss) loss, λ = \(options.lambda)"
        log.line(
            "relulp: \(path): n = \(dataset.count), m = \(dataset.featureCount), bias = \(!noBias), \(problem), "
                + "backend = \(options.backend.libraryVersion)")
        let atoms = log.atoms(dataset, bias: !noBias, options: options)
        let trainer = try cli(file: path) { () throws(TrainingError) in
            try ExactTrainer(
                data: dataset, bias: !noBias, maxRegions: solver.maxRegions, pricing: pricing,
                maxSearchRegions: pricingOptions.maxSearchRegions, anytime: true, atoms: atoms,
                progress: log.enumeration,
                deadline: options.deadline)
        }
        log.anytime(trainer, maxSearchRegions: pricingOptions.maxSearchRegions, timeLimit: solver.timeLimit)
        if let reason = options.deadline.reason {
            log.line(
                reason == .interrupted
                    ? "relulp: interrupted before the first round (a signal during reading or the region enumeration)"
                    : "relulp: time limit reached before the first round (reading and region enumeration used the budget)"
            )
        }
        if let arrangement = trainer.arrangement {
            log.line(
                String(
                    format: "regions: %d dual regions, %d extreme rays (%.2f s)", arrangement.numberOfRegions,
                    arrangement.numberOfRays, Date().timeIntervalSince(started)))
        } else {
            let bound = Arrangement.generalPositionBound(points: dataset.count, dimension: trainer.points.dimension)
            log.line(
                "pricing: branch and bound over sign splits (regions not enumerated; general-position bound "
                    + "\(bound))")
            options.searchProgress = { log.line($0) }
        }
        log.line("round   columns        upper bound        lower bound    rel. gap   max|eta|    time")
        let searching = trainer.arrangement == nil || pricing == .branchAndBound
        options.progress = { log.line(Self.progressLine($0, searching: searching)) }
        let result = try cli { () throws(TrainingError) in try trainer.train(options) }
        var model = ModelFile(result: result, data: dataset, bias: !noBias, tolerance: solver.tolerance)
        model.weightColumn = weights.column
        if let output { try cli { () throws(ModelFileError) in try model.write(to: output) } }
        print(result.summary(modelFile: output))
        if result.status != .optimal && result.status != .upperBound {
            throw CLIFailure(
                message: "not certified optimal: status \(result.status), relative gap \(result.gap) "
                    + "> tolerance \(solver.tolerance)")
        }
    }

    /// One round of the solver log; with the search, its statistics (a cut search: its open nodes, max|eta| is
    /// then its bound on M) or a note that the heuristic priced; a subset bound's line names its points and status.
    static func progressLine(_ p: TrainingProgress, searching: Bool) -> String {
        let search =
            p.boundSource == .subset
            ? "   subset: \(p.subsetPoints) points, \(p.subsetStatus.map { "\($0)" } ?? "not solved"), bound: subset"
            : p.searchNodes > 0
                ? String(
                    format: "   search: %d nodes, %d regions, %d pruned, %d open, bound: %@",
                    p.searchNodes, p.searchLeaves, p.searchPruned, p.searchOpen, p.boundSource.rawValue)
                : searching ? "   heuristic: regions around the neurons (max|eta| found, no bound)" : ""
        return String(
            format: "%5d %9d %18.12g %18.12g %11.3e %10.6f %7.2fs", p.round, p.columns, p.upperBound,
            p.lowerBound, p.gap, p.maxAbsEta, p.seconds)
            + String(
                format: "   master %.3fs (%d it.), pricing %.3fs (newton %.3fs)", p.masterSeconds, p.masterIterations,
                p.pricingSeconds, p.newtonSeconds) + search
            + (p.slideObjective.map { String(format: "   slide: %.12g", $0) } ?? "")
            + (p.warmStartStep.map { String(format: "   warm start: λ = %.3g", $0) } ?? "")
    }

    /// The data file: DATA, or the bundled example.
    private func dataPath() throws -> String {
        if let data { return data }
        guard let example = BundledExample.locate() else {
            throw CLIFailure(
                message: "no DATA given and the bundled example \(BundledExample.relativePath) "
                    + "was not found; pass a CSV file")
        }
        return example
    }
}
