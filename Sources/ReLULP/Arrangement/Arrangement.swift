/// Why an enumeration was refused.
public enum ArrangementError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The general-position bound on the number of regions exceeds the limit.
    case tooManyRegions(estimate: Int, limit: Int)
    /// The same bound exceeds the limit of the branch-and-bound pricing (`PricingMode.defaultSearchLimit`).
    case tooManyRegionsToSearch(estimate: Int, limit: Int)
    /// A lifted coordinate is NaN, infinite or beyond `±LiftedData.maxMagnitude`.
    case unusablePoint(index: Int, value: Double)
    /// The run's deadline (or a signal) ended the enumeration after `regions` regions; nothing is kept.
    case deadlinePassed(regions: Int)

    public var description: String {
        switch self {
        case .tooManyRegions(let estimate, let limit):
            let shown = estimate == Int.max ? "more than \(Int.max)" : "up to \(estimate)"
            return "the arrangement may have \(shown) regions (general-position bound), more than the limit \(limit); "
                + "raise the limit with --max-regions N (library: maxRegions:) if the machine has the memory "
                + "(roughly 100–500 bytes per region plus n/8 bytes per region for n points)"
        case .tooManyRegionsToSearch(let estimate, let limit):
            let shown = estimate == Int.max ? "more than \(Int.max)" : "up to \(estimate)"
            return
                "the arrangement may have \(shown) regions (general-position bound), more than the limit \(limit) of the "
                + "branch-and-bound pricing, whose time grows with the dimension and the regions near the certificate's "
                + "peaks (3 minutes for 3.3·10⁸ regions with 3 features, 25 for 1.6·10⁸ with 8); raise it with --max-search-regions N (library: maxSearchRegions:)"
        case .unusablePoint(let j, let value) where value.isFinite:
            return "point \(j + 1) has the coordinate \(value), beyond ±1e15 where squared norms and LP entries lose "
                + "their precision; rescale the features"
        case .unusablePoint(let j, let value):
            return "point \(j + 1) has the non-finite coordinate \(value)"
        case .deadlinePassed(let regions):
            return "the time limit ended the region enumeration after \(regions) regions; give more time "
                + "(--time-limit) or leave the regions to the search (--pricing branch-and-bound)"
        }
    }
}

/// The dual regions of a data set: the full-dimensional cones of the central hyperplane arrangement
/// `{w : ⟨w, x̃_j⟩ = 0}` in `R^d`, each with its sign vector and its extreme rays.
///
/// Points that are parallel (`x̃_j = c·x̃_k`, including duplicates) share one hyperplane *class*; zero points
/// (`x̃_j = 0`) carry no hyperplane and never activate (sign false). When the points span only an
/// `r`-dimensional subspace the regions are products of that subspace's regions with its orthogonal
/// complement; their "extreme rays" are the extreme rays of the region's intersection with the span.
/// Everything is a value type: build once with `enumerate`, share freely.
public struct Arrangement: Sendable {
    /// The lifted points the arrangement was built from.
    public let points: LiftedData
    /// d.
    public var dimension: Int { points.dimension }
    /// `numberOfRays × d`: unit vectors in `R^d` (original lifted coordinates).
    public let rays: [Double]
    public var numberOfRays: Int { dimension == 0 ? 0 : rays.count / dimension }
    public var numberOfRegions: Int { regionRayStart.count - 1 }
    /// CSR: the extreme rays of region k are `rays[regionRayIndex[regionRayStart[k] ..< regionRayStart[k+1]]]`
    /// (ray indices ascending).
    public let regionRayStart: [Int]
    public let regionRayIndex: [Int32]
    /// Per region, `sec θ_s` with `θ_s` the largest angle between the region's centre and its extreme rays (rounded
    /// up), or `+∞` when `θ_s` is not safely below π/2: the lazy scan's ray bound (docs/mathematics.md §4, "The lazy
    /// scan").
    public let raySecants: [Double]
    /// A traversal order for incremental updates: every region `k ≥ 1` has `parent[k] < k`, and its sign
    /// vector equals the parent's except for the points listed in `changePoint[changeStart[k] ..< changeStart[k+1]]`,
    /// which turn on (`changeTurnsOn` true: `−` in the parent, `+` in k) or off. `parent[0] = −1`.
    public let parent: [Int32]
    public let changeStart: [Int]
    public let changePoint: [Int32]
    public let changeTurnsOn: [Bool]

    /// r, the dimension of the span of the points (the arrangement is essential in that span).
    public let rank: Int
    /// The hyperplane class of every point (`−1` for a zero point); points of one class share a hyperplane.
    public let pointClass: [Int32]
    /// The number of distinct hyperplanes.
    public var numberOfHyperplanes: Int { classPointStart.count - 1 }

    // MARK: internals
    /// Per point: its normal is the negative of its class's normal.
    let pointFlipped: [Bool]
    /// CSR class → points (ascending).
    let classPointStart: [Int]
    let classPoint: [Int32]
    /// Unit class normals in the span coordinates, `classes × rank`.
    let classNormals: [Double]
    /// Rays in span coordinates, `numberOfRays × rank`.
    let reducedRays: [Double]
    /// CSR ray → classes whose hyperplane contains the ray.
    let rayClassStart: [Int]
    let rayClass: [Int32]
    /// Class sign words: `classWords` words per region (rank ≠ 2), or only region 0's (rank 2).
    let classWords: Int
    let regionClassSigns: [UInt64]
    /// Rank 2 only: the two ray positions (in circle order) where each class's line lies.
    let classRayPositions: [Int32]

    init(
        points: LiftedData, rays: [Double], regionRayStart: [Int], regionRayIndex: [Int32], parent: [Int32],
        changeStart: [Int], changePoint: [Int32], changeTurnsOn: [Bool], rank: Int, pointClass: [Int32],
        pointFlipped: [Bool], classPointStart: [Int], classPoint: [Int32], classNormals: [Double],
        reducedRays: [Double], rayClassStart: [Int], rayClass: [Int32], classWords: Int,
        regionClassSigns: [UInt64], classRayPositions: [Int32]
    ) {
        self.points = points
        self.rays = rays
        self.regionRayStart = regionRayStart
        self.regionRayIndex = regionRayIndex
        raySecants = Self.secants(rays: rays, dimension: points.dimension, start: regionRayStart, index: regionRayIndex)
        self.parent = parent
        self.changeStart = changeStart
        self.changePoint = changePoint
        self.changeTurnsOn = changeTurnsOn
        self.rank = rank
        self.pointClass = pointClass
        self.pointFlipped = pointFlipped
        self.classPointStart = classPointStart
        self.classPoint = classPoint
        self.classNormals = classNormals
        self.reducedRays = reducedRays
        self.rayClassStart = rayClassStart
        self.rayClass = rayClass
        self.classWords = classWords
        self.regionClassSigns = regionClassSigns
        self.classRayPositions = classRayPositions
    }

    /// Whether class c is on the positive side in region k (exact, from the enumeration).
    func classSign(_ c: Int, region k: Int) -> Bool {
        if rank == 2 {
            var s = regionClassSigns[c >> 6] >> UInt64(c & 63) & 1 == 1
            let p1 = Int(classRayPositions[2 * c])
            let p2 = Int(classRayPositions[2 * c + 1])
            if p1 >= 1 && p1 <= k { s.toggle() }
            if p2 >= 1 && p2 <= k { s.toggle() }
            return s
        }
        return regionClassSigns[k * classWords + c >> 6] >> UInt64(c & 63) & 1 == 1
    }

    /// The sign vector of region k, exact (from the enumeration, not recomputed from dot products). O(n).
    public func signVector(ofRegion k: Int) -> SignVector {
        precondition(k >= 0 && k < numberOfRegions, "region \(k) out of range 0..<\(numberOfRegions)")
        var result = SignVector(count: points.count)
        let classes = numberOfHyperplanes
        for c in 0..<classes {
            let positive = classSign(c, region: k)
            for e in classPointStart[c]..<classPointStart[c + 1] {
                let j = Int(classPoint[e])
                if positive != pointFlipped[j] { result.words[j >> 6] |= UInt64(1) << UInt64(j & 63) }
            }
        }
        return result
    }

    /// `sec θ_s` for every region (`raySecants`): the centre `c` is the normalised sum of the unit rays, and
    /// `cos θ_s = min_i ⟨c, r_i⟩` is lowered by a margin for the rounding of the sums before it is inverted.
    static func secants(rays: [Double], dimension d: Int, start: [Int], index: [Int32]) -> [Double] {
        let count = start.count - 1
        guard count > 0, d > 0 else { return [Double](repeating: .infinity, count: max(count, 0)) }
        var secants = [Double](repeating: .infinity, count: count)
        var centre = [Double](repeating: 0, count: d)
        for k in 0..<count where start[k + 1] > start[k] {
            for t in 0..<d { centre[t] = 0 }
            for e in start[k]..<start[k + 1] {
                let base = Int(index[e]) * d
                for t in 0..<d { centre[t] += rays[base + t] }
            }
            let length = centre.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard length > 1e-9 else { continue }
            var cosine = Double.infinity
            for e in start[k]..<start[k + 1] {
                let base = Int(index[e]) * d
                var s = 0.0
                for t in 0..<d { s += centre[t] * rays[base + t] }
                cosine = min(cosine, s / length)
            }
            cosine -= Self.secantMargin
            if cosine > 1e-9 { secants[k] = 1 / cosine }
        }
        return secants
    }

    /// An absolute margin for the rounding of `cos θ_s` and of `⟨v, r_i⟩/‖v‖` (a few d ulps for unit vectors and
    /// d ≤ 10, with room to spare).
    static let secantMargin = 1e-13

    /// Upper bounds on region k's two extreme values, `max ⟨±v, w⟩` over its cone ∩ unit ball, from its extreme
    /// rays: `max(0, max_i ⟨±v, r_i⟩) · sec θ_s`, never above `‖v‖` (docs/mathematics.md §4, "The lazy scan").
    public func sideBounds(region k: Int, regionVector v: ArraySlice<Double>) -> (plus: Double, minus: Double) {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return rays.withUnsafeBufferPointer { rays in
            Array(v).withUnsafeBufferPointer { vs in
                sideBounds(region: k, regionVector: vs, norm: norm, rays: rays)
            }
        }
    }

    /// `sideBounds(region:regionVector:)` on raw buffers, with `‖v‖` already known (NaN-free callers only).
    func sideBounds(
        region k: Int, regionVector v: UnsafeBufferPointer<Double>, norm: Double, rays: UnsafeBufferPointer<Double>
    ) -> (plus: Double, minus: Double) {
        let secant = raySecants[k]
        guard secant.isFinite, norm.isFinite else { return (norm, norm) }
        let d = dimension
        var (largest, smallest) = (0.0, 0.0)
        for e in regionRayStart[k]..<regionRayStart[k + 1] {
            let base = Int(regionRayIndex[e]) * d
            var s = 0.0
            for t in 0..<d { s += v[t] * rays[base + t] }
            largest = max(largest, s)
            smallest = min(smallest, s)
        }
        let slack = Self.secantMargin * norm
        return (min(norm, (largest + slack) * secant), min(norm, (slack - smallest) * secant))
    }

    /// The indices of region k's extreme rays (ascending).
    public func rayIndices(ofRegion k: Int) -> ArraySlice<Int32> {
        regionRayIndex[regionRayStart[k]..<regionRayStart[k + 1]]
    }

    /// Ray i as a unit vector in `R^d`.
    public func ray(_ i: Int) -> ArraySlice<Double> {
        rays[(i * dimension)..<((i + 1) * dimension)]
    }

    /// The point indices j (ascending) whose hyperplane carries a facet of region k: the classes whose
    /// hyperplane contains rays of the region spanning a space of dimension r − 1.
    public func facets(ofRegion k: Int) -> [Int] {
        let r = rank
        var classes: [Int] = []
        if r == 0 { return [] }
        if r == 1 {
            classes = Array(0..<numberOfHyperplanes)
        } else {
            let rayList = rayIndices(ofRegion: k).map(Int.init)
            var onPlane: [Int: [Int]] = [:]
            for ray in rayList {
                for e in rayClassStart[ray]..<rayClassStart[ray + 1] {
                    onPlane[Int(rayClass[e]), default: []].append(ray)
                }
            }
            for (c, list) in onPlane where list.count >= r - 1 {
                if r <= 3 {
                    classes.append(c)  // distinct rays of a pointed cone are independent in pairs
                } else {
                    var rows: [Double] = []
                    for ray in list { rows.append(contentsOf: reducedRays[ray * r..<(ray + 1) * r]) }
                    if orthonormalBasis(rows: rows, count: list.count, dim: r).count / r >= r - 1 { classes.append(c) }
                }
            }
        }
        var result: [Int] = []
        for c in classes { for e in classPointStart[c]..<classPointStart[c + 1] { result.append(Int(classPoint[e])) } }
        return result.sorted()
    }

    /// `2 Σ_{k=0}^{d−1} C(n−1, k)`: the number of regions of n hyperplanes through the origin of `R^d` in
    /// general position, an upper bound for any n hyperplanes. Saturates at `Int.max`. (n = 0 or d = 0: 1.)
    public static func generalPositionBound(points n: Int, dimension d: Int) -> Int {
        if n <= 0 || d <= 0 { return 1 }
        let top = n - 1
        var binomial = 1  // C(top, 0)
        var sum = 1
        var k = 1
        while k < d && k <= top {
            let g = gcd(binomial, k)
            let (product, overflow) = (binomial / g).multipliedReportingOverflow(by: (top - k + 1) / (k / g))
            if overflow { return Int.max }
            binomial = product
            let (s, o) = sum.addingReportingOverflow(binomial)
            if o { return Int.max }
            sum = s
            k += 1
        }
        let (twice, o) = sum.multipliedReportingOverflow(by: 2)
        return o ? Int.max : twice
    }

    /// The default limit on the general-position bound: ten million regions, a few GiB at most for the
    /// data sizes that reach it, well inside a 24 GiB machine.
    public static let defaultMaxRegions: Int = 10_000_000
}

private func gcd(_ a: Int, _ b: Int) -> Int {
    var a = a
    var b = b
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
