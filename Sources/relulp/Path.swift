import ArgumentParser
import Foundation
import ReLULP

/// `relulp path`: a warm-started regularisation path, one model file per λ.
struct PathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "Solve (P) for a list of λ values warm and write one certified model file per λ.",
        discussion: """
            The dual regions are enumerated once and one master LP serves every λ (solved from the largest down): \
            the neurons found for one λ stay, only the costs change (ExactTrainer.path). Writes \
            OUTPUT/model-1.json … model-K.json, numbered in the order of --lambdas (a value given twice is refused, \
            so file K is always the K-th λ), and prints one line per λ (λ, status, objective, lower bound, relative \
            gap, Diracs, model file). Files model-J.json with J > K in OUTPUT, left by an earlier run with more λ, \
            are removed once the new files are written (stderr says so); other files in OUTPUT are left alone. \
            Every model is written; the command exits non-zero when any λ is not certified optimal.
            """)

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "λ values: a:b:k (k values log-spaced from a to b) and/or numbers, comma-separated (≤ 10,000).")
    var lambdas: String

    @OptionGroup var solver: SolverOptions

    @OptionGroup var weights: WeightsOption

    @OptionGroup var pricingOptions: PricingOptions

    @Option(name: .shortAndLong, help: "Output folder for the model files (created if missing).")
    var output: String

    @Flag(name: .shortAndLong, help: "No progress log on stderr.")
    var quiet = false

    func run() throws {
        // SIGINT/SIGTERM end the path with status interrupted in every phase (reading, the region enumeration, the
        // solves); the λ solved before are written, the one under way with its best network.
        try reportingFailures { try Interruption.deferring(body) }
    }

    private func body() throws {
        let lambdaList = try cli { () throws(StudyError) in try LambdaGrid.parse(lambdas, refusingDuplicates: true) }
        var options = try solver.trainingOptions(lambda: lambdaList[0])
        let pricing = pricingOptions.pricing
        options.pricing = pricing
        let data = try loadDataset(
            dataOptions.data, target: dataOptions.target, features: dataOptions.features, weights: weights.column,
            maxBytes: dataOptions.inputLimit.maxInputBytes)
        options.sampleWeights = data.sampleWeights
        // The output folder before any work: a bad path fails at once, not after the solves.
        try cli { () throws(OutputFileError) in
            try OutputFile.makeFolder(output)
            for index in lambdaList.indices {
                try OutputFile.check(modelFile(index), notSameAs: [(dataOptions.data, "the data file")])
            }
        }
        let log = Log(quiet: quiet)
        let started = Date()
        options.deadline = Deadline(end: nil, watchesSignals: true)
        // The regime of the smallest λ, where the atoms are most (as `ExactTrainer.path` chooses the master's form).
        var smallest = options
        smallest.lambda = lambdaList.min() ?? options.lambda
        let atoms = log.atoms(data, bias: dataOptions.bias, options: smallest)
        let trainer = try cli(file: dataOptions.data) { () throws(TrainingError) in
            try ExactTrainer(
                data: data, bias: dataOptions.bias, maxRegions: solver.maxRegions, pricing: pricing,
                maxSearchRegions: pricingOptions.maxSearchRegions, anytime: true, atoms: atoms,
                progress: log.enumeration,
                deadline: options.deadline)
        }
        log.anytime(trainer, maxSearchRegions: pricingOptions.maxSearchRegions, timeLimit: solver.timeLimit)
        log.line(
            String(
                format: "regions: %d dual regions (%.2f s); %d values of λ",
                trainer.arrangement?.numberOfRegions ?? 0,
                Date().timeIntervalSince(started), lambdaList.count))
        // The rounds' log as `relulp solve` writes it; the round count runs on across the λ values.
        log.line("round   columns        upper bound        lower bound    rel. gap   max|eta|    time")
        let searching = trainer.arrangement == nil || pricing == .branchAndBound
        options.progress = { log.line(Solve.progressLine($0, searching: searching)) }
        let results = try cli { () throws(TrainingError) in
            try trainer.path(lambdas: lambdaList, options: options)
        }
        print(TrainingResult.pathHeader)
        for result in results {
            // An interrupted path returns the λ solved so far: each goes to its own λ's file.
            let file = modelFile(lambdaList.firstIndex(of: result.lambda) ?? 0)
            var model = ModelFile(result: result, data: data, bias: dataOptions.bias, tolerance: solver.tolerance)
            model.weightColumn = weights.column
            try cli { () throws(ModelFileError) in try model.write(to: file) }
            print(result.pathRow(modelFile: file))
        }
        try removeStaleModels(count: lambdaList.count, log: log)
        log.line(String(format: "path: %.2f s", Date().timeIntervalSince(started)))
        if results.count < lambdaList.count, let last = results.last {
            throw CLIFailure(
                message: "interrupted after λ = \(last.lambda) (status \(last.status)): \(results.count) of "
                    + "\(lambdaList.count) values solved")
        }
        if let failed = results.first(where: { $0.status != .optimal }) {
            throw CLIFailure(
                message: "not certified optimal at λ = \(failed.lambda): status \(failed.status), "
                    + "relative gap \(failed.gap) > tolerance \(solver.tolerance)")
        }
    }

    /// The model file of the λ at `index` (0-based) of the list.
    private func modelFile(_ index: Int) -> String {
        (output as NSString).appendingPathComponent("model-\(index + 1).json")
    }

    /// Removes `model-J.json` for J > `count` from the output folder: the files of an earlier run with more λ,
    /// which would otherwise sit beside this run's as if they belonged to it. Only names of that exact form
    /// (J a number without leading zeros) are touched.
    private func removeStaleModels(count: Int, log: Log) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        var removed: [String] = []
        for name in names.sorted() where name.hasPrefix("model-") && name.hasSuffix(".json") {
            let number = name.dropFirst("model-".count).dropLast(".json".count)
            guard let index = Int(number), index > count, String(index) == number else { continue }
            let file = (output as NSString).appendingPathComponent(name)
            guard unlink(file) == 0 else {
                throw CLIFailure(
                    message: "\(file): cannot remove this file of an earlier run: \(String(cString: strerror(errno)))")
            }
            removed.append(name)
        }
        if !removed.isEmpty {
            log.line(
                "path: removed \(removed.count) model file\(removed.count == 1 ? "" : "s") of an earlier run with more λ "
                    + "from \(output): \(removed.joined(separator: ", "))")
        }
    }
}
