import Foundation
import ReLULP
import TestSupport
import Testing

/// The sliding step of anytime rounds (docs/mathematics.md §11, "The sliding step") through the rounds' log: the
/// moved atoms are columns of the next master, and the run's bounds stay valid.
@Suite struct SlideTests {
    /// Three losses, with and without an intercept, 40 points in 3 dimensions, an anytime run whose searches are cut
    /// (so it cannot certify at once): a slide happens, the next round's master network is never above the slid
    /// network's objective (the master re-optimises amplitudes and intercept over old and new columns), every
    /// round's objective is at least the certified optimum and every lower bound at most it.
    @Test(arguments: [Loss.l1, .squared, .hinge], [false, true])
    func theNextMasterIsAtMostTheSlidNetwork(loss: Loss, intercept: Bool) throws {
        let (given, optimum, trainer) = try SubsetBoundTests.anytimeInstance(loss, intercept: intercept)
        var options = given
        let rounds = Rounds()
        (options.heuristicPricing, options.searchSlice, options.maxRounds) = (false, 1e-5, 12)
        options.subsetBounds = false
        options.progress = { rounds.append($0) }
        let result = try trainer.train(options)
        let lines = rounds.all.filter { $0.masterObjective.isFinite }
        let label = "\(loss) intercept \(intercept)"
        #expect(lines.contains { $0.slideObjective != nil }, "\(label): no slide in \(lines.count) rounds")
        for (line, next) in zip(lines, lines.dropFirst()) where next.round == line.round + 1 {
            guard let slid = line.slideObjective else { continue }
            #expect(
                next.masterObjective <= slid + 1e-7 * max(slid, 1e-3),
                "\(label): round \(next.round)'s master \(next.masterObjective) above the slid \(slid)")
        }
        let floor = optimum.objective * (1 - 1e-9)
        for line in lines {
            #expect(line.slideObjective.map { $0 >= floor } ?? true, "\(label): slid below the optimum")
            #expect(line.masterObjective >= floor && line.upperBound >= floor, "\(label): round \(line.round)")
            #expect(line.lowerBound <= optimum.objective * (1 + 1e-9), "\(label): bound \(line.lowerBound)")
        }
        #expect(result.lowerBound <= optimum.objective * (1 + 1e-9) && result.objective >= floor, "\(label)")
    }

    /// Slides follow the rounds, not the clock: the same anytime run (searches cut by their node count only) with a
    /// progress callback that stalls each round by 50 ms slides after the same rounds, and ends at the same network,
    /// as the run without the stall. (Under the earlier rule, slides while they took at most half of the elapsed
    /// time, the stalled run slid more often: fits differed with the machine's load.)
    @Test func slidesFollowTheRoundsNotTheClock() throws {
        let (given, _, trainer) = try SubsetBoundTests.anytimeInstance(.l1)
        var options = given
        (options.heuristicPricing, options.maxRounds, options.subsetBounds) = (false, 12, false)
        func run(stall: Double) throws -> (slid: [Int], result: TrainingResult) {
            let rounds = Rounds()
            options.progress = {
                rounds.append($0)
                Thread.sleep(forTimeInterval: stall)
            }
            let result = try trainer.train(options)
            return (rounds.all.filter { $0.slideObjective != nil }.map(\.round), result)
        }
        let (quick, stalled) = (try run(stall: 0), try run(stall: 0.05))
        #expect(quick.slid.count >= 3, "slides after rounds \(quick.slid)")
        #expect(quick.slid.allSatisfy { [1, 2, 3, 5, 9].contains($0) }, "slides after rounds \(quick.slid)")
        #expect(quick.slid == stalled.slid)
        #expect(quick.result.objective == stalled.result.objective)
        #expect(quick.result.measure == stalled.result.measure)
    }
}
