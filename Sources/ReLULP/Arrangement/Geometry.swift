import Foundation

/// Tolerances of the enumeration. All act on unit vectors, so they are relative.
enum Tolerance {
    /// A lifted point is zero when `‖x̃_j‖ ≤ zeroPoint · max_k ‖x̃_k‖`.
    static let zeroPoint = 1e-12
    /// Two points give the same hyperplane when their normalised, sign-canonical rows differ by at most
    /// this in every coordinate.
    static let sameHyperplane = 1e-10
    /// A vector is dependent on a set of unit vectors when its residual after orthogonal projection has
    /// norm at most this (span reduction, independence of hyperplane normals, rank of rays).
    static let dependent = 1e-10
    /// A hyperplane with unit normal `u` passes through the unit ray `ρ` when `|⟨u, ρ⟩| ≤ incidence(s)`,
    /// where `s` is the smallest Gram–Schmidt residual met when computing `ρ` (its conditioning):
    /// `min(1e-9, max(1e-12, 1e-13 / s))`.
    static func incidence(conditioning s: Double) -> Double { min(1e-9, max(1e-12, 1e-13 / s)) }
    /// Rays on a circle closer than this angle (radians) are the same ray.
    static let angle = 1e-11
}

@inline(__always) func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s = 0.0
    for i in 0..<n { s += a[i] * b[i] }
    return s
}

/// `⟨a[start ..< start + n], b[0 ..< n]⟩`, for rows of a row-major buffer.
@inline(__always) func dot(
    _ a: UnsafeBufferPointer<Double>, from start: Int, _ b: UnsafeBufferPointer<Double>,
    _ n: Int
) -> Double {
    var s = 0.0
    for i in 0..<n { s += a[start + i] * b[i] }
    return s
}

/// Orthonormal basis of the span of the rows of `rows` (`count × dim`, row-major) by modified Gram–Schmidt
/// with column pivoting (largest residual first) and one re-orthogonalisation; a residual of norm at most
/// `tolerance · max row norm` ends the basis. Returns the basis as rows (`rank × dim`).
func orthonormalBasis(rows: [Double], count: Int, dim: Int, tolerance: Double = Tolerance.dependent) -> [Double] {
    guard count > 0, dim > 0 else { return [] }
    var residual = rows
    var norms2 = [Double](repeating: 0, count: count)
    var scale = 0.0
    for j in 0..<count {
        var s = 0.0
        for i in 0..<dim { s += rows[j * dim + i] * rows[j * dim + i] }
        norms2[j] = s
        scale = max(scale, s.squareRoot())
    }
    var basis: [Double] = []
    guard scale > 0 else { return [] }
    while basis.count / dim < dim {
        var best = -1
        var bestNorm = 0.0
        for j in 0..<count where norms2[j] > bestNorm {
            bestNorm = norms2[j]
            best = j
        }
        guard best >= 0 else { break }
        var q = Array(residual[best * dim..<(best + 1) * dim])
        // re-orthogonalise against the basis so far
        let r = basis.count / dim
        for l in 0..<r {
            var p = 0.0
            for i in 0..<dim { p += q[i] * basis[l * dim + i] }
            for i in 0..<dim { q[i] -= p * basis[l * dim + i] }
        }
        let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm <= tolerance * scale { break }
        for i in 0..<dim { q[i] /= norm }
        basis.append(contentsOf: q)
        for j in 0..<count {
            var p = 0.0
            for i in 0..<dim { p += residual[j * dim + i] * q[i] }
            var s = 0.0
            for i in 0..<dim {
                residual[j * dim + i] -= p * q[i]
                s += residual[j * dim + i] * residual[j * dim + i]
            }
            norms2[j] = s
        }
    }
    return basis
}

/// An orthonormal basis (`dim − 1` rows of length `dim`) of the orthogonal complement of the unit vector `rho`,
/// from the Householder reflection that maps `rho` to a multiple of `e_0`.
func complementBasis(_ rho: [Double]) -> [Double] {
    let dim = rho.count
    var h = rho
    h[0] += rho[0] >= 0 ? 1 : -1
    let hh = h.reduce(0) { $0 + $1 * $1 }
    var basis = [Double](repeating: 0, count: (dim - 1) * dim)
    for c in 1..<dim {
        for i in 0..<dim {
            basis[(c - 1) * dim + i] = (i == c ? 1 : 0) - 2 * h[i] * h[c] / hh
        }
    }
    return basis
}

/// The unit null vector of `m = dim − 1` unit rows (`rows`, `m × dim`), if they are independent, with the
/// smallest Gram–Schmidt residual (its conditioning). Rows are processed in the given order.
func nullVector(
    rows: UnsafeBufferPointer<Double>, dim: Int,
    scratch: inout [Double]
) -> (ray: [Double], conditioning: Double)? {
    let m = dim - 1
    if dim == 3 {
        // a = rows[0 ..< 3], b = rows[3 ..< 6]: the ray is a × b.
        var x = rows[1] * rows[5] - rows[2] * rows[4]
        var y = rows[2] * rows[3] - rows[0] * rows[5]
        var z = rows[0] * rows[4] - rows[1] * rows[3]
        let s = (x * x + y * y + z * z).squareRoot()
        if s <= Tolerance.dependent { return nil }
        x /= s
        y /= s
        z /= s
        return ([x, y, z], s)
    }
    if scratch.count < dim * dim { scratch = [Double](repeating: 0, count: dim * dim) }
    var conditioning = 1.0
    for l in 0..<m {
        for i in 0..<dim { scratch[l * dim + i] = rows[l * dim + i] }
        for _ in 0..<2 {
            for p in 0..<l {
                var d = 0.0
                for i in 0..<dim { d += scratch[l * dim + i] * scratch[p * dim + i] }
                for i in 0..<dim { scratch[l * dim + i] -= d * scratch[p * dim + i] }
            }
        }
        var s = 0.0
        for i in 0..<dim { s += scratch[l * dim + i] * scratch[l * dim + i] }
        s = s.squareRoot()
        if s <= Tolerance.dependent { return nil }
        conditioning = min(conditioning, s)
        for i in 0..<dim { scratch[l * dim + i] /= s }
    }
    // the coordinate axis least covered by the basis
    var bestAxis = 0
    var bestWeight = Double.infinity
    for i in 0..<dim {
        var w = 0.0
        for l in 0..<m { w += scratch[l * dim + i] * scratch[l * dim + i] }
        if w < bestWeight {
            bestWeight = w
            bestAxis = i
        }
    }
    var ray = [Double](repeating: 0, count: dim)
    ray[bestAxis] = 1
    for _ in 0..<2 {
        for p in 0..<m {
            var d = 0.0
            for i in 0..<dim { d += ray[i] * scratch[p * dim + i] }
            for i in 0..<dim { ray[i] -= d * scratch[p * dim + i] }
        }
    }
    let s = ray.reduce(0) { $0 + $1 * $1 }.squareRoot()
    for i in 0..<dim { ray[i] /= s }
    return (ray, conditioning)
}

/// The regions of a central arrangement of lines in the plane, walked around the circle.
///
/// The rays are the directions of the lines (both orientations), sorted by angle and merged when closer
/// than `Tolerance.angle`; the regions are the arcs between consecutive rays. Groups are relabelled so that
/// arc 0 (from ray 0 to ray 1) is the widest: its signs are computed from the dot products at its midpoint
/// (far from every line) and every other arc's signs follow exactly by flipping the normals of the rays crossed.
struct Circle {
    /// Number of rays = number of regions.
    var count: Int
    /// Unit direction of ray g: `direction[2g], direction[2g+1]`.
    var direction: [Double]
    /// CSR: the normals (indices) whose line carries ray g.
    var memberStart: [Int]
    var member: [Int32]
    /// Signs of the normals on arc 0 (true: positive side).
    var sign0: [Bool]

    /// `normals`: `k × 2` row-major, non-zero.
    init(normals: [Double], count k: Int) {
        var entries: [(theta: Double, normal: Int32, flip: Bool)] = []
        entries.reserveCapacity(2 * k)
        let twoPi = 2 * Double.pi
        for c in 0..<k {
            let a = normals[2 * c]
            let b = normals[2 * c + 1]
            var theta = atan2(a, -b)  // direction (−b, a)
            if theta < 0 { theta += twoPi }
            var opposite = theta + Double.pi
            if opposite >= twoPi { opposite -= twoPi }
            if theta >= twoPi { theta = 0 }
            entries.append((theta, Int32(c), false))
            entries.append((opposite, Int32(c), true))
        }
        entries.sort { $0.theta < $1.theta || ($0.theta == $1.theta && $0.normal < $1.normal) }
        // group
        var groupStartEntry: [Int] = []
        var groupTheta: [Double] = []
        for (e, entry) in entries.enumerated() {
            if let last = groupTheta.last, entry.theta - last <= Tolerance.angle { continue }
            groupStartEntry.append(e)
            groupTheta.append(entry.theta)
        }
        groupStartEntry.append(entries.count)
        var g = groupTheta.count
        var wrapExtra = 0  // entries of the last group merged into group 0 across 2π
        if g >= 2, groupTheta[g - 1] + Tolerance.angle >= groupTheta[0] + twoPi {
            wrapExtra = groupStartEntry[g] - groupStartEntry[g - 1]
            groupTheta.removeLast()
            groupStartEntry.remove(at: g - 1)
            g -= 1
        }
        // widest arc
        var widest = 0
        var widestLength = -1.0
        for i in 0..<g {
            let length = i + 1 < g ? groupTheta[i + 1] - groupTheta[i] : groupTheta[0] + twoPi - groupTheta[i]
            if length > widestLength {
                widestLength = length
                widest = i
            }
        }
        count = g
        direction = [Double](repeating: 0, count: 2 * g)
        memberStart = [0]
        member = []
        member.reserveCapacity(2 * k)
        for newIndex in 0..<g {
            let old = (widest + newIndex) % g
            var range = Array(groupStartEntry[old]..<groupStartEntry[old + 1])
            if old == 0 && wrapExtra > 0 { range += (entries.count - wrapExtra)..<entries.count }
            let first = entries[range[0]]
            let c = Int(first.normal)
            let a = normals[2 * c]
            let b = normals[2 * c + 1]
            let norm = (a * a + b * b).squareRoot()
            let sign: Double = first.flip ? -1 : 1
            direction[2 * newIndex] = sign * -b / norm
            direction[2 * newIndex + 1] = sign * a / norm
            for e in range { member.append(entries[e].normal) }
            memberStart.append(member.count)
        }
        // signs at the midpoint of arc 0
        let theta0 = groupTheta[widest]
        let mid = theta0 + widestLength / 2
        let mx = cos(mid)
        let my = sin(mid)
        sign0 = (0..<k).map { c in normals[2 * c] * mx + normals[2 * c + 1] * my > 0 }
    }

    /// Sign patterns of all arcs, arc i at index i.
    func patterns(normalCount k: Int) -> [[Bool]] {
        var current = sign0
        var result = [current]
        for g in 1..<max(count, 1) {
            for e in memberStart[g]..<memberStart[g + 1] { current[Int(member[e])].toggle() }
            result.append(current)
        }
        return result
    }
}

/// Regions of a small central arrangement given by unit-ish normals (rows of `normals`, `m × dim`), not
/// necessarily essential: the sign patterns (one Bool per normal, true = positive side) in a deterministic
/// order. Exact recursion: a region touches a ray ρ; the regions touching ρ are its sign vector combined
/// with the regions of the arrangement of the hyperplanes through ρ, one dimension down.
func smallArrangementRegions(normals: [Double], count m: Int, dim: Int) -> [[Bool]] {
    let basis = orthonormalBasis(rows: normals, count: m, dim: dim)
    let q = basis.count / max(dim, 1)
    if q == 0 { return [[Bool](repeating: false, count: m)] }
    // coordinates in the span, normalised
    var coords = [Double](repeating: 0, count: m * q)
    for c in 0..<m {
        var s = 0.0
        for l in 0..<q {
            var p = 0.0
            for i in 0..<dim { p += normals[c * dim + i] * basis[l * dim + i] }
            coords[c * q + l] = p
            s += p * p
        }
        s = s.squareRoot()
        for l in 0..<q { coords[c * q + l] /= s }
    }
    if q == 1 {
        return [(0..<m).map { coords[$0] > 0 }, (0..<m).map { coords[$0] < 0 }]
    }
    if q == 2 {
        return Circle(normals: coords, count: m).patterns(normalCount: m)
    }
    if m == q {  // independent: every orthant
        return (0..<(1 << m)).map { mask in (0..<m).map { mask >> $0 & 1 == 1 } }
    }
    var seen: [[Bool]: Int] = [:]
    var result: [[Bool]] = []
    var scratch: [Double] = []
    var subset = Array(0..<(q - 1))
    var rows = [Double](repeating: 0, count: (q - 1) * q)
    while true {
        for (l, c) in subset.enumerated() { for i in 0..<q { rows[l * q + i] = coords[c * q + i] } }
        let solved = rows.withUnsafeBufferPointer { nullVector(rows: $0, dim: q, scratch: &scratch) }
        if let (rho, conditioning) = solved {
            let tol = Tolerance.incidence(conditioning: conditioning)
            var dots = [Double](repeating: 0, count: m)
            var zero: [Int] = []
            for c in 0..<m {
                var p = 0.0
                for i in 0..<q { p += coords[c * q + i] * rho[i] }
                dots[c] = p
                if abs(p) <= tol || subset.contains(c) { zero.append(c) }
            }
            if greedyBasis(of: zero, coords: coords, dim: q, size: q - 1) == subset {
                let complement = complementBasis(rho)
                var sub = [Double](repeating: 0, count: zero.count * (q - 1))
                for (z, c) in zero.enumerated() {
                    for l in 0..<(q - 1) {
                        var p = 0.0
                        for i in 0..<q { p += coords[c * q + i] * complement[l * q + i] }
                        sub[z * (q - 1) + l] = p
                    }
                }
                let local = smallArrangementRegions(normals: sub, count: zero.count, dim: q - 1)
                for orientation in [1.0, -1.0] {
                    var pattern = (0..<m).map { orientation * dots[$0] > 0 }
                    for l in local {
                        for (z, c) in zero.enumerated() { pattern[c] = l[z] }
                        if seen[pattern] == nil {
                            seen[pattern] = result.count
                            result.append(pattern)
                        }
                    }
                }
            }
        }
        // next subset
        var i = q - 2
        while i >= 0 && subset[i] == m - (q - 1) + i { i -= 1 }
        if i < 0 { break }
        subset[i] += 1
        for l in (i + 1)..<(q - 1) { subset[l] = subset[l - 1] + 1 }
    }
    return result
}

/// The lexicographically first independent subset of `size` elements of `candidates` (in their order),
/// or fewer if they do not have that rank.
func greedyBasis(of candidates: [Int], coords: [Double], dim: Int, size: Int) -> [Int] {
    var chosen: [Int] = []
    var basis: [Double] = []
    for c in candidates {
        if chosen.count == size { break }
        var v = Array(coords[c * dim..<(c + 1) * dim])
        for _ in 0..<2 {
            for l in 0..<chosen.count {
                var p = 0.0
                for i in 0..<dim { p += v[i] * basis[l * dim + i] }
                for i in 0..<dim { v[i] -= p * basis[l * dim + i] }
            }
        }
        let s = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if s <= Tolerance.dependent { continue }
        chosen.append(c)
        basis.append(contentsOf: v.map { $0 / s })
    }
    return chosen
}
