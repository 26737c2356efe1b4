import Foundation

/// Trains an infinite-width shallow ReLU network exactly: (P) with the L1, squared or hinge loss, solved by column generation over
/// the dual regions of the data (docs/mathematics.md §4). Build once per data set (this enumerates the regions),
/// then `train` for any λ.
public struct ExactTrainer: Sendable {
    public let points: LiftedData
    public let labels: [Double]
    /// The enumerated dual regions; nil when pricing is left to the branch and bound (`PricingMode`).
    public let arrangement: Arrangement?
    /// The branch-and-bound pricing over the same points.
    public let search: CertificateSearch

    /// Lifts the data (bias by default) and enumerates its dual regions unless `pricing` leaves them to the
    /// branch and bound; enumeration refuses above `maxRegions` regions, the search above `maxSearchRegions`
    /// (general-position bounds, before any work), and `progress` hears about a long enumeration once a second
    /// (`Arrangement.enumerate`).
    public init(data: Dataset, bias: Bool = true, maxRegions: Int = Arrangement.defaultMaxRegions,
                pricing: PricingMode = .enumerate, maxSearchRegions: Int = PricingMode.defaultSearchLimit,
                progress: ((EnumerationProgress) -> Void)? = nil) throws(TrainingError) {
        let points = data.lifted(bias: bias)
        guard pricing.enumerates(points: points.count, dimension: points.dimension, maxRegions: maxRegions) else {
            let estimate = Arrangement.generalPositionBound(points: points.count, dimension: points.dimension)
            guard estimate <= maxSearchRegions else {
                throw .arrangement(.tooManyRegionsToSearch(estimate: estimate, limit: maxSearchRegions))
            }
            self.init(points: points, labels: data.labels, arrangement: nil)
            return
        }
        do {
            let arrangement = try Arrangement.enumerate(points, maxRegions: maxRegions, progress: progress)
            self.init(points: points, labels: data.labels, arrangement: arrangement)
        } catch {
            throw .arrangement(error)
        }
    }

    public init(points: LiftedData, labels: [Double], arrangement: Arrangement?) {
        self.points = points
        self.labels = labels
        self.arrangement = arrangement
        search = CertificateSearch(points: points)
    }

    /// Solves `options.problem`, (P) for its λ or the minimal-total-variation interpolation of the labels, to the
    /// relative gap `options.tolerance`.
    public func train(_ options: TrainingOptions) throws(TrainingError) -> TrainingResult {
        try options.validate()
        try checkPricing(options)
        var master = try MasterProblem(trainer: self, options: options)
        return try master.solve(objective: options.problem)
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
        var master = try MasterProblem(trainer: self, options: options)
        var results = [TrainingResult?](repeating: nil, count: lambdas.count)
        for index in lambdas.indices.sorted(by: { lambdas[$0] > lambdas[$1] }) {
            // Neurons out of the last solution and off the last certificate's extremes (η < 0.99) are dropped:
            // the master LP stays small along the path (its re-solves dominate the time), and pricing is exact,
            // so a dropped neuron that is needed again comes back (benchmarks/RESULTS.md, "Regularisation path").
            try master.prune(belowEta: 0.99)
            results[index] = try master.solve(objective: .regularized(lambda: lambdas[index]))
        }
        return results.map { $0! }
    }
}

extension ExactTrainer {
    /// Whether the rounds are priced by the branch and bound: asked for, or `.auto` without enumerated regions.
    func searches(_ options: TrainingOptions) -> Bool {
        options.pricing == .branchAndBound || (options.pricing == .auto && arrangement == nil)
    }

    /// Enumerated pricing and the vertex LP need the regions.
    func checkPricing(_ options: TrainingOptions) throws(TrainingError) {
        guard arrangement == nil else { return }
        if options.pricing == .enumerate {
            throw .invalidOption("pricing by enumeration needs the dual regions; build the trainer with pricing: .enumerate")
        }
        if options.method == .vertices {
            throw .invalidOption("--method vertices needs the dual regions (their extreme rays); use --pricing enumerate")
        }
    }
}
