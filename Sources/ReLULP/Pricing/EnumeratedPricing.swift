import Dispatch
import Foundation

/// Pricing over the enumerated dual regions: every region's extreme values from its region vector, updated along
/// the arrangement's traversal tree (`Arrangement.scanCertificate`), exact wherever they matter.
public struct EnumeratedPricer: Pricer {
    /// The dual regions scanned; their extreme rays also serve the vertex LP.
    public let regions: Arrangement

    public init(arrangement: Arrangement) { regions = arrangement }

    public var points: LiftedData { regions.points }
    public var mode: PricingMode { .enumerate }
    public var arrangement: Arrangement? { regions }

    /// Projects every region whose `‖v_s‖` reaches `threshold · (1 − 1e-3)`: the maximum is then exact just below
    /// the threshold too (near an optimum, max |η| slightly under 1 is what a certificate reports).
    public func price(
        dual p: [Double], threshold: Double, keep: Int, deadline: Deadline, maxNodes: Int?,
        progress: (@Sendable (String) -> Void)?
    ) -> PricingResult {
        let vectors = regions.regionVectors(dual: p)
        let scan = regions.scanCertificate(regionVectors: vectors, threshold: threshold * (1 - 1e-3))
        let sides = scan.extremes.filter { $0.value > threshold }.sorted { $0.value > $1.value }
            .map { RegionSide(sign: $0.sign, value: $0.value, region: $0.region) }
        return PricingResult(maxValue: scan.maxValue, sides: sides, regionVectors: vectors)
    }

    public func extremePoint(of side: RegionSide, in pricing: PricingResult) -> [Double]? {
        guard let k = side.region else { return side.weights }
        let d = regions.dimension
        return regions.extremePoint(
            region: k, sign: side.sign,
            regionVector: pricing.regionVectors[(k * d)..<(k * d + d)])
    }

    /// None: the exact scan costs about what a local one would.
    public func localSides(dual p: [Double], around seeds: [[Double]]) -> [RegionSide]? { nil }
}

/// The extreme values of the dual certificate `η(w) = (1/λ) Σ_j p_j σ(⟨w, x̃_j⟩)` over every dual region,
/// computed exactly (docs/mathematics.md §3): on region `s`, `η = ⟨v_s, w⟩/λ` with `v_s = Σ_{s_j=+} p_j x̃_j`, whose
/// maximum over the region's spherical polytope is `‖Π_{R_s}(v_s)‖` (minimum: `−‖Π_{R_s}(−v_s)‖`).
///
/// The region vectors `v_s` are updated along the arrangement's traversal tree, O(d) per region, so one
/// pricing costs O(R·d) plus a small projection for the regions where `‖v_s‖` can reach the threshold.
public struct CertificateScan: Sendable {
    /// One region whose certificate reaches the scan's threshold, with the sign of the extreme value.
    public struct Extreme: Sendable, Equatable {
        public var region: Int
        /// +1: the maximum of η (a positive neuron), −1: the minimum (a negative neuron).
        public var sign: Int
        /// `‖Π(±v_s)‖`: λ times the extreme value of |η| on the region.
        public var value: Double
    }

    /// `max_w |Σ_j p_j σ(⟨w, x̃_j⟩)|` over the sphere when it is at least `threshold`; otherwise a value
    /// below `threshold` (the regions under it are only bounded, not projected). `+∞` when the arithmetic
    /// overflowed, so that no bound is ever built on a value that is too small.
    public var maxValue: Double
    /// The region (and sign) attaining `maxValue`, −1 when no region reached the threshold.
    public var argmaxRegion: Int
    public var argmaxSign: Int
    /// Every region side whose extreme value exceeds `threshold`.
    public var extremes: [Extreme]
}

extension Arrangement {
    /// `v_s` for every region, row-major `numberOfRegions × d`, from the tree: O(R·d + n·d).
    public func regionVectors(dual p: [Double]) -> [Double] {
        let d = dimension
        let r = numberOfRegions
        var v = [Double](repeating: 0, count: r * d)
        let root = signVector(ofRegion: 0)
        for j in 0..<points.count where root[j] {
            let x = points[point: j]
            var t = 0
            for value in x {
                v[t] += p[j] * value
                t += 1
            }
        }
        points.values.withUnsafeBufferPointer { xs in
            v.withUnsafeMutableBufferPointer { vs in
                for k in 1..<max(r, 1) {
                    let parentBase = Int(parent[k]) * d
                    let base = k * d
                    for t in 0..<d { vs[base + t] = vs[parentBase + t] }
                    for c in changeStart[k]..<changeStart[k + 1] {
                        let j = Int(changePoint[c])
                        let coefficient = changeTurnsOn[c] ? p[j] : -p[j]
                        let xBase = j * d
                        for t in 0..<d { vs[base + t] += coefficient * xs[xBase + t] }
                    }
                }
            }
        }
        return v
    }

    /// Scans every region for the extreme values of `Σ_j p_j σ(⟨w, x̃_j⟩)`. Regions with `‖v_s‖ ≤ threshold`
    /// are skipped (their extreme value cannot exceed `‖v_s‖`); the others are projected, on all cores.
    public func scanCertificate(dual p: [Double], threshold: Double) -> CertificateScan {
        scanCertificate(regionVectors: regionVectors(dual: p), threshold: threshold)
    }

    /// The same scan from region vectors already computed with `regionVectors(dual:)` (callers that also need
    /// extreme points reuse them instead of rebuilding them).
    public func scanCertificate(regionVectors v: [Double], threshold: Double) -> CertificateScan {
        let d = dimension
        let r = numberOfRegions
        let chunks = min(r, 4 * ProcessInfo.processInfo.activeProcessorCount)
        let chunkSize = (r + chunks - 1) / max(chunks, 1)
        nonisolated(unsafe) var partial = [CertificateScan](
            repeating: CertificateScan(maxValue: 0, argmaxRegion: -1, argmaxSign: 0, extremes: []), count: chunks)
        let vectors = v
        let arrangement = self
        partial.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var projector = ConeProjector(dimension: d)
                var scan = CertificateScan(maxValue: 0, argmaxRegion: -1, argmaxSign: 0, extremes: [])
                var minus = [Double](repeating: 0, count: d)
                var proj = [Double](repeating: 0, count: d)
                arrangement.rays.withUnsafeBufferPointer { rays in
                    vectors.withUnsafeBufferPointer { vs in
                        proj.withUnsafeMutableBufferPointer { pr in
                            for k in min(r, chunk * chunkSize)..<min(r, (chunk + 1) * chunkSize) {
                                let vk = UnsafeBufferPointer(rebasing: vs[(k * d)..<(k * d + d)])
                                var n2 = 0.0
                                for t in 0..<d { n2 += vk[t] * vk[t] }
                                guard n2.squareRoot() > threshold else { continue }
                                let rayIndices = arrangement.rayIndices(ofRegion: k)
                                for sign in [1, -1] {
                                    var value: Double
                                    if !n2.isFinite {
                                        // Overflow (huge duals or points): the value is unknown, so it counts as
                                        // unbounded; a lower bound built on this scan is then 0, never too high.
                                        value = .infinity
                                    } else if sign == 1 {
                                        value = projector.project(vk, rays: rays, indices: rayIndices, into: pr)
                                    } else {
                                        for t in 0..<d { minus[t] = -vk[t] }
                                        value = minus.withUnsafeBufferPointer {
                                            projector.project($0, rays: rays, indices: rayIndices, into: pr)
                                        }
                                    }
                                    if value.isNaN { value = .infinity }
                                    if value > scan.maxValue {
                                        scan.maxValue = value
                                        scan.argmaxRegion = k
                                        scan.argmaxSign = sign
                                    }
                                    if value > threshold {
                                        scan.extremes.append(.init(region: k, sign: sign, value: value))
                                    }
                                }
                            }
                        }
                    }
                }
                out[chunk] = scan
            }
        }
        var total = CertificateScan(maxValue: 0, argmaxRegion: -1, argmaxSign: 0, extremes: [])
        for scan in partial {
            if scan.maxValue > total.maxValue {
                total.maxValue = scan.maxValue
                total.argmaxRegion = scan.argmaxRegion
                total.argmaxSign = scan.argmaxSign
            }
            total.extremes.append(contentsOf: scan.extremes)
        }
        return total
    }

    /// The certificate's extreme point on one region side: the unit vector `Π(±v_s)/‖Π(±v_s)‖` maximising
    /// `±η` on region `k` (nil when the projection vanishes).
    public func extremePoint(region k: Int, sign: Int, regionVector v: ArraySlice<Double>) -> [Double]? {
        let d = dimension
        var projector = ConeProjector(dimension: d)
        let signed = v.map { Double(sign) * $0 }
        var out = [Double](repeating: 0, count: d)
        let value = rays.withUnsafeBufferPointer { rays in
            signed.withUnsafeBufferPointer { vs in
                out.withUnsafeMutableBufferPointer {
                    projector.project(vs, rays: rays, indices: rayIndices(ofRegion: k), into: $0)
                }
            }
        }
        guard value > 0, value.isFinite else { return nil }
        return out.map { $0 / value }
    }
}
