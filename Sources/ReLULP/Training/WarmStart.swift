import Foundation

/// The internal warm start of (P) at small λ (docs/mathematics.md §4a, "The internal warm start"): a short
/// geometric path from where the zero network stops being optimal down to λ, each step solved to a loose gap on the
/// same master, so that the target's column generation starts from the previous step's atoms, columns and basis.
extension MasterProblem {
    /// The most steps of the internal path (at tiny λ the steps grow beyond a decade instead).
    static let warmStartSteps = 4

    /// The relative gap each step of the internal path stops at: its columns and basis are all the target needs.
    static let warmStartTolerance = 1e-3

    /// Solves `problem` after the internal path toward it (`warmStartLambdas`). The result's time and rounds
    /// include the path's; its bounds are the target's alone (each solve starts its bounds afresh), so what
    /// certifies is unchanged. The run's round and time limits cover the steps; a step that ends other than at its
    /// gap (a limit, a stall, a signal) ends the path there.
    mutating func solveWarmStarted(objective problem: Objective) throws(TrainingError) -> TrainingResult {
        let start = Date()
        let firstRound = rounds
        let saved = options
        defer { options = saved }
        options.tolerance = max(saved.tolerance, Self.warmStartTolerance)
        // The steps' loose solves end at their gap; the subset bounds are the target's.
        options.subsetBounds = false
        var steps: [Double] = []
        for lambda in warmStartLambdas(toward: problem) {
            // The run's round limit covers the steps and leaves the target at least one round.
            options.maxRounds = saved.maxRounds - (rounds - firstRound) - 1
            guard options.maxRounds >= 1 else { break }
            options.timeLimit = saved.timeLimit.map { max($0 - Date().timeIntervalSince(start), 1e-3) }
            // The steps' rounds are logged as such: their bounds are the step's, not the target's.
            options.progress = saved.progress.map { report in
                { @Sendable line in
                    var line = line
                    line.warmStartStep = lambda
                    report(line)
                }
            }
            let step = try solve(objective: .regularized(lambda: lambda))
            steps.append(lambda)
            // As along `relulp path`: neurons out of the solution and off the certificate's extremes leave.
            try prune(belowEta: 0.99)
            guard step.termination == .gapClosed else { break }
        }
        options = saved
        options.maxRounds = saved.maxRounds - (rounds - firstRound)
        options.timeLimit = saved.timeLimit.map { max($0 - Date().timeIntervalSince(start), 1e-3) }
        var result = try solve(objective: problem)
        result.warmStart = steps
        result.rounds = rounds - firstRound
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// The λ of the internal path toward (P) at λ, largest first: `k` steps spaced evenly on a log scale between
    /// `λ_max` and λ (exclusive), one per decade but at most `warmStartSteps`. `λ_max = λ · max |η₀|` is the
    /// smallest λ at which the zero network is optimal (η₀ the certificate of the zero network's dual, one
    /// pricing). Empty for the interpolation, the vertex LP, `TrainingOptions.warmStart` off, or λ above
    /// `λ_max / 100` (few atoms: the cold solve is quick).
    func warmStartLambdas(toward problem: Objective) -> [Double] {
        guard options.warmStart, options.method == .columnGeneration, case .regularized(let lambda) = problem
        else { return [] }
        let scaled = normalized(problem)
        let c = Self.residualCost(n: trainer.points.count, lambda: scaled.lambda)
        // The zero network's dual of the scaled problem: the loss's gradient at f = 0 (residual r = y) times c.
        let gradient = targets.map { t in options.loss == .l1 ? (t > 0 ? 1 : t < 0 ? -1 : 0) : t }
        let zero = PricingPoint(dual: gradient.map { c * $0 }, network: nil, upper: .infinity, targets: targets)
        let eta = price(zero, objective: scaled, keep: 0).maxValue
        guard eta.isFinite, eta >= 100 else { return [] }
        let count = min(Self.warmStartSteps, Int(log10(eta)) - 1)
        guard count >= 1 else { return [] }
        let ratio = pow(eta, 1 / Double(count + 1))
        return (1...count).map { lambda * eta / pow(ratio, Double($0)) }
    }
}
