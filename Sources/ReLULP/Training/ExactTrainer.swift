import Foundation

/// Trains an infinite-width shallow ReLU network exactly: (P) with the L1, squared or hinge loss, solved by column generation over
/// the dual regions of the data (docs/mathematics.md §4). Build once per data set (this enumerates the regions),
/// then `train` for any λ.
public struct ExactTrainer: Sendable {
    public let points: LiftedData
    public let labels: [Double]
    /// How rounds are priced unless `TrainingOptions.pricing` asks for the branch and bound: over the enumerated dual
    /// regions (`EnumeratedPricer`) or by the search (`CertificateSearch`, when `PricingMode` left them out).
    public let pricer: any Pricer
    /// Anytime mode (docs/mathematics.md §11): the search prices data above the search limit, where it is not
    /// expected to finish; runs get a budget (`PricingMode.defaultAnytimeBudget` unless given) and each round's
    /// search a slice of it.
    public let anytime: Bool

    /// The enumerated dual regions; nil when pricing is left to the branch and bound (`PricingMode`).
    public var arrangement: Arrangement? { pricer.arrangement }

    /// Lifts the data (bias by default) and enumerates its dual regions unless `pricing` leaves them to the
    /// branch and bound; enumeration refuses above `maxRegions` regions, the search above `maxSearchRegions`
    /// (general-position bounds, before any work), and `progress` hears about a long enumeration once a second
    /// (`Arrangement.enumerate`). `anytime`: `.auto` above `maxSearchRegions` runs anytime mode instead of refusing.
    /// `deadline` (the run's, `TrainingOptions.deadline`) ends the enumeration too; the pricing is then the search's.
    /// `atoms`: the regime of the runs it serves (`AtomRegime(points:labels:options:)` of the smallest λ), which
    /// moves `.auto`'s enumeration limit.
    public init(
        data: Dataset, bias: Bool = true, maxRegions: Int = Arrangement.defaultMaxRegions,
        pricing: PricingMode = .enumerate, maxSearchRegions: Int = PricingMode.defaultSearchLimit,
        anytime: Bool = false, atoms: AtomRegime = .few, progress: ((EnumerationProgress) -> Void)? = nil,
        deadline: Deadline = .none
    ) throws(TrainingError) {
        let points = data.lifted(bias: bias)
        do {
            let pricer = try pricing.pricer(
                for: points, maxRegions: maxRegions, maxSearchRegions: maxSearchRegions, anytime: anytime,
                atoms: atoms, progress: progress, deadline: deadline)
            let beyond =
                anytime
                && pricing.searchesAnytime(
                    points: points.count, dimension: points.dimension, maxRegions: maxRegions,
                    maxSearchRegions: maxSearchRegions, atoms: atoms)
            self.init(points: points, labels: data.labels, pricer: pricer, anytime: beyond)
        } catch {
            throw .arrangement(error)
        }
    }

    /// Trains on lifted points with a pricer already built (a sweep shares one across its label sets).
    public init(points: LiftedData, labels: [Double], pricer: any Pricer, anytime: Bool = false) {
        self.points = points
        self.labels = labels
        self.pricer = pricer
        self.anytime = anytime
    }

    /// Solves `options.problem`, (P) for its λ or the minimal-total-variation interpolation of the labels, to the
    /// relative gap `options.tolerance`.
    public func train(_ options: TrainingOptions) throws(TrainingError) -> TrainingResult {
        try options.validate()
        try checkPricing(options)
        var master = try MasterProblem(trainer: self, options: budgeted(options))
        return try master.solveWarmStarted(objective: options.problem)
    }

    /// A regularisation path: (P) for every λ in `lambdas` (solved in decreasing order, returned in the given
    /// order), each to a certified gap. One master LP serves all of them: the neurons found for one λ stay,
    /// only the residual costs change, and every solve starts from the previous basis.
    public func path(lambdas: [Double], options: TrainingOptions) throws(TrainingError) -> [TrainingResult] {
        guard !lambdas.isEmpty else { throw .invalidOption("the list of λ values is empty") }
        try checkPricing(options)
        for lambda in lambdas {
            var single = options
            single.lambda = lambda
            try single.validate()
        }
        // The master's form is chosen for the smallest λ, where the atoms are most.
        var smallest = options
        smallest.lambda = lambdas.min() ?? options.lambda
        var master = try MasterProblem(trainer: self, options: budgeted(smallest))
        var results: [Int: TrainingResult] = [:]
        for index in lambdas.indices.sorted(by: { lambdas[$0] > lambdas[$1] }) {
            // Neurons out of the last solution and off the last certificate's extremes (η < 0.99) are dropped:
            // the master LP stays small along the path (its re-solves dominate the time), and pricing is exact,
            // so a dropped neuron that is needed again comes back (benchmarks/RESULTS.md, "Regularisation path").
            try master.prune(belowEta: 0.99)
            let result = try master.solve(objective: .regularized(lambda: lambdas[index]))
            results[index] = result
            // A signal or the run's deadline ends the path with the λ solved so far.
            if result.termination == .interrupted || options.deadline.reason != nil { break }
        }
        return lambdas.indices.compactMap { results[$0] }
    }
}

extension ExactTrainer {
    /// In anytime mode: the default budget when neither a time limit nor a deadline is given,
    /// `TrainingOptions.anytime` (each round's search cut by a node count: deterministic until the deadline), and
    /// a search slice of a tenth of the budget (at least 1 s), so that a first round whose nodes are slow (many
    /// points in many dimensions, a loaded machine) leaves time for a network: the run must answer with one.
    func budgeted(_ options: TrainingOptions) -> TrainingOptions {
        guard anytime else { return options }
        var options = options
        if options.timeLimit == nil && options.deadline.end == nil {
            options.timeLimit = PricingMode.defaultAnytimeBudget
        }
        let budget = [options.timeLimit, options.deadline.end.map { $0.timeIntervalSinceNow }].compactMap { $0 }.min()
        if options.searchSlice == nil, let budget { options.searchSlice = max(1, budget / 10) }
        options.anytime = true
        return options
    }

    /// The pricer of a run: the branch and bound when `options.pricing` asks for it, else the trainer's own
    /// (`.auto`: the enumeration when the trainer has the regions; `.enumerate` passed `checkPricing`).
    func pricer(for options: TrainingOptions) -> any Pricer {
        guard options.pricing == .branchAndBound, pricer.mode != .branchAndBound else { return pricer }
        return CertificateSearch(points: points)
    }

    /// Enumerated pricing and the vertex LP need the regions (unless the run's deadline, which ended the
    /// enumeration, has passed: the run then ends at once with status time-limit).
    func checkPricing(_ options: TrainingOptions) throws(TrainingError) {
        guard arrangement == nil, !options.deadline.expired else { return }
        if options.pricing == .enumerate {
            throw .invalidOption(
                "pricing by enumeration needs the dual regions; build the trainer with "
                    + "pricing: .enumerate")
        }
        if options.method == .vertices { throw Self.verticesNeedRegions }
    }

    /// `--method vertices` without enumerated regions.
    static let verticesNeedRegions = TrainingError.invalidOption(
        "--method vertices needs the dual regions (their extreme rays); use --pricing enumerate")
}
