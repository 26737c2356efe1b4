import ArgumentParser
import ReLULP

extension MIPBackend: ExpressibleByArgument, CommandLineChoice {}

/// `solve --sparsest`: the interpolant with the fewest neurons, proven by a MIP (issue 27).
struct SparsestFlags: ParsableArguments {
    @Flag(
        help: """
            Find the interpolating network with the fewest neurons (one per dual region and sign) and prove the \
            count by support cuts (docs/mathematics.md §10), assuming no bound on the weights. If they have not \
            closed by half of --time-limit, a big-M MIP looks for a smaller network (its bound is no proof). \
            Status optimal only when proven; else time-limit (exit 1) with the best count and the proven bound. \
            Refused above --max-mip-regions (use --heuristic).
            """)
    var sparsest = false

    @Flag(
        help: """
            With --sparsest: only least total variation, then reweighted ℓ1 (the ℓp heuristic, p = 1/2), for data \
            with too many regions: an upper bound on the count, no proof (status upper-bound, lower bound 0).
            """)
    var heuristic = false

    @Option(
        name: .customLong("mip-backend"),
        help: "With --sparsest: the backend of the big-M MIP and of the proof's set-cover MIPs.")
    var mipBackend: MIPBackend = .cbc

    @Option(
        name: .customLong("max-mip-regions"),
        help: """
            With --sparsest: refuse when the general-position estimate of the dual regions exceeds this (two \
            binaries per region; the proof is practical up to a few hundred regions).
            """)
    var maxMIPRegions: Int = SparsestOptions().maxRegions

    func validate() throws {
        try requirePositive(maxMIPRegions, option: "--max-mip-regions")
        if heuristic && !sparsest { throw ValidationError("--heuristic belongs to --sparsest") }
    }
}
