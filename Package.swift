// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "relulp",
    products: [
        .library(name: "ReLULP", targets: ["ReLULP"]),
        .library(name: "LinearProgramming", targets: ["LinearProgramming"]),
        .executable(name: "relulp", targets: ["relulp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // C libraries from Debian, behind module maps (see Sources/C*/module.modulemap).
        .systemLibrary(name: "CClp", providers: [.apt(["coinor-libclp-dev"])]),
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
        .systemLibrary(name: "CCbc", providers: [.apt(["coinor-libcbc-dev"])]),
        // The LP layer: one protocol, two backends; the MIP layer beside it (CBC, GLPK).
        .target(name: "LinearProgramming", dependencies: ["CClp", "CGLPK", "CCbc"]),
        // Data → arrangement → training → measure → certificate.
        .target(name: "ReLULP", dependencies: ["LinearProgramming"]),
        // The command-line tool: thin, the library does the work.
        // Compiled for testing in every configuration: Tests/relulpCLITests parses commands in process
        // (@testable import relulp) and `make test` builds in release. Only this thin module is affected; the
        // library's optimisation is not.
        .executableTarget(
            name: "relulp",
            dependencies: [
                "ReLULP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.unsafeFlags(["-enable-testing"])]),
        // Measurement code lives beside the benchmark it serves (benchmarks/RESULTS.md); none is a product.
        // LP backend benchmark (benchmarks/lp/).
        .executableTarget(
            name: "lp-benchmark", dependencies: ["LinearProgramming"],
            path: "benchmarks/lp/lp-benchmark"),
        // Regularisation path vs cold solves (benchmarks/path/).
        .executableTarget(
            name: "path-benchmark", dependencies: ["ReLULP"],
            path: "benchmarks/path/path-benchmark"),
        // The branch and bound on stored duals: branching rules and incumbents (benchmarks/search/).
        .executableTarget(
            name: "search-benchmark", dependencies: ["ReLULP"],
            path: "benchmarks/search/search-benchmark"),
        // The seeded fuzz harness of the CSV and model-file readers: run by the tests and, for a bounded
        // time, by fuzz-benchmark (benchmarks/fuzz/).
        .target(name: "InputFuzz", dependencies: ["ReLULP"], path: "benchmarks/fuzz/InputFuzz"),
        .executableTarget(
            name: "fuzz-benchmark", dependencies: ["InputFuzz"],
            path: "benchmarks/fuzz/fuzz-benchmark"),
        // The seeded fuzz harness of the command line (every subcommand, run as the built binary): run briefly by
        // the CLI tests and, for a bounded time, by cli-fuzz-benchmark (benchmarks/fuzz/).
        .target(name: "CLIFuzz", path: "benchmarks/fuzz/CLIFuzz"),
        .executableTarget(
            name: "cli-fuzz-benchmark", dependencies: ["CLIFuzz"],
            path: "benchmarks/fuzz/cli-fuzz-benchmark"),
        .testTarget(name: "LinearProgrammingTests", dependencies: ["LinearProgramming"]),
        // What the test targets share (fixtures, teacher data, temporary files, the SVG census); not a product.
        .target(name: "TestSupport", dependencies: ["ReLULP"], path: "Tests/TestSupport"),
        .testTarget(name: "ReLULPTests", dependencies: ["ReLULP", "InputFuzz", "TestSupport"]),
        // The command line: its parsing (@testable import relulp) and the built binary, end to end.
        .testTarget(name: "relulpCLITests", dependencies: ["relulp", "ReLULP", "TestSupport", "CLIFuzz"]),
    ]
)
