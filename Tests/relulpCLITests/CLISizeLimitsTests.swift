import Foundation
import TestSupport
import Testing

/// Sizes that once crashed or hung the command line (issue 26, items 10, 11, 13 and 19): each is refused with a
/// message before any work, or runs within little memory.
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLISizeLimitsTests {
    /// 3 rows × 20,000 features: the cone projections once sized their least-squares scratch by the dimension,
    /// d × d doubles (3.2 GB here, 320 GB at 200,000 features), and the Newton step built d × d projectors. Within
    /// a 2 GB address space both pricings now certify the optimum.
    @Test(arguments: ["enumerate", "branch-and-bound"])
    func manyFeaturesFewRows(pricing: String) throws {
        let m = 20_000
        var csv = (1...m).map { "x\($0)" }.joined(separator: ",") + ",y\n"
        for j in 0..<3 {
            csv += (0..<m).map { i in "\(Double((i * 7 + j * 13) % 19) / 9.5 - 1)" }.joined(separator: ",")
            csv += ",\(j - 1)\n"
        }
        let data = try temporaryFile(csv)
        let run = try runRelulp(
            ["solve", data, "--lambda", "0.1", "--pricing", pricing], memoryLimitKiB: 2_000_000)
        #expect(run.status == 0, "\(run.stderr.prefix(300))")
        #expect(run.stdout.contains("optimal"))
    }

    /// A λ range of 10¹² values (once 8 TB) and one of 200,000 (once 200,000 solves without a word) are refused,
    /// naming the count and the limit, before the data are read (the data file does not exist).
    @Test(arguments: ["1:2:1000000000000", "1e-1:1e-2:200000"])
    func longLambdaListsAreRefused(lambdas: String) throws {
        let run = try runRelulp(["path", "missing.csv", "--lambdas", lambdas, "--output", "unused"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("at most 10000") && run.stderr.contains(lambdas.split(separator: ":")[2]))
        #expect(!run.stderr.contains("missing.csv"))
    }

    /// Seed ranges beyond the limit (the full 64-bit range included) are refused with the limit, not as "not a seed".
    @Test(arguments: ["0-18446744073709551615", "1-10000,0"])
    func longSeedListsAreRefused(seeds: String) throws {
        let run = try runRelulp(["sweep", "run", "missing.csv", "--seeds", seeds, "--output", "unused"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("at most 10000") && !run.stderr.contains("not a seed"))
    }

    /// `generate --n 100000000` once ran out of memory; it and its overflowing cousins are refused with the limit.
    @Test(arguments: [
        ["--n", "100000000"], ["--n", "10", "--features", "9223372036854775807"],
        ["--n", "10", "--neurons", "9223372036854775807"], ["--n", "1000000", "--neurons", "100"],
    ])
    func hugeGeneratedDataAreRefused(sizes: [String]) throws {
        let folder = (try temporaryFile("") as NSString).deletingLastPathComponent
        let run = try runRelulp(
            ["generate"] + sizes + ["--output", folder + "/g.csv", "--teacher", folder + "/g.json"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("limit of 10000000"), "\(run.stderr.prefix(300))")
        #expect(!FileManager.default.fileExists(atPath: folder + "/g.csv"))
    }

    /// A region or search limit below 1 is a usage error (exit 64) in every subcommand that takes it, before any
    /// file is read; it once refused every data set with a confusing message, or quietly switched the pricing.
    @Test(arguments: [
        ["regions", "missing.csv", "--max-regions=-1"], ["solve", "missing.csv", "--lambda", "1", "--max-regions=0"],
        ["solve", "missing.csv", "--lambda", "1", "--max-search-regions=-3"],
        ["path", "missing.csv", "--lambdas", "1", "-o", "unused", "--max-regions=-2"],
        ["sweep", "run", "missing.csv", "-o", "unused", "--max-regions=0"],
        ["certify", "missing.json", "missing.csv", "--max-regions=-1"],
        ["certify", "missing.json", "missing.csv", "--max-search-regions=0"],
    ])
    func limitsBelowOneAreUsageErrors(arguments: [String]) throws {
        let run = try runRelulp(arguments)
        #expect(run.status == 64, "\(run.stderr.prefix(300))")
        #expect(run.stderr.contains("must be at least 1"))
    }
}
