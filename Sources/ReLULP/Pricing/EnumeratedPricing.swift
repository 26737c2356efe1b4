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

    /// Scans the regions whose `‖v_s‖` reaches `threshold · (1 − 1e-3)`, lazily for the `keep` largest sides: the
    /// maximum is then exact just below the threshold too (near an optimum, max |η| slightly under 1 is what a
    /// certificate reports).
    public func price(
        dual p: [Double], threshold: Double, keep: Int?, deadline: Deadline, maxNodes: Int?,
        progress: (@Sendable (String) -> Void)?
    ) -> PricingResult {
        let vectors = regions.regionVectors(dual: p)
        let scan = regions.scanCertificate(regionVectors: vectors, threshold: threshold * (1 - 1e-3), limit: keep)
        let sides = scan.extremes.filter { $0.value > threshold }.sorted { $0.precedes($1) }
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
/// pricing costs O(R·d) plus a bound from the region's extreme rays and a small projection for the regions whose
/// bound reaches the threshold (with a limit, only for those whose bound can reach the largest sides).
public struct CertificateScan: Sendable {
    /// One region whose certificate reaches the scan's threshold, with the sign of the extreme value.
    public struct Extreme: Sendable, Equatable {
        public var region: Int
        /// +1: the maximum of η (a positive neuron), −1: the minimum (a negative neuron).
        public var sign: Int
        /// `‖Π(±v_s)‖`: λ times the extreme value of |η| on the region.
        public var value: Double

        /// The scan's order of sides: the larger value first, then the lower region, the maximum before the minimum
        /// (a total order, so a scan cut by `limit` returns the same sides as a full one).
        public func precedes(_ other: Extreme) -> Bool {
            value != other.value
                ? value > other.value : region != other.region ? region < other.region : sign > other.sign
        }
    }

    /// `max_w |Σ_j p_j σ(⟨w, x̃_j⟩)|` over the sphere when it is at least `threshold` (with or without a limit);
    /// otherwise a value below `threshold` (the regions under it are only bounded, not projected). `+∞` when the
    /// arithmetic overflowed, so that no bound is ever built on a value that is too small.
    public var maxValue: Double
    /// The first side in the scan's order (`Extreme.precedes`) attaining `maxValue`; region −1 when no region
    /// reached the threshold.
    public var argmaxRegion: Int
    public var argmaxSign: Int
    /// Every region side whose extreme value exceeds `threshold`, by region; with a `limit`, the `limit` first of
    /// them in the scan's order.
    public var extremes: [Extreme]
}

/// A region that may reach the scan's threshold, with the ray bounds on its sides' values (`sideBounds`) and the
/// larger of them, `norm`, by which the scan orders regions.
private struct RegionNorm {
    var norm: Double
    var region: Int
    var plus: Double
    var minus: Double
}

extension [RegionNorm] {
    /// Moves the `count` largest norms of `self[start...]` to its front, in no order (quickselect, O(size)).
    fileprivate mutating func moveLargest(from start: Int, count: Int) {
        var (low, high, wanted) = (start, self.count, count)
        while wanted > 0, high - low > wanted {
            let pivot = Swift.max(
                Swift.min(self[low].norm, self[high - 1].norm),
                Swift.min(Swift.max(self[low].norm, self[high - 1].norm), self[(low + high) / 2].norm))
            let above = self[low..<high].partition { $0.norm <= pivot }
            if above - low >= wanted {
                high = above
                continue
            }
            // The pivot's ties follow those above it: as many as needed of them join.
            let equal = self[above..<high].partition { $0.norm < pivot }
            guard equal - low < wanted else { return }
            wanted -= equal - low
            low = equal
        }
    }
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

    /// `scanCertificate(regionVectors:threshold:limit:)` for the dual `p`.
    public func scanCertificate(dual p: [Double], threshold: Double, limit: Int? = nil) -> CertificateScan {
        scanCertificate(regionVectors: regionVectors(dual: p), threshold: threshold, limit: limit)
    }

    /// Scans the regions for the extreme values of `Σ_j p_j σ(⟨w, x̃_j⟩)`, from region vectors computed with
    /// `regionVectors(dual:)` (callers that also need extreme points reuse them). A side's value is at most its ray
    /// bound (`sideBounds`, at most `‖v_s‖`), so regions whose bounds do not exceed `threshold` are skipped; with a
    /// `limit` the others are projected in decreasing bound, in batches on all cores, until no region left can enter
    /// the `limit` largest sides or raise the maximum (docs/mathematics.md §4, "The lazy scan"); without one, all.
    public func scanCertificate(regionVectors v: [Double], threshold: Double, limit: Int? = nil) -> CertificateScan {
        let d = dimension
        // The regions that can reach the threshold, with the ray bounds of their sides (at most ‖v_s‖; NaN, from an
        // overflow, counts as unbounded).
        var order: [RegionNorm] = []
        v.withUnsafeBufferPointer { vs in
            rays.withUnsafeBufferPointer { rays in
                for k in 0..<numberOfRegions {
                    var n2 = 0.0
                    for t in (k * d)..<(k * d + d) { n2 += vs[t] * vs[t] }
                    let norm = n2.isNaN ? .infinity : n2.squareRoot()
                    guard norm > threshold else { continue }
                    let (plus, minus) = sideBounds(
                        region: k, regionVector: UnsafeBufferPointer(rebasing: vs[(k * d)..<(k * d + d)]),
                        norm: norm, rays: rays)
                    let bound = max(plus, minus)
                    if bound > threshold { order.append(RegionNorm(norm: bound, region: k, plus: plus, minus: minus)) }
                }
            }
        }
        // The scan keeps the `max(limit, 1)` first sides of the order: the last of them bounds what may follow.
        // A negative limit counts as 0.
        let limit = limit.map { max($0, 0) }
        let keep = limit.map { max($0, 1) }
        var best: CertificateScan.Extreme? = nil
        var extremes: [CertificateScan.Extreme] = []
        var start = 0
        var size = keep.map { 4 * $0 + 256 } ?? order.count
        while start < order.count {
            let end = order.count - start > size ? start + size : order.count
            if end < order.count { order.moveLargest(from: start, count: end - start) }
            // Every side left is at most the largest bound left, which is in this batch.
            if let keep, extremes.count == keep, let last = extremes.last,
                let next = order[start..<end].lazy.map(\.norm).max(), next < last.value
            {
                break
            }
            let batch = projectSides(order[start..<end], regionVectors: v, threshold: threshold)
            if let top = batch.best, best.map({ top.precedes($0) }) ?? true { best = top }
            if let keep {
                // Only sides that reach the last kept one can enter (a side of equal value may precede it).
                let floor = extremes.count == keep ? extremes[keep - 1].value : -.infinity
                let entering = batch.sides.filter { $0.value >= floor }
                extremes = Array((extremes + entering).sorted { $0.precedes($1) }.prefix(keep))
            } else {
                extremes += batch.sides
            }
            start = end
            size = size > order.count ? size : 2 * size
        }
        if let limit, extremes.count > limit { extremes.removeLast(extremes.count - limit) }
        return CertificateScan(
            maxValue: best?.value ?? 0, argmaxRegion: best?.region ?? -1, argmaxSign: best?.sign ?? 0,
            extremes: extremes)
    }

    /// Projects both sides of the given regions on all cores: the first side in the scan's order with a positive
    /// value, and every side above `threshold` (in the given order of regions, the maximum before the minimum).
    private func projectSides(
        _ batch: ArraySlice<RegionNorm>, regionVectors v: [Double], threshold: Double
    ) -> (best: CertificateScan.Extreme?, sides: [CertificateScan.Extreme]) {
        let d = dimension
        let count = batch.count
        let chunks = min(count, 4 * ProcessInfo.processInfo.activeProcessorCount)
        let chunkSize = (count + chunks - 1) / max(chunks, 1)
        nonisolated(unsafe) var partial = [(best: CertificateScan.Extreme?, sides: [CertificateScan.Extreme])](
            repeating: (nil, []), count: chunks)
        let arrangement = self
        let regions = Array(batch)
        partial.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var projector = ConeProjector(dimension: d)
                var found: (best: CertificateScan.Extreme?, sides: [CertificateScan.Extreme]) = (nil, [])
                var minus = [Double](repeating: 0, count: d)
                var proj = [Double](repeating: 0, count: d)
                arrangement.rays.withUnsafeBufferPointer { rays in
                    v.withUnsafeBufferPointer { vs in
                        proj.withUnsafeMutableBufferPointer { pr in
                            for i in min(count, chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize) {
                                let (norm, k) = (regions[i].norm, regions[i].region)
                                let (plusBound, minusBound) = (regions[i].plus, regions[i].minus)
                                let vk = UnsafeBufferPointer(rebasing: vs[(k * d)..<(k * d + d)])
                                let rayIndices = arrangement.rayIndices(ofRegion: k)
                                for sign in [1, -1] {
                                    var value: Double
                                    if !norm.isFinite {
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
                                    // At most the side's ray bound, as the exact projection (the active-set solve
                                    // may overshoot by rounding): the lazy scan's stop rests on it.
                                    value = value.isNaN ? .infinity : min(value, sign == 1 ? plusBound : minusBound)
                                    let side = CertificateScan.Extreme(region: k, sign: sign, value: value)
                                    if value > 0, found.best.map({ side.precedes($0) }) ?? true { found.best = side }
                                    if value > threshold { found.sides.append(side) }
                                }
                            }
                        }
                    }
                }
                out[chunk] = found
            }
        }
        var total: (best: CertificateScan.Extreme?, sides: [CertificateScan.Extreme]) = (nil, [])
        for found in partial {
            if let top = found.best, total.best.map({ top.precedes($0) }) ?? true { total.best = top }
            total.sides += found.sides
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
