import Foundation

/// The sliding step of anytime rounds (docs/mathematics.md §11, "The sliding step"): as sliding Frank–Wolfe follows
/// a conditional-gradient step by a descent that moves all atoms together, the master's network, widened by random
/// directions, takes a bounded run of `NetworkDescent`'s Adam, and the moved atoms become columns of the next master,
/// whose convex re-solve over old and new columns can only end at or below the moved network's objective.
extension MasterProblem {
    /// The atoms a slide moves: the master's network, then random directions at a small amplitude, up to this many
    /// (Adam-100's width, the net that reached diabetes6-sq's best objective).
    static let slideWidth = 100
    /// The Adam steps of the first slide, doubled for each next one (restarts with doubling periods), and its
    /// first step as a share of the parameters' scale, falling as a cosine. From a 60 s network of diabetes6-sq
    /// (0.279242, 36 atoms; numpy, benchmarks/RESULTS.md "The sliding step") Adam at a constant small step stays in
    /// its basin (0.279235 with 64 more atoms); widened and hot, as Adam-100 starts, it leaves it: 0.279199 after
    /// 5000 steps, 0.2791845 after 20,000 (Adam-100's 60 s value).
    static let slideSteps = 2000
    static let slideRate = 0.05
    /// An added direction's amplitude in a slide, as a share of the network's mean atom mass: small enough to change
    /// the start's objective little, and Adam's steps (a share of the parameters' scale) move it at once.
    static let slideSeedShare = 1e-2

    /// Whether a slide follows round `round` (1, 2, …) of a run: rounds 1, 2, 3, 5, 9, 17, … (one less is 0 or a power
    /// of two), so that slides, each twice as long as the last, take a bounded share of the rounds. The schedule is
    /// the one the share of the elapsed time (at most half) gave on diabetes6-sq at 60 s, and unlike the clock it does
    /// not change with the machine's load: a run that ends before its subsets start is the same at any load (two
    /// fits of scikit-learn's check_regressor_data_not_an_array differed by up to 3.7 when slides were timed).
    static func slides(after round: Int) -> Bool {
        round >= 1 && (round - 1) & (round - 2) == 0
    }

    /// A slide from this round's master network (anytime mode, (P), on the rounds of `slides(after:)`, before the
    /// subsets start): the moved atoms (to add as columns) and their objective, scored as every network is; a lower
    /// objective becomes the incumbent. Nil when it does not run or no step lowers the objective. Reads the rounds'
    /// deadline between steps.
    func slide(_ round: MasterRound, _ state: inout ColumnGenerationState) -> (atoms: [DiracAtom], objective: Double)? {
        guard options.anytime, options.method == .columnGeneration, case .regularized(let lambda) = state.problem,
            round.fits, !round.network.isEmpty, !state.deadline.expired,
            Self.slides(after: rounds - state.firstRound),
            // Once the subsets start, rounds without slides may stall and leave them both cores (teacher6's bound was
            // 9–14 % lower with slides to the end).
            state.subsets.map({ Date() < $0.start }) ?? true
        else { return nil }
        defer { state.slides += 1 }
        let network = mergedNetwork(round)
        guard !network.isEmpty else { return nil }
        let mass = network.reduce(0) { $0 + abs($1.amplitude) }
        let seed = Self.slideSeedShare * mass / Double(network.count)
        // Random directions and signs, as Adam-100 starts (deterministic in the round). The master's idle columns
        // (its recently priced neurons, near its atoms) were tried first and ended diabetes6-sq at 0.279233.
        var rng = SplitMix64(seed: UInt64(rounds))
        let extras = (network.count..<max(network.count, Self.slideWidth)).map { _ in
            DiracAtom(amplitude: rng.next() % 2 == 0 ? seed : -seed, weights: rng.unitVector(trainer.points.dimension))
        }
        let descent = NetworkDescent(
            points: trainer.points, targets: targets, loss: options.loss, weights: weights,
            intercept: options.intercept, lambda: lambda)
        let deadline = state.deadline
        guard
            let moved = descent.descend(
                network + extras, steps: Self.slideSteps << min(state.slides, 4), rate: Self.slideRate, decay: true,
                stop: { deadline.expired })
        else { return nil }
        let upper = score(moved.atoms, state.problem)
        if upper < state.incumbent.upper { state.incumbent = (upper, moved.atoms) }
        return (moved.atoms, upper)
    }
}
