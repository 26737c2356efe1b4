import Dispatch
import Foundation

// MARK: - Hyperplane classes

/// Points grouped by the line through the origin that they span.
struct HyperplaneClasses {
    var pointClass: [Int32]
    var pointFlipped: [Bool]
    /// Unit normals in R^d, `count × d`.
    var normals: [Double]
    var count: Int

    init(_ points: LiftedData) {
        let n = points.count
        let d = points.dimension
        pointClass = [Int32](repeating: -1, count: n)
        pointFlipped = [Bool](repeating: false, count: n)
        normals = []
        count = 0
        guard d > 0 else { return }
        var norms = [Double](repeating: 0, count: n)
        var largest = 0.0
        points.values.withUnsafeBufferPointer { x in
            for j in 0..<n {
                var s = 0.0
                for i in 0..<d { s += x[j * d + i] * x[j * d + i] }
                norms[j] = s.squareRoot()
                largest = max(largest, norms[j])
            }
        }
        guard largest > 0 else { return }
        let threshold = 0.5 / Double(d).squareRoot()
        var buckets: [[Int64]: [Int32]] = [:]
        var u = [Double](repeating: 0, count: d)
        let grid = Double(1 << 24)
        for j in 0..<n where norms[j] > Tolerance.zeroPoint * largest {
            for i in 0..<d { u[i] = points.values[j * d + i] / norms[j] }
            // canonical orientation: the first clearly non-zero coordinate is positive
            var flip = false
            for i in 0..<d where abs(u[i]) > threshold {
                flip = u[i] < 0
                break
            }
            if flip { for i in 0..<d { u[i] = -u[i] } }
            let key = u.map { Int64(($0 * grid).rounded()) }
            var found: Int32 = -1
            for c in buckets[key] ?? [] {
                var same = true
                for i in 0..<d where abs(normals[Int(c) * d + i] - u[i]) > Tolerance.sameHyperplane {
                    same = false
                    break
                }
                if same {
                    found = c
                    break
                }
            }
            if found < 0 {
                found = Int32(count)
                count += 1
                normals.append(contentsOf: u)
                buckets[key, default: []].append(found)
            }
            pointClass[j] = found
            pointFlipped[j] = flip
        }
    }
}

// MARK: - Region hash table

/// Open-addressing hash set of packed sign vectors (`width` words each), numbering them in insertion order.
struct RegionTable {
    let width: Int
    var words: [UInt64] = []
    var slots: [Int32]
    var count = 0

    init(width: Int, expected: Int) {
        self.width = width
        var capacity = 1024
        while capacity < 2 * min(max(expected, 1), 1 << 26) { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        words.reserveCapacity(min(max(expected, 1), 1 << 24) * width)
    }

    @inline(__always) static func hash(_ key: UnsafeBufferPointer<UInt64>, _ width: Int) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<width {
            h = (h ^ key[i]) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
        }
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The number of `key` (inserting it if new).
    mutating func insert(_ key: UnsafeBufferPointer<UInt64>) -> Int32 {
        let w = width
        var mask = slots.count - 1
        var index = RegionTable.hash(key, w) & mask
        let found: Int32? = words.withUnsafeBufferPointer { stored in
            slots.withUnsafeBufferPointer { table in
                while true {
                    let s = table[index]
                    if s < 0 { return nil }
                    let base = Int(s) * w
                    var equal = true
                    for i in 0..<w where stored[base + i] != key[i] {
                        equal = false
                        break
                    }
                    if equal { return s }
                    index = (index + 1) & mask
                }
            }
        }
        if let found { return found }
        let id = Int32(count)
        for i in 0..<w { words.append(key[i]) }
        slots[index] = id
        count += 1
        if 2 * count > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            mask = slots.count - 1
            words.withUnsafeBufferPointer { stored in
                slots.withUnsafeMutableBufferPointer { table in
                    for r in 0..<count {
                        var i = RegionTable.hash(UnsafeBufferPointer(rebasing: stored[r * w..<(r + 1) * w]), w) & mask
                        while table[i] >= 0 { i = (i + 1) & mask }
                        table[i] = Int32(r)
                    }
                }
            }
        }
        return id
    }
}

/// Canonical lines (1-dimensional intersections) found for one first class index.
final class LineBatch: @unchecked Sendable {
    var rays: [Double] = []
    var zeroStart: [Int] = [0]
    var zero: [Int32] = []
    var bits: [UInt64] = []
}

/// How far a long region enumeration has got: for a progress line while it runs.
public struct EnumerationProgress: Sendable, Equatable, CustomStringConvertible {
    /// Distinct regions found so far.
    public var regions: Int
    /// Seconds since the enumeration started.
    public var seconds: Double
    /// The general-position bound: no more regions than this exist (the total is usually close to it).
    public var bound: Int

    /// Regions found per second so far.
    public var rate: Double { seconds > 0 ? Double(regions) / seconds : 0 }

    public init(regions: Int, seconds: Double, bound: Int) {
        self.regions = regions
        self.seconds = seconds
        self.bound = bound
    }

    /// The progress line: found so far, rate, the bound on the total and the time left at this rate.
    public var description: String {
        let left = rate > 0 ? Double(max(0, bound - regions)) / rate : 0
        return String(
            format:
                "regions: %d found in %.1f s (%.0f/s), at most %d in all (general-position bound): ~%.0f s more at this rate",
            regions, seconds, rate, bound, left)
    }
}

/// Calls a progress handler every `interval` seconds (the first time after one interval); reads the clock
/// only when `tick` is called, which the enumeration does once per 1024 lines.
struct ProgressClock {
    let report: ((EnumerationProgress) -> Void)?
    let bound: Int
    let interval: UInt64
    let start = DispatchTime.now().uptimeNanoseconds
    var next: UInt64

    init(report: ((EnumerationProgress) -> Void)?, bound: Int, interval: Double) {
        self.report = report
        self.bound = bound
        self.interval = UInt64(max(0, interval) * 1e9)
        next = self.interval
    }

    mutating func tick(regions: Int) {
        guard let report else { return }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        guard elapsed >= next else { return }
        next = elapsed + interval
        report(EnumerationProgress(regions: regions, seconds: Double(elapsed) / 1e9, bound: bound))
    }
}

extension Arrangement {
    /// Enumerates every full-dimensional region of the central arrangement of the hyperplanes
    /// `{w : ⟨w, x̃_j⟩ = 0}`, exactly (also for repeated, parallel, zero and subspace-confined points).
    ///
    /// Throws `.tooManyRegions` before any work when the general-position bound of the distinct hyperplanes in
    /// the span of the points exceeds `maxRegions`. `progress` is called on the calling thread every
    /// `progressInterval` seconds while regions are found (rank ≥ 3 only: lower ranks take linear time); there
    /// too, a `deadline` that passes ends the enumeration (`.deadlinePassed`) within `Context.workPerCheck`.
    public static func enumerate(
        _ points: LiftedData, maxRegions: Int = Arrangement.defaultMaxRegions,
        progress: ((EnumerationProgress) -> Void)? = nil,
        progressInterval: Double = 1, deadline: Deadline = .none
    ) throws(ArrangementError) -> Arrangement {
        if let (j, value) = points.firstUnusableCoordinate() { throw .unusablePoint(index: j, value: value) }
        let n = points.count
        let d = points.dimension
        let classes = HyperplaneClasses(points)
        let k = classes.count
        let basis = orthonormalBasis(rows: classes.normals, count: k, dim: d)
        let r = d == 0 ? 0 : basis.count / d
        let estimate = generalPositionBound(points: k, dimension: r)
        guard estimate <= maxRegions else { throw .tooManyRegions(estimate: estimate, limit: maxRegions) }

        // class normals in span coordinates, unit
        var normals = [Double](repeating: 0, count: k * r)
        for c in 0..<k {
            var s = 0.0
            for l in 0..<r {
                var p = 0.0
                for i in 0..<d { p += classes.normals[c * d + i] * basis[l * d + i] }
                normals[c * r + l] = p
                s += p * p
            }
            s = s.squareRoot()
            for l in 0..<r { normals[c * r + l] /= s }
        }
        // class → points
        var classPointStart = [Int](repeating: 0, count: k + 1)
        for j in 0..<n where classes.pointClass[j] >= 0 { classPointStart[Int(classes.pointClass[j]) + 1] += 1 }
        for c in 0..<k { classPointStart[c + 1] += classPointStart[c] }
        var fill = classPointStart
        var classPoint = [Int32](repeating: 0, count: classPointStart[k])
        for j in 0..<n where classes.pointClass[j] >= 0 {
            let c = Int(classes.pointClass[j])
            classPoint[fill[c]] = Int32(j)
            fill[c] += 1
        }
        let context = Context(
            points: points, n: n, d: d, k: k, r: r, basis: basis, normals: normals,
            pointClass: classes.pointClass, pointFlipped: classes.pointFlipped,
            classPointStart: classPointStart, classPoint: classPoint)
        switch r {
        case 0: return context.trivial()
        case 1: return context.line()
        case 2: return context.plane()
        default:
            return try context.general(
                expected: estimate,
                clock: ProgressClock(report: progress, bound: estimate, interval: progressInterval),
                deadline: deadline)
        }
    }
}

/// Shared state of one enumeration.
struct Context {
    let points: LiftedData
    let n: Int, d: Int, k: Int, r: Int
    /// Orthonormal basis of the span, `r × d` rows.
    let basis: [Double]
    /// Class normals in span coordinates, `k × r`.
    let normals: [Double]
    let pointClass: [Int32]
    let pointFlipped: [Bool]
    let classPointStart: [Int]
    let classPoint: [Int32]

    var words: Int { (k + 63) >> 6 }

    /// Maps span coordinates to a unit vector of R^d.
    func lift(_ rho: ArraySlice<Double>) -> [Double] {
        var x = [Double](repeating: 0, count: d)
        for (l, value) in rho.enumerated() { for i in 0..<d { x[i] += value * basis[l * d + i] } }
        let s = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return s > 0 ? x.map { $0 / s } : x
    }

    func make(
        rays reduced: [Double], regionRayStart: [Int], regionRayIndex: [Int32], parent: [Int32],
        changeStart: [Int], changePoint: [Int32], changeTurnsOn: [Bool], rayClassStart: [Int],
        rayClass: [Int32], regionClassSigns: [UInt64], classRayPositions: [Int32] = []
    ) -> Arrangement {
        var rays: [Double] = []
        let count = r == 0 ? 0 : reduced.count / r
        rays.reserveCapacity(count * d)
        for i in 0..<count { rays.append(contentsOf: lift(reduced[i * r..<(i + 1) * r])) }
        return Arrangement(
            points: points, rays: rays, regionRayStart: regionRayStart, regionRayIndex: regionRayIndex,
            parent: parent, changeStart: changeStart, changePoint: changePoint, changeTurnsOn: changeTurnsOn,
            rank: r, pointClass: pointClass, pointFlipped: pointFlipped, classPointStart: classPointStart,
            classPoint: classPoint, classNormals: normals, reducedRays: reduced, rayClassStart: rayClassStart,
            rayClass: rayClass, classWords: words, regionClassSigns: regionClassSigns,
            classRayPositions: classRayPositions)
    }

    /// Appends the points of the classes whose bit differs, with their new state.
    func appendChanges(
        classes: [Int], childPositive: (Int) -> Bool, points changePoint: inout [Int32], turnsOn: inout [Bool]
    ) {
        var list: [(Int32, Bool)] = []
        for c in classes {
            let positive = childPositive(c)
            for e in classPointStart[c]..<classPointStart[c + 1] {
                let j = Int(classPoint[e])
                list.append((Int32(j), positive != pointFlipped[j]))
            }
        }
        if classes.count > 1 { list.sort { $0.0 < $1.0 } }
        for (j, on) in list {
            changePoint.append(j)
            turnsOn.append(on)
        }
    }

    /// No hyperplane (every point zero): one region, the whole space; no rays.
    func trivial() -> Arrangement {
        make(
            rays: [], regionRayStart: [0, 0], regionRayIndex: [], parent: [-1], changeStart: [0, 0], changePoint: [],
            changeTurnsOn: [], rayClassStart: [0], rayClass: [], regionClassSigns: [UInt64](repeating: 0, count: words))
    }

    /// Rank 1: the two half-spaces `⟨w, q⟩ > 0` and `< 0`; rays ±q.
    func line() -> Arrangement {
        var signs = [UInt64](repeating: 0, count: 2 * words)
        for c in 0..<k {
            if normals[c] > 0 {
                signs[c >> 6] |= 1 << UInt64(c & 63)
            } else {
                signs[words + c >> 6] |= 1 << UInt64(c & 63)
            }
        }
        var changePoint: [Int32] = []
        var turnsOn: [Bool] = []
        appendChanges(
            classes: Array(0..<k), childPositive: { normals[$0] < 0 }, points: &changePoint, turnsOn: &turnsOn)
        return make(
            rays: [1, -1], regionRayStart: [0, 1, 2], regionRayIndex: [0, 1], parent: [-1, 0],
            changeStart: [0, 0, changePoint.count], changePoint: changePoint, changeTurnsOn: turnsOn,
            rayClassStart: [0, 0, 0], rayClass: [], regionClassSigns: signs)
    }

    /// Rank 2: walk around the circle.
    func plane() -> Arrangement {
        let circle = Circle(normals: normals, count: k)
        let g = circle.count
        var positions = [Int32](repeating: -1, count: 2 * k)
        for ray in 0..<g {
            for e in circle.memberStart[ray]..<circle.memberStart[ray + 1] {
                let c = Int(circle.member[e])
                if positions[2 * c] < 0 { positions[2 * c] = Int32(ray) } else { positions[2 * c + 1] = Int32(ray) }
            }
        }
        var sign0 = [UInt64](repeating: 0, count: words)
        for c in 0..<k where circle.sign0[c] { sign0[c >> 6] |= 1 << UInt64(c & 63) }
        var regionRayIndex = [Int32](repeating: 0, count: 2 * g)
        var regionRayStart = [Int](repeating: 0, count: g + 1)
        var parent = [Int32](repeating: -1, count: g)
        var changeStart = [0, 0]
        var changePoint: [Int32] = []
        var turnsOn: [Bool] = []
        var current = circle.sign0
        for region in 0..<g {
            let a = Int32(region)
            let b = Int32((region + 1) % g)
            regionRayIndex[2 * region] = min(a, b)
            regionRayIndex[2 * region + 1] = max(a, b)
            regionRayStart[region + 1] = 2 * (region + 1)
            if region > 0 {
                parent[region] = Int32(region - 1)
                let crossed = (circle.memberStart[region]..<circle.memberStart[region + 1]).map {
                    Int(circle.member[$0])
                }
                for c in crossed { current[c].toggle() }
                appendChanges(
                    classes: crossed.sorted(), childPositive: { current[$0] }, points: &changePoint, turnsOn: &turnsOn)
                changeStart.append(changePoint.count)
            }
        }
        if g == 0 { changeStart = [0] }
        return make(
            rays: circle.direction, regionRayStart: regionRayStart, regionRayIndex: regionRayIndex, parent: parent,
            changeStart: changeStart, changePoint: changePoint, changeTurnsOn: turnsOn,
            rayClassStart: circle.memberStart, rayClass: circle.member, regionClassSigns: sign0,
            classRayPositions: positions)
    }

    /// Phase A for first class `a`: every canonical line whose generating subset starts with `a`.
    func lines(first a: Int, into batch: LineBatch) {
        if r == 3 { return lines3(first: a, into: batch) }
        let m = r - 1
        let w = words
        var subset = [Int](repeating: 0, count: m)
        subset[0] = a
        for l in 1..<m { subset[l] = a + l }
        if subset[m - 1] >= k { return }
        var rows = [Double](repeating: 0, count: m * r)
        var scratch: [Double] = []
        var dots = [Double](repeating: 0, count: k)
        var zero: [Int] = []
        normals.withUnsafeBufferPointer { v in
            while true {
                for l in 0..<m { for i in 0..<r { rows[l * r + i] = v[subset[l] * r + i] } }
                let solved = rows.withUnsafeBufferPointer { nullVector(rows: $0, dim: r, scratch: &scratch) }
                if let (rho, conditioning) = solved {
                    let tol = Tolerance.incidence(conditioning: conditioning)
                    var canonical = true
                    zero.removeAll(keepingCapacity: true)
                    rho.withUnsafeBufferPointer { p in
                        dots.withUnsafeMutableBufferPointer { out in
                            for c in 0..<k {
                                let value = dot(v, from: c * r, p, r)
                                out[c] = value
                                if abs(value) <= tol {
                                    if c < a {
                                        canonical = false
                                        return
                                    }
                                    zero.append(c)
                                }
                            }
                        }
                    }
                    if canonical {
                        for c in subset where !zero.contains(c) { zero.append(c) }  // numerically forced
                        if zero.count > m {
                            zero.sort()
                            canonical = greedyBasis(of: zero, coords: normals, dim: r, size: m) == subset
                        }
                    }
                    if canonical {
                        batch.rays.append(contentsOf: rho)
                        for c in zero {
                            batch.zero.append(Int32(c))
                            dots[c] = 0
                        }
                        batch.zeroStart.append(batch.zero.count)
                        let base = batch.bits.count
                        batch.bits.append(contentsOf: repeatElement(0, count: w))
                        for c in 0..<k where dots[c] > 0 { batch.bits[base + c >> 6] |= 1 << UInt64(c & 63) }
                    }
                }
                // next subset with the same first element
                var i = m - 1
                while i >= 1 && subset[i] == k - m + i { i -= 1 }
                if i < 1 { break }
                subset[i] += 1
                for l in (i + 1)..<m { subset[l] = subset[l - 1] + 1 }
            }
        }
    }

    /// Phase A specialised to rank 3 (pairs, cross products), one pass over the classes per pair, the sign
    /// bits accumulated a word at a time.
    func lines3(first a: Int, into batch: LineBatch) {
        let w = words
        var bits = [UInt64](repeating: 0, count: w)
        var zero: [Int] = []
        normals.withUnsafeBufferPointer { v in
            let ax = v[3 * a]
            let ay = v[3 * a + 1]
            let az = v[3 * a + 2]
            for b in (a + 1)..<k {
                let bx = v[3 * b]
                let by = v[3 * b + 1]
                let bz = v[3 * b + 2]
                var x = ay * bz - az * by
                var y = az * bx - ax * bz
                var z = ax * by - ay * bx
                let s = (x * x + y * y + z * z).squareRoot()
                if s <= Tolerance.dependent { continue }
                x /= s
                y /= s
                z /= s
                let tol = Tolerance.incidence(conditioning: s)
                var canonical = true
                zero.removeAll(keepingCapacity: true)
                bits.withUnsafeMutableBufferPointer { out in
                    for word in 0..<w {
                        var acc: UInt64 = 0
                        let lo = word << 6
                        let hi = min(k, lo + 64)
                        for c in lo..<hi {
                            let value = v[3 * c] * x + v[3 * c + 1] * y + v[3 * c + 2] * z
                            acc |= (value > tol ? 1 : 0) << UInt64(c & 63)
                            if abs(value) <= tol {
                                if c < a {
                                    canonical = false
                                    return
                                }
                                zero.append(c)
                            }
                        }
                        out[word] = acc
                    }
                }
                if !canonical { continue }
                // a and b lie on the ray by construction
                for c in [a, b] {
                    bits[c >> 6] &= ~(1 << UInt64(c & 63))
                    if !zero.contains(c) {
                        zero.append(c)
                        zero.sort()
                    }
                }
                if zero.count > 2 && greedyBasis(of: zero, coords: normals, dim: 3, size: 2) != [a, b] { continue }
                batch.rays.append(x)
                batch.rays.append(y)
                batch.rays.append(z)
                for c in zero { batch.zero.append(Int32(c)) }
                batch.zeroStart.append(batch.zero.count)
                batch.bits.append(contentsOf: bits)
            }
        }
    }

    /// Rank ≥ 3: rays first (phase A, `lines`), the regions around each ray next (phase B), then the regions
    /// numbered breadth-first along a spanning tree of their adjacency, as `Arrangement` stores them.
    func general(expected: Int, clock: ProgressClock, deadline: Deadline) throws(ArrangementError) -> Arrangement {
        var graph = RegionGraph(words: words, dimension: r, expected: expected)
        try collectRegions(into: &graph, clock: clock, deadline: deadline)
        graph.connectStrayComponents()
        let tree = graph.breadthFirstTree()
        let regions = renumbered(graph.table, tree)
        let (regionRayStart, regionRayIndex) = graph.regionRays(newId: tree.newId)
        return make(
            rays: graph.reducedRays, regionRayStart: regionRayStart, regionRayIndex: regionRayIndex,
            parent: regions.parent, changeStart: regions.changeStart, changePoint: regions.changePoint,
            changeTurnsOn: regions.turnsOn, rayClassStart: graph.rayClassStart, rayClass: graph.rayClass,
            regionClassSigns: regions.signs)
    }

    /// Phase A in parallel batches of first class indices; phase B on each batch's lines, in order. The deadline
    /// is read before each first index of phase A and in phase B after every `workPerCheck` units of work (a line
    /// costs its local arrangement's patterns and pairs, 2^(r−1)(r + 1) in general position), so at a rate that
    /// does not depend on the dimension: every 1024 lines made a check every 4 s in 11-D (debug build).
    func collectRegions(
        into graph: inout RegionGraph, clock: ProgressClock, deadline: Deadline
    ) throws(ArrangementError) {
        var clock = clock
        var work = 0
        let m = r - 1
        let orthants = LocalArrangement.orthants(m)
        var scratch = RegionScratch(classes: k)
        let firsts = max(0, k - m + 1)
        // First index a has C(k − a − 1, m − 1) candidate lines. A batch of first indices runs in parallel and
        // the progress clock ticks between batches, so a batch holds about 2^18 lines at most (well under a
        // second) unless that leaves fewer than two first indices per core; never more than 64.
        let minimumBatch = 2 * ProcessInfo.processInfo.activeProcessorCount
        func linesOf(first a: Int) -> Double {
            var lines = 1.0
            for i in 0..<m - 1 { lines = lines * Double(k - a - 1 - i) / Double(i + 1) }
            return lines
        }
        var start = 0
        while start < firsts {
            if deadline.expired { throw .deadlinePassed(regions: graph.table.count) }
            var end = start
            var lines = 0.0
            while end < firsts && end - start < 64 && (end - start < minimumBatch || lines < 262_144) {
                lines += linesOf(first: end)
                end += 1
            }
            let batches = (start..<end).map { _ in LineBatch() }
            let ctx = self
            let first = start
            DispatchQueue.concurrentPerform(iterations: end - start) { t in
                guard !deadline.expired else { return }
                ctx.lines(first: first + t, into: batches[t])
            }
            if deadline.expired { throw .deadlinePassed(regions: graph.table.count) }
            for batch in batches {
                for line in 0..<batch.zeroStart.count - 1 {
                    if work >= Self.workPerCheck {
                        work = 0
                        clock.tick(regions: graph.table.count)
                        if deadline.expired { throw .deadlinePassed(regions: graph.table.count) }
                    }
                    work += addRegions(around: line, of: batch, orthants: orthants, to: &graph, scratch: &scratch)
                }
            }
            start = end
        }
    }

    /// The work of phase B between two readings of the deadline and ticks of the progress clock, in patterns and
    /// pairs of local arrangements (`addRegions`): 2^16, about 3 lines in 11-D and 4096 in 3-D.
    static let workPerCheck = 1 << 16

    /// Phase B for one line of a batch: the regions around its ray ρ and around −ρ, and their adjacencies; returns
    /// the work done (patterns and pairs of the local arrangement, both orientations).
    func addRegions(
        around line: Int, of batch: LineBatch, orthants: LocalArrangement, to graph: inout RegionGraph,
        scratch: inout RegionScratch
    ) -> Int {
        let w = words
        let zs = batch.zero[batch.zeroStart[line]..<batch.zeroStart[line + 1]].map { Int($0) }
        let rho = Array(batch.rays[line * r..<(line + 1) * r])
        let local = zs.count == r - 1 ? orthants : localArrangement(through: zs, ray: rho)
        for i in 0..<w { scratch.nonZero[i] = scratch.valid[i] }
        for c in zs { scratch.nonZero[c >> 6] &= ~(1 << UInt64(c & 63)) }
        for orientation in 0..<2 {
            for i in 0..<w {
                let b = batch.bits[line * w + i]
                scratch.base[i] = orientation == 0 ? b : (~b & scratch.nonZero[i])
            }
            graph.addRay(orientation == 0 ? rho : rho.map { -$0 }, classes: zs, local: local, scratch: &scratch)
        }
        return 2 * (local.patterns.count + local.pairs.count)
    }

    /// The local arrangement of the classes `zs` through a degenerate ray ρ (more than r − 1 of them), in ρ^⊥.
    func localArrangement(through zs: [Int], ray rho: [Double]) -> LocalArrangement {
        let m = r - 1
        let complement = complementBasis(rho)
        var sub = [Double](repeating: 0, count: zs.count * m)
        for (z, c) in zs.enumerated() {
            for l in 0..<m {
                var p = 0.0
                for i in 0..<r { p += normals[c * r + i] * complement[l * r + i] }
                sub[z * m + l] = p
            }
        }
        return LocalArrangement(
            patterns: smallArrangementRegions(normals: sub, count: zs.count, dim: m),
            classes: zs.count)
    }

    /// The regions renumbered in `tree`'s order: their sign vectors, their parents, and the points whose side
    /// changes from a region's parent to it.
    func renumbered(_ table: RegionTable, _ tree: RegionTree)
        -> (signs: [UInt64], parent: [Int32], changeStart: [Int], changePoint: [Int32], turnsOn: [Bool])
    {
        let w = words
        let regionCount = table.count
        var signs = [UInt64](repeating: 0, count: regionCount * w)
        var parent = [Int32](repeating: -1, count: regionCount)
        var changeStart = [0]
        var changePoint: [Int32] = []
        var turnsOn: [Bool] = []
        for (new, oldId) in tree.order.enumerated() {
            let old = Int(oldId)
            for i in 0..<w { signs[new * w + i] = table.words[old * w + i] }
            if new == 0 {
                changeStart.append(0)
                continue
            }
            let p = Int(tree.parentOld[old])
            parent[new] = tree.newId[p]
            var crossed: [Int] = []
            for i in 0..<w {
                var diff = table.words[old * w + i] ^ table.words[p * w + i]
                while diff != 0 {
                    crossed.append(i << 6 + diff.trailingZeroBitCount)
                    diff &= diff - 1
                }
            }
            appendChanges(
                classes: crossed,
                childPositive: { c in table.words[old * w + c >> 6] >> UInt64(c & 63) & 1 == 1 },
                points: &changePoint, turnsOn: &turnsOn)
            changeStart.append(changePoint.count)
        }
        if regionCount == 0 { changeStart = [0] }
        return (signs, parent, changeStart, changePoint, turnsOn)
    }
}

/// The regions of the hyperplanes through one ray, in its orthogonal complement: each a pattern of which of
/// those classes are positive, and the pairs of patterns that differ in one class (adjacent regions).
struct LocalArrangement {
    var patterns: [[Bool]]
    var pairs: [(Int, Int)]

    /// General position (m hyperplanes through the ray): all 2^m orthants, adjacent when one bit differs.
    static func orthants(_ m: Int) -> LocalArrangement {
        let patterns: [[Bool]] = (0..<(1 << m)).map { mask in (0..<m).map { mask >> $0 & 1 == 1 } }
        var pairs: [(Int, Int)] = []
        for mask in 0..<(1 << m) {
            for bit in 0..<m where mask >> bit & 1 == 0 { pairs.append((mask, mask | 1 << bit)) }
        }
        return LocalArrangement(patterns: patterns, pairs: pairs)
    }
}

extension LocalArrangement {
    /// The given patterns of `classes` classes, adjacent when they differ in one class.
    init(patterns: [[Bool]], classes: Int) {
        var index: [[Bool]: Int] = [:]
        for (p, pattern) in patterns.enumerated() { index[pattern] = p }
        var pairs: [(Int, Int)] = []
        for (p, pattern) in patterns.enumerated() {
            var other = pattern
            for z in 0..<classes where !pattern[z] {
                other[z] = true
                if let q = index[other] { pairs.append((p, q)) }
                other[z] = false
            }
        }
        self.init(patterns: patterns, pairs: pairs)
    }
}

/// Buffers phase B reuses from ray to ray, one sign vector (`words` words) each.
struct RegionScratch {
    /// The bits of the existing classes (the last word's unused bits are off).
    let valid: [UInt64]
    /// The classes not through the current ray.
    var nonZero: [UInt64]
    /// The signs of the classes off the current ray, for its current orientation.
    var base: [UInt64]
    /// The sign vector of the region being recorded.
    var key: [UInt64]
    /// The region numbers of the current ray's local patterns.
    var localIds: [Int32] = []

    init(classes k: Int) {
        let w = (k + 63) >> 6
        var valid = [UInt64](repeating: ~0, count: w)
        if k & 63 != 0 { valid[w - 1] = (1 << UInt64(k & 63)) - 1 }
        self.valid = valid
        nonZero = [UInt64](repeating: 0, count: w)
        base = nonZero
        key = nonZero
    }
}

/// A spanning tree of the regions in breadth-first order from region 0 (numbers as `RegionGraph` found them):
/// `order[new]` is the old number of the new region `new`, `newId[old]` its new number, `parentOld[old]` the old
/// number of its parent (−1 at the root).
struct RegionTree {
    var order: [Int32]
    var newId: [Int32]
    var parentOld: [Int32]
}

/// Phase B's record of a rank ≥ 3 enumeration: the regions met around the rays (sign vectors numbered as found),
/// a spanning forest of their adjacency (union–find), the rays with the classes through them, and the ray–region
/// incidences.
struct RegionGraph {
    let words: Int
    /// The rank r: the rays' length in span coordinates.
    let dimension: Int
    var table: RegionTable
    var unionFind: [Int32] = []
    /// The spanning forest's edges, as consecutive pairs of region numbers.
    var treeEdges: [Int32] = []
    var incidenceRegion: [Int32] = []
    var incidenceRay: [Int32] = []
    var reducedRays: [Double] = []
    var rayClassStart = [0]
    var rayClass: [Int32] = []

    init(words: Int, dimension: Int, expected: Int) {
        self.words = words
        self.dimension = dimension
        table = RegionTable(width: words, expected: min(expected, 1 << 24))
    }

    /// The root of `x`'s component (with path halving).
    mutating func find(_ x: Int32) -> Int32 {
        var x = x
        while unionFind[Int(x)] != x {
            unionFind[Int(x)] = unionFind[Int(unionFind[Int(x)])]
            x = unionFind[Int(x)]
        }
        return x
    }

    /// Records a ray through the classes `zs` and the regions around it: `local`'s patterns set on top of
    /// `scratch.base`; the regions of adjacent patterns join the spanning forest.
    mutating func addRay(_ ray: [Double], classes zs: [Int], local: LocalArrangement, scratch: inout RegionScratch) {
        let rayId = Int32(reducedRays.count / dimension)
        reducedRays.append(contentsOf: ray)
        for c in zs { rayClass.append(Int32(c)) }
        rayClassStart.append(rayClass.count)
        scratch.localIds.removeAll(keepingCapacity: true)
        for pattern in local.patterns {
            for i in 0..<words { scratch.key[i] = scratch.base[i] }
            for (z, c) in zs.enumerated() where pattern[z] { scratch.key[c >> 6] |= 1 << UInt64(c & 63) }
            let id = scratch.key.withUnsafeBufferPointer { table.insert($0) }
            if Int(id) == unionFind.count { unionFind.append(id) }
            scratch.localIds.append(id)
            incidenceRegion.append(id)
            incidenceRay.append(rayId)
        }
        for (p, q) in local.pairs {
            let a = find(scratch.localIds[p])
            let b = find(scratch.localIds[q])
            if a != b {
                unionFind[Int(max(a, b))] = min(a, b)
                treeEdges.append(scratch.localIds[p])
                treeEdges.append(scratch.localIds[q])
            }
        }
    }

    /// Connects any stray component (only possible through numerical inconsistencies) to region 0.
    mutating func connectStrayComponents() {
        let regionCount = table.count
        guard regionCount > 0 else { return }
        let root0 = find(0)
        for region in 1..<max(regionCount, 1) {
            let root = find(Int32(region))
            if root != root0 && find(root) != find(0) {
                unionFind[Int(root)] = find(0)
                treeEdges.append(0)
                treeEdges.append(Int32(region))
            }
        }
    }

    /// Breadth-first search over the spanning tree from region 0.
    func breadthFirstTree() -> RegionTree {
        let regionCount = table.count
        var degreeStart = [Int](repeating: 0, count: regionCount + 1)
        for e in treeEdges { degreeStart[Int(e) + 1] += 1 }
        for i in 0..<regionCount { degreeStart[i + 1] += degreeStart[i] }
        var fillAt = degreeStart
        var neighbour = [Int32](repeating: 0, count: treeEdges.count)
        for e in stride(from: 0, to: treeEdges.count, by: 2) {
            let a = Int(treeEdges[e])
            let b = Int(treeEdges[e + 1])
            neighbour[fillAt[a]] = Int32(b)
            fillAt[a] += 1
            neighbour[fillAt[b]] = Int32(a)
            fillAt[b] += 1
        }
        var order: [Int32] = regionCount > 0 ? [0] : []
        order.reserveCapacity(regionCount)
        var newId = [Int32](repeating: -1, count: regionCount)
        var parentOld = [Int32](repeating: -1, count: regionCount)
        if regionCount > 0 { newId[0] = 0 }
        var head = 0
        while head < order.count {
            let x = Int(order[head])
            head += 1
            for e in degreeStart[x]..<degreeStart[x + 1] {
                let y = Int(neighbour[e])
                if newId[y] < 0 {
                    newId[y] = Int32(order.count)
                    parentOld[y] = Int32(x)
                    order.append(Int32(y))
                }
            }
        }
        precondition(order.count == regionCount, "region graph not connected")
        return RegionTree(order: order, newId: newId, parentOld: parentOld)
    }

    /// Region → rays in CSR form over the new region numbers (rays ascending: incidences were recorded in ray
    /// order).
    func regionRays(newId: [Int32]) -> (start: [Int], index: [Int32]) {
        let regionCount = table.count
        var regionRayStart = [Int](repeating: 0, count: regionCount + 1)
        for region in incidenceRegion { regionRayStart[Int(newId[Int(region)]) + 1] += 1 }
        for i in 0..<regionCount { regionRayStart[i + 1] += regionRayStart[i] }
        var at = regionRayStart
        var regionRayIndex = [Int32](repeating: 0, count: incidenceRay.count)
        for (e, region) in incidenceRegion.enumerated() {
            let new = Int(newId[Int(region)])
            regionRayIndex[at[new]] = incidenceRay[e]
            at[new] += 1
        }
        return (regionRayStart, regionRayIndex)
    }
}
