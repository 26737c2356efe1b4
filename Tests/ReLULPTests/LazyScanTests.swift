import Foundation
import ReLULP
import Testing

/// The lazy scan (`Arrangement.scanCertificate` with a `limit`, docs/mathematics.md §4, "The lazy scan") against
/// the full scan of every region: the same maximum and, as sides, exactly the full scan's largest ones.
@Suite struct LazyScanTests {
    /// The order the lazy scan promises, written out here: larger value, then lower region, then the maximum (+1).
    static func ranks(_ a: CertificateScan.Extreme, before b: CertificateScan.Extreme) -> Bool {
        if a.value != b.value { return a.value > b.value }
        if a.region != b.region { return a.region < b.region }
        return a.sign > b.sign
    }

    /// m = 1..3 with bias (n large enough for several hundred to thousands of regions, so that the scan stops
    /// early), random duals at scales 1e-6, 1 and 1e6, thresholds from 0 to above the maximum, limits 0, 1, 3, 40
    /// and more sides than exist: maxValue and argmax equal the full scan's, and the sides are its first `limit` in
    /// that order.
    @Test(arguments: [(1, 300), (2, 45), (3, 22)])
    func lazyScanReturnsTheFullScansLargestSides(features m: Int, n: Int) throws {
        for seed in 1...3 as ClosedRange<UInt64> {
            var rng = SeededRandom(seed: 31 * UInt64(m) + seed)
            let points = lift((0..<n).map { _ in (0..<m).map { _ in rng.gaussian() } })
            let arrangement = try Arrangement.enumerate(points)
            // More regions than the first batch (at most 4 · limit + 256 for these limits): the scan can stop early.
            try #require(arrangement.numberOfRegions > 512)
            for scale in [1e-6, 1, 1e6] {
                let p = CertificateSearchTests.randomDual(n: n, seed: seed + 5).map { $0 * scale }
                let vectors = arrangement.regionVectors(dual: p)
                let top = arrangement.scanCertificate(regionVectors: vectors, threshold: 0).maxValue
                try #require(top > 0)
                for fraction in [0, 0.3, 0.9, 1.1] {
                    let full = arrangement.scanCertificate(regionVectors: vectors, threshold: fraction * top)
                    let ordered = full.extremes.sorted(by: Self.ranks)
                    for limit in [0, 1, 3, 40, full.extremes.count + 5] {
                        let lazy = arrangement.scanCertificate(
                            regionVectors: vectors, threshold: fraction * top, limit: limit)
                        #expect(abs(lazy.maxValue - full.maxValue) <= 1e-12 * full.maxValue)
                        #expect(lazy.argmaxRegion == full.argmaxRegion && lazy.argmaxSign == full.argmaxSign)
                        #expect(
                            lazy.extremes == Array(ordered.prefix(limit)),
                            "m = \(m), seed \(seed), scale \(scale), threshold \(fraction)·max, limit \(limit)")
                    }
                }
            }
        }
    }

    /// The enumerated pricer's `keep` is the lazy scan's limit: its sides are the first `keep` of all of them, in
    /// the same order, with the same maximum (the lower bound's M).
    @Test func pricerKeepsTheLargestSides() throws {
        var rng = SeededRandom(seed: 77)
        let points = lift((0..<40).map { _ in [rng.gaussian(), rng.gaussian()] })
        let pricer = EnumeratedPricer(arrangement: try Arrangement.enumerate(points))
        let p = CertificateSearchTests.randomDual(n: 40, seed: 78)
        let threshold = pricer.price(dual: p, threshold: 0, keep: 0, progress: nil).maxValue / 4
        let all = pricer.price(dual: p, threshold: threshold, keep: nil, progress: nil)
        try #require(all.sides.count > 20)
        for keep in [0, 1, 7, 20, all.sides.count + 1] {
            let some = pricer.price(dual: p, threshold: threshold, keep: keep, progress: nil)
            #expect(some.maxValue == all.maxValue)
            #expect(some.sides == Array(all.sides.prefix(keep)))
        }
    }
}
