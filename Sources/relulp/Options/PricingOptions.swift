import ArgumentParser
import ReLULP

/// How max |η| over the sphere is found (each round of `solve` and `path`; once in `certify`).
struct PricingOptions: ParsableArguments {
    @Option(help: "How max |η| over the sphere is found; every mode is exact.")
    var pricing: PricingMode = .auto

    @Option(
        name: .customLong("max-search-regions"),
        help: """
            Refuse the branch-and-bound pricing when the dual-region estimate exceeds this (its time grows with \
            dimension and regions).
            """)
    var maxSearchRegions: Int = PricingMode.defaultSearchLimit

    func validate() throws {
        try requirePositive(maxSearchRegions, option: "--max-search-regions")
    }
}
