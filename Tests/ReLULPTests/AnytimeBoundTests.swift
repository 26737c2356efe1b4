import Foundation
import ReLULP
import TestSupport
import Testing

/// Bounds of an unfinished search (docs/mathematics.md §11) against the enumeration's exact maximum, and the
/// lower bounds of runs cut by a deadline against the certified optimum.
@Suite struct AnytimeBoundTests {
    /// A random dual in the loss's box of (P) (|p_j| ≤ 1/n for L1, the label's side for the hinge, free for the
    /// squared loss) and labels (±1 for the hinge).
    static func instance(m: Int, n: Int, loss: Loss, seed: UInt64) -> (rows: [[Double]], y: [Double], p: [Double]) {
        var rng = SeededRandom(seed: seed)
        let rows = (0..<n).map { _ in (0..<m).map { _ in rng.gaussian() } }
        let y = rows.map { r in loss == .hinge ? (r[0] + 0.3 * rng.gaussian() > 0 ? 1.0 : -1.0) : r[0] - r[m - 1] * r[0]
        }
        let p = y.map { label -> Double in
            let u = Double.random(in: -1...1, using: &rng) / Double(n)
            return loss == .hinge ? (label > 0 ? abs(u) : -abs(u)) : u
        }
        return (rows, y, p)
    }

    static let nodeLimits = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144]

    /// m = 1..4, three losses, every branching rule, with and without incumbents (the cells around random
    /// directions), the dives of the cut search's order from best first (1) to depth first (`.max`), and a pool of 2
    /// that leaves most open nodes for good: the bound of a search cut after k nodes is ≥ the exact M for every k,
    /// and the lower bound it proves is ≤ the certified optimum. Without the open nodes' bound the cut searches
    /// report less than M (checked: some do), so the test can fail.
    @Test(arguments: [Loss.l1, .squared, .hinge])
    func cutSearchBoundsTheMaximum(loss: Loss) throws {
        var cutBelowM = 0
        for m in 1...4 {
            let n = [1: 16, 2: 14, 3: 12, 4: 10][m] ?? 10
            for seed in UInt64(1)...2 {
                let (rows, y, p) = Self.instance(m: m, n: n, loss: loss, seed: 31 * seed + UInt64(m))
                let points = lift(rows)
                let exact = try Arrangement.enumerate(points).scanCertificate(dual: p, threshold: 0).maxValue
                let lambda = 0.05
                var options = TrainingOptions(lambda: lambda, loss: loss)
                options.pricing = .enumerate
                let optimum = try ExactTrainer(
                    data: Dataset(featureNames: (0..<m).map { "x\($0)" }, features: rows, labels: y)
                ).train(options)
                try #require(optimum.status == .optimal, "m = \(m), seed \(seed): \(optimum.status)")
                let reference = CertificateSearch(points: points).maximize(dual: p, threshold: 0, keep: 3)
                var rng = SeededRandom(seed: seed)
                let directions = (0..<3).map { _ in (0...m).map { _ in rng.gaussian() } }
                let pool = CertificateSearch.cutPoolCapacity
                let variants =
                    CertificateSearch.Branching.allCases.flatMap { r in
                        [(r, false, CertificateSearch.cutDive, pool), (r, true, CertificateSearch.cutDive, pool)]
                    } + [(.intercept, false, 1, pool), (.intercept, true, .max, pool), (.intercept, false, 1, 2)]
                for (rule, seeded, dive, capacity) in variants {
                    var search = CertificateSearch(points: points, branching: rule)
                    (search.dive, search.poolCapacity) = (dive, capacity)
                    let known = seeded ? search.localExtremes(dual: p, around: directions) : []
                    if seeded { try #require(!known.isEmpty) }
                    for k in Self.nodeLimits {
                        for threshold in [0, 0.5 * exact] {
                            let cut = search.maximize(
                                dual: p, threshold: threshold, keep: 3, maxNodes: k, incumbents: known)
                            #expect(
                                cut.maxValue >= exact * (1 - 1e-12),
                                "\(loss) m = \(m) seed \(seed) \(rule) \(seeded) k = \(k): bound \(cut.maxValue) < M = \(exact)"
                            )
                            #expect(cut.complete == (cut.openNodes == 0))
                            if !cut.complete && cut.attained < exact * (1 - 1e-9) { cutBelowM += 1 }
                            let bound = loss.lowerBound(
                                dual: p, maxCertificate: cut.maxValue, targets: y, lambda: lambda, dimension: m + 1)
                            #expect(
                                bound <= optimum.objective * (1 + 1e-9) + 1e-15,
                                "\(loss) m = \(m) k = \(k): lower bound \(bound) > optimum \(optimum.objective)")
                        }
                    }
                    // Run to its end, on all cores or in the order of a cut search (a node limit never reached),
                    // the search finds M and the three largest sides, each once, whatever the rule, the dive and
                    // the incumbents. (A pool of 2 leaves nodes open for good: only its cut searches are checked.)
                    for limit in capacity == pool ? [nil, Int.max] : [] {
                        let full = search.maximize(dual: p, threshold: 0, keep: 3, maxNodes: limit, incumbents: known)
                        #expect(full.complete && full.openNodes == 0)
                        #expect(
                            abs(full.maxValue - exact) <= 1e-9 * exact,
                            "\(rule) \(seeded): \(full.maxValue) ≠ M = \(exact)"
                        )
                        #expect(
                            full.extremes.count == reference.extremes.count
                                && zip(full.extremes, reference.extremes).allSatisfy {
                                    abs($0.value - $1.value) <= 1e-9 * exact
                                },
                            "\(rule) \(seeded): \(full.extremes.map(\.value)) against \(reference.extremes.map(\.value))"
                        )
                        #expect(
                            Set(full.extremes.map { "\($0.sign)\($0.region?.description ?? "")" }).count
                                == full.extremes.count)
                    }
                }
            }
        }
        #expect(cutBelowM > 0, "no cut search stopped before the maximum: the open nodes' bound was never needed")
    }

    /// Runs whose every search is cut after microseconds: each round's lower bound (search-bound rounds
    /// included) is below the certified optimum, and the run ends by its time limit or certifies.
    @Test(arguments: [Loss.l1, .squared, .hinge])
    func everyRoundOfACutRunIsBelowTheOptimum(loss: Loss) throws {
        var data = try Fixtures.teacher(n: 14, m: 3, neurons: 3, noise: 0.1, seed: 77)
        if loss == .hinge { data.labels = data.labels.map { $0 > 0 ? 1 : -1 } }
        var options = TrainingOptions(lambda: 0.02, loss: loss)
        options.pricing = .enumerate
        let optimum = try ExactTrainer(data: data).train(options)
        try #require(optimum.status == .optimal)
        let rounds = Rounds()
        options.pricing = .branchAndBound
        options.heuristicPricing = false
        options.searchSlice = 1e-5
        options.timeLimit = 1
        options.progress = { rounds.append($0) }
        let cut = try ExactTrainer(data: data, pricing: .branchAndBound).train(options)
        let seen = rounds.all
        #expect(!seen.isEmpty)
        for r in seen {
            #expect(
                r.lowerBound <= optimum.objective * (1 + 1e-9) + 1e-15,
                "\(loss) round \(r.round) (\(r.boundSource)): \(r.lowerBound) > \(optimum.objective)")
        }
        #expect(seen.contains { $0.boundSource == .searchBound }, "no round was cut: the test shows nothing")
        #expect(cut.lowerBound <= optimum.objective * (1 + 1e-9) + 1e-15)
        #expect(cut.status == .optimal || cut.status == .timeLimit || cut.status == .stalled, "\(cut.status)")
    }

    /// A deadline already past: one round at most, status time-limit, the incumbent's objective and a valid
    /// lower bound (0 before any priced round).
    @Test func aPastDeadlineEndsAfterOneRound() throws {
        let data = try Fixtures.teacher(n: 20, m: 2, neurons: 3, noise: 0.05, seed: 9)
        var options = TrainingOptions(lambda: 0.01)
        options.deadline = Deadline(end: Date().addingTimeInterval(-1))
        let result = try ExactTrainer(data: data, pricing: .branchAndBound).train(options)
        #expect(result.status == .timeLimit && result.termination == .timeLimit)
        #expect(result.rounds <= 1)
        let optimum = try ExactTrainer(data: data).train(TrainingOptions(lambda: 0.01))
        #expect(result.lowerBound >= 0 && result.lowerBound <= optimum.objective)
        #expect(result.objective >= optimum.objective * (1 - 1e-9))
    }

    /// A deadline already past ends the region enumeration (rank ≥ 3) before its first batch, and a trainer
    /// built under it prices by the search: its run ends at once with status time-limit and a valid bound.
    @Test func aPastDeadlineEndsTheEnumeration() throws {
        let data = try Fixtures.teacher(n: 40, m: 2, neurons: 3, noise: 0.05, seed: 9)
        let past = Deadline(end: Date().addingTimeInterval(-1))
        #expect(throws: ArrangementError.deadlinePassed(regions: 0)) {
            try Arrangement.enumerate(data.lifted(bias: true), deadline: past)
        }
        let trainer = try ExactTrainer(data: data, pricing: .enumerate, deadline: past)
        #expect(trainer.arrangement == nil)
        var options = TrainingOptions(lambda: 0.01)
        options.deadline = past
        let result = try trainer.train(options)
        #expect(result.status == .timeLimit)
        let optimum = try ExactTrainer(data: data).train(TrainingOptions(lambda: 0.01))
        #expect(result.lowerBound >= 0 && result.lowerBound <= optimum.objective)
    }

    /// Anytime mode: `auto` above the search limit searches instead of refusing, with the default budget and a
    /// search slice; the search by name still refuses.
    @Test func autoAboveTheSearchLimitRunsAnytime() throws {
        let data = try Fixtures.teacher(n: 30, m: 3, neurons: 3, noise: 0.05, seed: 3)
        #expect(throws: TrainingError.self) {
            try ExactTrainer(data: data, pricing: .branchAndBound, maxSearchRegions: 10, anytime: true)
        }
        #expect(throws: TrainingError.self) {
            try ExactTrainer(data: data, maxRegions: 10, pricing: .auto, maxSearchRegions: 10)
        }
        let trainer = try ExactTrainer(data: data, maxRegions: 10, pricing: .auto, maxSearchRegions: 10, anytime: true)
        #expect(trainer.anytime && trainer.arrangement == nil)
        var options = TrainingOptions(lambda: 0.02)
        options.timeLimit = 2
        let result = try trainer.train(options)
        #expect(result.status == .optimal || result.status == .timeLimit)
        let reference = try ExactTrainer(data: data).train(TrainingOptions(lambda: 0.02))
        #expect(result.lowerBound <= reference.objective * (1 + 1e-9))
    }
}

/// The rounds a run reported (its progress callback is `@Sendable`).
final class Rounds: @unchecked Sendable {
    private let lock = NSLock()
    private var rounds: [TrainingProgress] = []
    func append(_ p: TrainingProgress) {
        lock.lock()
        rounds.append(p)
        lock.unlock()
    }
    var all: [TrainingProgress] {
        lock.lock()
        defer { lock.unlock() }
        return rounds
    }
}

/// The tests that raise SIGINT, one at a time: the deferral of `Interruption` is the process's, so a test whose
/// deferral ends while another raises its signal would end the test process.
@Suite(.serialized) struct SignalTests {
    /// A SIGINT while deferring ends the run with status interrupted (not the process), and the deferral ends
    /// with the run.
    @Test func aSignalInterruptsTheRun() throws {
        let data = try Fixtures.teacher(n: 20, m: 2, neurons: 3, noise: 0.05, seed: 9)
        var options = TrainingOptions(lambda: 0.01)
        options.deadline = Deadline(end: nil, watchesSignals: true)
        options.progress = { _ in raise(SIGINT) }
        let result = try Interruption.deferring { () throws(TrainingError) in
            try ExactTrainer(data: data, pricing: .branchAndBound).train(options)
        }
        #expect(result.status == .interrupted && result.rounds == 1)
        #expect(Interruption.requested)
    }

    /// A signal during a master solve of the squared loss whose every LP solve fails ends the recovery chain at
    /// once (no fresh solver, no rescaled master, no Swift QP is solved after it), and the run ends interrupted
    /// with the network and bound of the rounds before: a run inside a recovery CLP solve did not end within 6 s
    /// of SIGTERM.
    @Test func aSignalEndsTheMasterRecovery() throws {
        let data = try Fixtures.teacher(n: 20, m: 2, neurons: 3, noise: 0.05, seed: 5)
        var options = TrainingOptions(lambda: 1e-3, loss: .squared)
        options.activeSetSquaredMaster = false  // CLP's master and its recoveries, not the Swift QP first
        let trainer = try ExactTrainer(data: data)
        let reference = try trainer.train(options)
        let log = SignalLog()
        options.deadline = Deadline(end: nil, watchesSignals: true)
        options.progress = { _ in log.armed = log.armed || log.solvesAfterSignal == nil }
        options.solverFactory = { backend, lp in
            let solver = WrongSignSolver(backend.makeSolver(options: lp), failing: { _ in true })
            solver.onSolve = { _ in
                if let count = log.solvesAfterSignal {
                    log.solvesAfterSignal = count + 1
                } else if log.armed {
                    log.solvesAfterSignal = 0
                    raise(SIGINT)
                }
            }
            return solver
        }
        let result = try Interruption.deferring { () throws(TrainingError) in try trainer.train(options) }
        #expect(log.solvesAfterSignal == 0, "solves after the signal: \(String(describing: log.solvesAfterSignal))")
        #expect(result.status == .interrupted, "\(result.status)")
        #expect(result.lowerBound > 0 && result.lowerBound <= reference.objective * (1 + 1e-9))
        #expect(result.objective >= reference.objective * (1 - 1e-9))
    }
}

/// What `aSignalEndsTheMasterRecovery` saw (the factory's solvers run on the run's thread only).
final class SignalLog: @unchecked Sendable {
    var armed = false
    var solvesAfterSignal: Int? = nil
}
