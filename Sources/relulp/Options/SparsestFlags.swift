import ArgumentParser
import ReLULP

extension MIPBackend: ExpressibleByArgument, CommandLineChoice {}

/// `solve --sparsest`: the interpolant with the fewest neurons, proven by a MIP (issue 27).
struct SparsestFlags: ParsableArguments {
    @Flag(
        help: """
            Find the interpolating network with the fewest neurons, proven by a MIP over the dual regions (status \
            optimal only when the count is proven; at --time-limit: time-limit with the best count and the bound).
            """)
    var sparsest = false

    @Flag(
        help: """
            With --sparsest: least total variation, then reweighted ℓ1 only (for larger data); a count without a \
            proof, never optimal (status upper-bound).
            """)
    var heuristic = false

    @Option(name: .customLong("mip-backend"), help: "With --sparsest: the MIP backend.")
    var mipBackend: MIPBackend = .cbc

    @Option(
        name: .customLong("max-mip-regions"),
        help: "With --sparsest: refuse the MIP when the dual-region estimate exceeds this (two binaries per region).")
    var maxMIPRegions: Int = SparsestOptions().maxRegions

    func validate() throws {
        try requirePositive(maxMIPRegions, option: "--max-mip-regions")
        if heuristic && !sparsest { throw ValidationError("--heuristic belongs to --sparsest") }
    }
}
