import ArgumentParser
import ReLULP

/// The solver settings that `solve`, `path` and `sweep` share: declared, documented and checked once.
/// In `path` and `sweep` every λ is its own solve, so the round and time limits hold per λ.
struct SolverOptions: ParsableArguments {
    @Option(help: "LP backend.")
    var backend: LPBackend = .clp

    @Option(
        help: """
            Certify optimal when (U − L) ≤ max(tolerance · |U|, 1e-10 · U₀), U₀ the zero network's objective \
            (docs/mathematics.md §4a: scale-free), in (0, 1).
            """)
    var tolerance: Double = 1e-9

    @Option(help: "Data term of (P).")
    var loss: Loss = .l1

    @Flag(
        help: """
            Fit an unpenalised output constant b: f(x) = b + Σ a_i σ(⟨w_i, x̃⟩) (docs/mathematics.md §12); a large λ \
            then predicts the labels' median (l1) or mean (squared) instead of 0.
            """)
    var intercept = false

    @Option(help: "The form of the master LP; every form has the same optimum and certificate.")
    var master: MasterForm = .auto

    @Option(
        name: .customLong("max-regions"),
        help: """
            Refuse to enumerate the dual regions when their estimate exceeds this (with --pricing auto, larger data \
            is priced by the search instead; sweep always enumerates).
            """)
    var maxRegions: Int = Arrangement.defaultMaxRegions

    @Option(
        name: .customLong("max-rounds"),
        help: "Round limit of the column generation (in path and sweep: of each λ's solve).")
    var maxRounds: Int = 1000

    @Option(
        name: .customLong("max-master-entries"),
        help: """
            Most matrix entries the master LP's neurons may hold, a measure of its memory (about 35 bytes an entry at \
            the peak; the solve summary prints the count): a round that would pass it ends the run with status \
            size-limit and the bounds reached (exit non-zero).
            """)
    var maxMasterEntries: Int = TrainingOptions.defaultMaxMasterEntries

    @Option(
        name: .customLong("time-limit"),
        help: """
            Wall-clock limit in seconds. solve: of the whole run, region enumeration included; at the limit the \
            network and bounds reached are written with status time-limit (exit non-zero). path and sweep: of each \
            λ's solve.
            """)
    var timeLimit: Double?

    @Flag(
        name: .customLong("warm-start"),
        help: """
            solve: at small λ, solve (P) after a short internal path from a larger λ on the same master \
            (docs/mathematics.md §4a; faster on noisy data, it can stall on noise-free data).
            """)
    var warmStart = false

    @Flag(
        name: .customLong("central-duals"),
        help: """
            Solve the master by the barrier while the gap is large and price its central dual (docs/mathematics.md \
            §4a; (P) with the l1 or hinge loss and the primal master). An experiment: it took as many rounds as the \
            simplex master and was slower on every instance measured.
            """)
    var centralDuals = false

    @Flag(
        name: .customLong("peaks-first"),
        help: """
            Take each round's new neurons at the certificate's peaks first (docs/mathematics.md §4a; faster at small \
            λ on noisy data, it can stall on noise-free data).
            """)
    var peaksFirst = false

    /// Refuses bad values and combinations (a squared loss on GLPK, a round limit of 0, …) before any data is
    /// read, by the library's own rules; the λ here stands in for the command's own.
    func validate() throws {
        try requirePositive(maxRegions, option: "--max-regions")
        _ = try trainingOptions(lambda: 1)
    }

    /// Sets backend, tolerance, loss, master form and limits on `options`.
    func apply(to options: inout TrainingOptions) {
        options.backend = backend
        options.tolerance = tolerance
        options.loss = loss
        options.intercept = intercept
        options.master = master
        options.maxRounds = maxRounds
        options.maxMasterEntries = maxMasterEntries
        options.timeLimit = timeLimit
        options.warmStart = warmStart
        options.peaksFirst = peaksFirst
        options.centralDuals = centralDuals
    }

    /// The checked training options at `lambda`, with everything else at its default.
    func trainingOptions(lambda: Double) throws(ValidationError) -> TrainingOptions {
        var options = TrainingOptions(lambda: lambda)
        apply(to: &options)
        return try checked(options)
    }
}

/// `options` if they pass the library's checks (`TrainingOptions.validate`), else its message as a usage error.
func checked(_ options: TrainingOptions) throws(ValidationError) -> TrainingOptions {
    do { try options.validate() } catch { throw ValidationError("\(error)") }
    return options
}
