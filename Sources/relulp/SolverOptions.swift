import ArgumentParser
import ReLULP

/// The solver settings that `solve`, `path` and `sweep` share: declared, documented and checked once.
/// In `path` and `sweep` every λ is its own solve, so the round and time limits hold per λ.
struct SolverOptions: ParsableArguments {
    @Option(name: .customLong("backend"), help: "LP backend: clp or glpk.")
    var backendName: String = "clp"

    @Option(help: "Certify optimal when (U − L) ≤ tolerance · max(1, |U|) (docs/mathematics.md §4: relative above 1, absolute below), in (0, 1).")
    var tolerance: Double = 1e-9

    @Option(name: .customLong("loss"), help: "Data term: l1, squared (needs --backend clp) or hinge (two-class labels; not in sweep, whose noise-free limit is for real-valued labels).")
    var lossName: String = "l1"

    @Option(name: .customLong("master"), help: "The form of the master LP: primal (a row per data point, a column per neuron), dual (a column per data point, a row per neuron: a basis of the neurons' size, fast when many points need few neurons) or auto (dual from \(MasterForm.dualFromPoints) points, except for the squared loss, whose quadratic master is primal). Same optimum and certificate.")
    var masterName: String = "auto"

    @Option(name: .customLong("max-regions"), help: "Refuse to enumerate the dual regions when their estimate exceeds this (with --pricing auto, larger data is priced by the search instead; sweep always enumerates).")
    var maxRegions: Int = Arrangement.defaultMaxRegions

    @Option(name: .customLong("max-rounds"), help: "Round limit of the column generation (in path and sweep: of each λ's solve).")
    var maxRounds: Int = 1000

    @Option(name: .customLong("max-master-entries"), help: "Most matrix entries the master LP's neurons may hold, a measure of its memory (about 35 bytes an entry at the peak; the solve summary prints the count): a round that would pass it ends the run with status size-limit and the bounds reached (exit non-zero).")
    var maxMasterEntries: Int = TrainingOptions.defaultMaxMasterEntries

    @Option(name: .customLong("time-limit"), help: "Wall-clock limit in seconds. solve: of the whole run, region enumeration included; at the limit the network and bounds reached are written with status time-limit (exit non-zero). path and sweep: of each λ's solve.")
    var timeLimit: Double?

    /// Sets backend, tolerance, loss, master form and limits on `options` and checks all of its settings
    /// (`TrainingOptions.validate`), so a bad value fails before any data is read.
    func apply(to options: inout TrainingOptions) throws {
        options.backend = try cli { () throws(LPError) in try LPBackend(named: backendName) }
        options.tolerance = tolerance
        options.loss = try parseLoss(lossName)
        guard let master = MasterForm(rawValue: masterName) else {
            throw CLIFailure(message: "unknown master form '\(masterName)'; choose primal, dual or auto")
        }
        options.master = master
        options.maxRounds = maxRounds
        options.maxMasterEntries = maxMasterEntries
        options.timeLimit = timeLimit
        try cli { () throws(TrainingError) in try options.validate() }
    }

    /// The checked training options at `lambda`, with everything else at its default.
    func trainingOptions(lambda: Double) throws -> TrainingOptions {
        var options = TrainingOptions(lambda: lambda)
        try apply(to: &options)
        return options
    }
}

/// How max |η| over the sphere is found (each round of `solve` and `path`; once in `certify`).
struct PricingOptions: ParsableArguments {
    @Option(name: .customLong("pricing"), help: "How max |η| is found: enumerate (scan every dual region, stored), branch-and-bound (search over sign splits, regions never stored) or auto (enumerate when the general-position estimate is at most \(PricingMode.enumerationLimit) regions).")
    var pricingName: String = "auto"

    @Option(name: .customLong("max-search-regions"), help: "Refuse the branch-and-bound pricing when the dual-region estimate exceeds this (its time grows with dimension and regions).")
    var maxSearchRegions: Int = PricingMode.defaultSearchLimit

    /// The `--pricing` value, or an error listing the choices.
    func mode() throws -> PricingMode {
        guard let pricing = PricingMode(rawValue: pricingName) else {
            throw CLIFailure(message: "unknown pricing '\(pricingName)'; choose enumerate, branch-and-bound or auto")
        }
        return pricing
    }
}

/// The `--loss` value as a `Loss`, or an error listing the choices.
func parseLoss(_ name: String) throws -> Loss {
    guard let loss = Loss(rawValue: name.lowercased()) else {
        throw CLIFailure(message: "unknown loss '\(name)'; choose one of: \(Loss.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return loss
}
