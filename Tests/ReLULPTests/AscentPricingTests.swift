import Foundation
import ReLULP
import Testing

/// The local ascent (`AscentPricing`) against the definition of η and the enumeration's exact maximum.
@Suite struct AscentPricingTests {
    /// Values attained (η at the returned unit vector is the value), never above the exact max |η|, and the best
    /// within 10 % of it in 2–5 features.
    @Test(arguments: [2, 3, 4, 5])
    func findsMostOfTheMaximum(features m: Int) throws {
        for seed in UInt64(1)...3 {
            let n = [2: 40, 3: 30, 4: 20, 5: 14][m] ?? 14
            var rng = SeededRandom(seed: 17 * seed + UInt64(m))
            let points = lift((0..<n).map { _ in (0..<m).map { _ in rng.gaussian() } })
            let p = CertificateSearchTests.randomDual(n: n, seed: 5 * seed + UInt64(m))
            let exact = try Arrangement.enumerate(points).scanCertificate(dual: p, threshold: 0).maxValue
            let sides = AscentPricing(search: CertificateSearch(points: points)).sides(dual: p, seed: seed)
            let best = try #require(sides.first)
            for side in sides {
                let eta = Double(side.sign) * CertificateSearchTests.certificate(points, p, side.weights)
                #expect(abs(eta - side.value) <= 1e-10 * max(1, exact), "m = \(m): η \(eta) vs \(side.value)")
                #expect(side.value <= exact * (1 + 1e-10), "m = \(m): \(side.value) above the maximum \(exact)")
            }
            #expect(best.value >= 0.9 * exact, "m = \(m), seed \(seed): found \(best.value) of \(exact)")
        }
    }
}
