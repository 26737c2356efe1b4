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

    /// The ray bound (`Arrangement.sideBounds`) against the exact extreme values of every region, 1-D to 3-D inputs
    /// with bias and random duals: at least `⟨±v_s, w*⟩` at the projection's maximiser `w*` and at sampled unit points
    /// of the cone (to rounding), and at most `‖v_s‖`. A bound without the secant (`max_i ⟨v_s, r_i⟩`) fails the first check.
    @Test(arguments: [(1, 60), (2, 25), (3, 12)])
    func rayBoundsCoverTheRegionMaxima(features m: Int, n: Int) throws {
        for seed in 1...3 as ClosedRange<UInt64> {
            var rng = SeededRandom(seed: 97 * UInt64(m) + seed)
            let points = lift((0..<n).map { _ in (0..<m).map { _ in rng.gaussian() } })
            let arrangement = try Arrangement.enumerate(points)
            let d = arrangement.dimension
            let p = CertificateSearchTests.randomDual(n: n, seed: seed + 11)
            let vectors = arrangement.regionVectors(dual: p)
            var secantsUsed = 0
            for k in 0..<arrangement.numberOfRegions {
                let v = vectors[(k * d)..<(k * d + d)]
                let bounds = arrangement.sideBounds(region: k, regionVector: v)
                #expect(bounds.plus <= norm(v) && bounds.minus <= norm(v))
                if arrangement.raySecants[k].isFinite { secantsUsed += 1 }
                let rays = arrangement.rayIndices(ofRegion: k).map { Array(arrangement.ray(Int($0))) }
                for (sign, bound) in [(1.0, bounds.plus), (-1.0, bounds.minus)] {
                    if let w = arrangement.extremePoint(region: k, sign: Int(sign), regionVector: v) {
                        let exact = sign * dotProduct(v, w[...])
                        // ‖w*‖ = 1 to rounding: ⟨v_s, w*⟩ may exceed ‖v_s‖, the cap, by a few ulps.
                        #expect(bound >= exact - 1e-14 * norm(v), "m = \(m), seed \(seed), region \(k), sign \(sign)")
                    }
                    for _ in 0..<8 {
                        var w = [Double](repeating: 0, count: d)
                        for ray in rays {
                            let weight = -log(1 - Double(rng.next() >> 11) / Double(1 << 53))
                            for t in 0..<d { w[t] += weight * ray[t] }
                        }
                        let length = norm(w[...])
                        guard length > 0 else { continue }
                        #expect(bound >= sign * dotProduct(v, w[...]) / length - 1e-14 * norm(v))
                    }
                }
            }
            // Most regions are pointed cones of angle below π/2: the bound is in use, not left at ‖v_s‖.
            #expect(secantsUsed * 2 > arrangement.numberOfRegions)
        }
    }

    /// The full scan's values are the exact projections, not values cut by a bound that is too small: every side of
    /// the scan at threshold 0 equals `⟨±v_s, w*⟩` at the maximiser, to rounding.
    @Test(arguments: [(1, 80), (2, 30), (3, 14)])
    func fullScanValuesAreTheProjections(features m: Int, n: Int) throws {
        var rng = SeededRandom(seed: 313 * UInt64(m))
        let points = lift((0..<n).map { _ in (0..<m).map { _ in rng.gaussian() } })
        let arrangement = try Arrangement.enumerate(points)
        let d = arrangement.dimension
        let p = CertificateSearchTests.randomDual(n: n, seed: 5 + UInt64(m))
        let vectors = arrangement.regionVectors(dual: p)
        let scan = arrangement.scanCertificate(regionVectors: vectors, threshold: 0)
        try #require(scan.extremes.count > arrangement.numberOfRegions / 2)
        for side in scan.extremes {
            let v = vectors[(side.region * d)..<(side.region * d + d)]
            let w = try #require(arrangement.extremePoint(region: side.region, sign: side.sign, regionVector: v))
            let exact = Double(side.sign) * dotProduct(v, w[...])
            #expect(abs(side.value - exact) <= 1e-12 * norm(v), "region \(side.region), sign \(side.sign)")
        }
    }
}
