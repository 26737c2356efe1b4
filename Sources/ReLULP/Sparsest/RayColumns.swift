/// The candidate columns of the sparsest interpolant: the extreme rays of the dual regions with their outputs on
/// the data, `g_i = σ(X̃ r_i)` scaled to peak 1, and which rays each region's closure is the cone of
/// (docs/mathematics.md, "The sparsest interpolant"). A neuron of region R is a non-negative combination of R's
/// rays, and its outputs the same combination of their `g_i`.
struct RayColumns {
    let n: Int
    /// Unit rays in the lifted space (the arrangement's), one per column.
    let rays: [[Double]]
    /// `g_i / scale_i`: the ray's outputs on the data, largest entry 1, as sparse (points, values).
    let outputs: [(points: [Int], values: [Double])]
    /// `scale_i = max_j σ(⟨r_i, x̃_j⟩)`: the ray's largest output.
    let scale: [Double]
    /// Per kept region: its columns (ascending); regions without an active ray, and repeats, are left out.
    let regions: [[Int]]
    /// Per column: the kept regions whose closure contains the ray.
    let regionsOfColumn: [[Int]]
    /// Per kept region: the arrangement's regions with its rays (a repeat has the same outputs).
    let members: [[Int]]

    /// The columns of `arrangement`, dropping rays that are inactive on every point (they add nothing to a fit).
    init(arrangement: Arrangement) {
        let points = arrangement.points
        n = points.count
        let pointScale = (0..<n).reduce(0.0) { max($0, norm(points[point: $1])) }
        var column = [Int](repeating: -1, count: arrangement.numberOfRays)
        var rays: [[Double]] = []
        var outputs: [(points: [Int], values: [Double])] = []
        var scale: [Double] = []
        for i in 0..<arrangement.numberOfRays {
            let r = Array(arrangement.ray(i))
            let g = (0..<n).map { max(0, dot(r, points[point: $0])) }
            let peak = g.max() ?? 0
            guard peak > 1e-12 * pointScale else { continue }
            let active = g.indices.filter { g[$0] > 1e-14 * pointScale }
            column[i] = rays.count
            rays.append(r)
            outputs.append((active, active.map { g[$0] / peak }))
            scale.append(peak)
        }
        var regions: [[Int]] = []
        var members: [[Int]] = []
        var kept: [[Int]: Int] = [:]
        for k in 0..<arrangement.numberOfRegions {
            let columns = arrangement.rayIndices(ofRegion: k).map { column[Int($0)] }.filter { $0 >= 0 }.sorted()
            guard !columns.isEmpty else { continue }
            if let index = kept[columns] {
                members[index].append(k)
                continue
            }
            kept[columns] = regions.count
            regions.append(columns)
            members.append([k])
        }
        var regionsOfColumn = [[Int]](repeating: [], count: rays.count)
        for (k, columns) in regions.enumerated() { for i in columns { regionsOfColumn[i].append(k) } }
        self.rays = rays
        self.outputs = outputs
        self.scale = scale
        self.regions = regions
        self.regionsOfColumn = regionsOfColumn
        self.members = members
    }

    var count: Int { rays.count }

    /// The kept regions across one facet from `region`: those sharing at least `dimension − 1` of its rays (a
    /// facet of a cone in the lifted space of that dimension is spanned by that many), the region excluded.
    func facetNeighbours(of region: Int, dimension: Int) -> [Int] {
        var shared: [Int: Int] = [:]
        for i in regions[region] { for k in regionsOfColumn[i] where k != region { shared[k, default: 0] += 1 } }
        return shared.filter { $0.value >= dimension - 1 }.map(\.key).sorted()
    }

    /// The fewest (region, sign) pairs that hold every signed column of `amplitudes` (non-zero entries), by the
    /// greedy set cover: each pair becomes one neuron. Returns, per pair, its region, sign and the columns it takes.
    func cover(_ amplitudes: [Double]) -> [(region: Int, positive: Bool, columns: [Int])] {
        var result: [(region: Int, positive: Bool, columns: [Int])] = []
        for positive in [true, false] {
            var open = Set(amplitudes.indices.filter { positive ? amplitudes[$0] > 0 : amplitudes[$0] < 0 })
            while let first = open.first {
                // The region holding the most open columns among those that hold `first` (every kept ray is an
                // extreme ray of some kept region; a ray without one is skipped rather than trapped on).
                guard var best = regionsOfColumn[first].first else {
                    open.remove(first)
                    continue
                }
                var bestCount = 0
                for k in regionsOfColumn[first] {
                    let held = regions[k].reduce(0) { $0 + (open.contains($1) ? 1 : 0) }
                    if held > bestCount { (best, bestCount) = (k, held) }
                }
                let taken = regions[best].filter { open.contains($0) }
                open.subtract(taken)
                result.append((best, positive, taken))
            }
        }
        return result
    }
}
