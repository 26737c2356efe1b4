import Foundation
import ReLULP
import Testing

/// The branch-and-bound pricing (`CertificateSearch`) against the full enumeration of the dual regions
/// (`Arrangement.scanCertificate`) and against a brute force over sign vectors.
@Suite struct CertificateSearchTests {
    /// A random dual with |p_j| ≤ 1/n, some entries zero.
    static func randomDual(n: Int, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed)
        return (0..<n).map { _ in
            let u = Double.random(in: -1...1, using: &rng)
            return abs(u) < 0.1 ? 0 : u / Double(n)
        }
    }

    /// η's value at a point, from the definition.
    static func certificate(_ points: LiftedData, _ p: [Double], _ w: [Double]) -> Double {
        (0..<points.count).reduce(0.0) { $0 + p[$1] * max(0, dotProduct(w[...], points[point: $1])) }
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }

    /// Same max |η| as the enumeration at random duals, m = 1..4 with bias, and the extreme points found are
    /// unit vectors where η takes the reported value.
    @Test(arguments: [(1, 25), (2, 20), (3, 14), (4, 10)])
    func matchesEnumeration(features m: Int, n: Int) throws {
        for seed in 1...3 as ClosedRange<UInt64> {
            var rng = SeededRandom(seed: 100 * UInt64(m) + seed)
            let rows = (0..<n).map { _ in (0..<m).map { _ in rng.gaussian() } }
            let points = lift(rows)
            let arrangement = try Arrangement.enumerate(points)
            let search = CertificateSearch(points: points)
            let p = Self.randomDual(n: n, seed: 7 * seed + UInt64(m))
            let exact = arrangement.scanCertificate(dual: p, threshold: 0).maxValue
            let found = search.maximize(dual: p, threshold: 0, keep: 5)
            #expect(
                Self.close(found.maxValue, exact),
                "m = \(m), seed \(seed): search \(found.maxValue), enumeration \(exact)")
            #expect(Self.close(found.attained, exact))
            #expect(found.extremes.count == 5)
            #expect(
                found.leaves < arrangement.numberOfRegions || arrangement.numberOfRegions < 200,
                "visited \(found.leaves) of \(arrangement.numberOfRegions) regions")
            for e in found.extremes {
                #expect(abs(norm(e.weights[...]) - 1) < 1e-12)
                #expect(Self.close(Double(e.sign) * Self.certificate(points, p, e.weights), e.value, 1e-10))
            }
            // The top 5 sides are the enumeration's 5 largest.
            let all = arrangement.scanCertificate(dual: p, threshold: 0).extremes.map(\.value).sorted(by: >)
            for (e, v) in zip(found.extremes, all.prefix(5)) { #expect(Self.close(e.value, v), "top-k") }
        }
    }

    /// Below the threshold the search only proves the bound; above it, the maximum is exact.
    @Test func thresholdIsAProof() throws {
        var rng = SeededRandom(seed: 5)
        let points = lift((0..<30).map { _ in [rng.gaussian(), rng.gaussian()] })
        let arrangement = try Arrangement.enumerate(points)
        let search = CertificateSearch(points: points)
        let p = Self.randomDual(n: 30, seed: 11)
        let exact = arrangement.scanCertificate(dual: p, threshold: 0).maxValue
        let above = search.maximize(dual: p, threshold: 1.5 * exact)
        #expect(above.maxValue <= 1.5 * exact)
        #expect(above.maxValue >= exact)
        #expect(above.extremes.isEmpty)
        let below = search.maximize(dual: p, threshold: 0.5 * exact)
        #expect(Self.close(below.maxValue, exact))
        #expect(below.extremes.count == 1)
    }

    /// Degenerate data (duplicates, collinear points, concurrent hyperplanes, no bias, rank-deficient, zero rows).
    @Test(arguments: degenerateFixtures.indices)
    func degenerateData(index: Int) throws {
        let points = degenerateFixtures[index].points
        let arrangement = try Arrangement.enumerate(points)
        let search = CertificateSearch(points: points)
        for seed in 1...4 as ClosedRange<UInt64> {
            let p = Self.randomDual(n: points.count, seed: seed + 50 * UInt64(index))
            let exact = arrangement.scanCertificate(dual: p, threshold: 0).maxValue
            let found = search.maximize(dual: p, threshold: 0)
            #expect(
                Self.close(found.maxValue, exact), "\(degenerateFixtures[index].name): \(found.maxValue) vs \(exact)")
        }
    }

    /// Brute force independent of both, in R^3: the maximum of |η| over the sphere is attained at a critical
    /// point of the linear piece `⟨v_s, w⟩` of its region on a stratum (interior, a facet, a ray), so it is
    /// among the points `±v_s/‖v_s‖`, `±Π_{H_j} v_s / ‖·‖` for every sign vector s and plane j, and `±x̃_j × x̃_k`;
    /// η is evaluated from its definition at all of them. Dense sampling never exceeds the search's maximum.
    @Test func bruteForceTiny() throws {
        func unit(_ w: [Double]) -> [Double]? {
            let length = norm(w[...])
            return length > 1e-12 ? w.map { $0 / length } : nil
        }
        for seed in 1...4 as ClosedRange<UInt64> {
            var rng = SeededRandom(seed: 900 + seed)
            let n = 7
            let points = lift((0..<n).map { _ in [rng.gaussian(), rng.gaussian()] })
            let x = (0..<n).map { Array(points[point: $0]) }
            let p = Self.randomDual(n: n, seed: 300 + seed)
            var candidates: [[Double]] = []
            for j in 0..<n {
                for k in (j + 1)..<n {
                    let c = [
                        x[j][1] * x[k][2] - x[j][2] * x[k][1], x[j][2] * x[k][0] - x[j][0] * x[k][2],
                        x[j][0] * x[k][1] - x[j][1] * x[k][0],
                    ]
                    if let w = unit(c) { candidates += [w, w.map { -$0 }] }
                }
            }
            for mask in 0..<(1 << n) {
                var v = [0.0, 0, 0]
                for j in 0..<n where mask >> j & 1 == 1 { for t in 0..<3 { v[t] += p[j] * x[j][t] } }
                var directions = [v]
                for j in 0..<n {
                    let a = dotProduct(v[...], x[j][...]) / dotProduct(x[j][...], x[j][...])
                    directions.append((0..<3).map { v[$0] - a * x[j][$0] })
                }
                for direction in directions { if let w = unit(direction) { candidates += [w, w.map { -$0 }] } }
            }
            let best = candidates.map { abs(Self.certificate(points, p, $0)) }.max()!
            let found = CertificateSearch(points: points).maximize(dual: p, threshold: 0)
            #expect(Self.close(found.maxValue, best, 1e-10), "seed \(seed): \(found.maxValue) vs \(best)")
            var sampled = 0.0
            for _ in 0..<20000 {
                var w = [rng.gaussian(), rng.gaussian(), rng.gaussian()]
                let length = norm(w[...])
                w = w.map { $0 / length }
                sampled = max(sampled, abs(Self.certificate(points, p, w)))
            }
            #expect(sampled <= found.maxValue * (1 + 1e-12))
            #expect(sampled >= 0.9 * found.maxValue)
        }
    }
}
