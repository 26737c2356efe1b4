import Foundation

extension Precertificate {
    /// Fills the Diracs, the margin, the support count, the rank and the verdict from p₀ over every region
    /// (docs/mathematics.md §9).
    mutating func analyze(measure: DiracMeasure, pricer: EnumeratedPricer, options: PrecertificateOptions) {
        let arrangement = pricer.regions
        let points = arrangement.points
        let atoms = measure.atoms
        let signs = boundarySigns(of: atoms.map(\.weights), points: points, tolerance: options.boundaryTolerance)
        let vectors = arrangement.regionVectors(dual: dual)
        let closures = arrangement.closureRegions(signs: signs)
        var occupied = Set<Int>()  // 2·region + (0: the maximum side, 1: the minimum side)
        diracs = atoms.indices.map { i in
            let side = atoms[i].amplitude >= 0 ? 1 : -1
            for k in closures[i] { occupied.insert(2 * k + (side > 0 ? 0 : 1)) }
            return Self.dirac(
                atoms[i], signs: signs[i], regions: closures[i], regionVectors: vectors, dual: dual,
                arrangement: arrangement, tolerances: tolerances(options))
        }
        let scan = arrangement.scanCertificate(regionVectors: vectors, threshold: 0)
        let threshold = 1 - supportTolerance(options)
        let free = scan.extremes.filter { !occupied.contains(2 * $0.region + ($0.sign > 0 ? 0 : 1)) }
        let top = free.max { $0.value < $1.value }
        margin = top?.value ?? 0
        marginRegion = top?.region
        marginSide = top?.sign
        marginSignVector = top.map { arrangement.signVector(ofRegion: $0.region).description }
        supportSides = scan.extremes.filter { $0.value >= threshold }.count
        unoccupiedSupportSides = free.filter { $0.value >= threshold }.count
        let activations = atoms.map { atom in (0..<points.count).map { max(dot(atom.weights, points[point: $0]), 0) } }
        let singular = singularValues(columns: activations)
        activationRank = singular.filter { $0 > 1e-9 * (singular.first ?? 0) && $0 > 0 }.count
        verdict = verdictText(options: options, dualFeasible: scan.maxValue <= 1 + 1e-9)
        nonDegenerate = verdict.hasPrefix("non-degenerate")
    }

    /// One Dirac: its regions' extreme points of ±η₀, their distance to it and, on a boundary, the multipliers.
    static func dirac(
        _ atom: DiracAtom, signs: [Int8], regions: [Int], regionVectors: [Double], dual: [Double],
        arrangement: Arrangement, tolerances: (support: Double, distance: Double, multiplier: Double)
    ) -> Dirac {
        let d = arrangement.dimension
        let side = atom.amplitude >= 0 ? 1 : -1
        let zeros = signs.indices.filter { signs[$0] == 0 }
        var distance = 0.0
        var multipliers: [Double] = []
        var undetermined = false
        for k in regions {
            let vk = regionVectors[(k * d)..<(k * d + d)]
            guard let extreme = arrangement.extremePoint(region: k, sign: side, regionVector: vk) else {
                distance = .infinity
                continue
            }
            distance = max(distance, euclideanDistance(extreme, atom.weights))
            guard !zeros.isEmpty else { continue }
            let v = vk.map { Double(side) * $0 }
            let s = arrangement.signVector(ofRegion: k)
            let normals = zeros.map { j in arrangement.points[point: j].map { s[j] ? $0 : -$0 } }
            if let mu = coneMultipliers(vector: v, extreme: extreme, normals: normals) {
                multipliers.append(mu.min() ?? 0)
            } else {
                undetermined = true
            }
        }
        let eta = certificateValue(dual: dual, points: arrangement.points, at: atom.weights)
        let onSupport = abs(eta - Double(side)) <= tolerances.support && distance <= tolerances.distance
        let strict = !undetermined && multipliers.allSatisfy { $0 > tolerances.multiplier }
        let behaviour: String
        if !onSupport {
            behaviour = String(
                format: "η₀ = %.9g here, not %+d (extreme point %.3g away): η₀ does not peak at this Dirac", eta,
                side, distance)
        } else if zeros.isEmpty {
            behaviour = "inside its region: η₀ is linear there and peaks at the Dirac (a strict maximum on the sphere)"
        } else if undetermined {
            behaviour = "on \(zeros.count) hyperplanes whose normals are dependent: multipliers not determined"
        } else if strict {
            behaviour = String(
                format: "on %d hyperplane(s): η₀ peaks there with every multiplier positive (smallest %.3g)",
                zeros.count, multipliers.min() ?? 0)
        } else {
            behaviour = String(
                format: "on %d hyperplane(s): a multiplier vanishes (%.3g), η₀ is flat across a boundary", zeros.count,
                multipliers.min() ?? 0)
        }
        return Dirac(
            amplitude: atom.amplitude, weights: atom.weights, signVector: signText(signs), interior: zeros.isEmpty,
            regions: regions, eta: eta, distanceToExtremePoint: distance, smallestMultipliers: multipliers,
            nonDegenerate: onSupport && (zeros.isEmpty || strict), behaviour: behaviour)
    }

    /// How far p₀ may be from the exact minimal-norm certificate in η: its excess over 1 before scaling plus its
    /// dual gap (at least 1e-9). A value error ε moves a region's maximiser by about √ε on the sphere.
    var accuracy: Double { max(1e-9, max(0, maxAbsEtaBeforeScaling - 1) + abs(dualGap)) }

    /// |η₀| ≥ 1 − this is the support: the option, or 10 times the accuracy when p₀ is less accurate.
    func supportTolerance(_ options: PrecertificateOptions) -> Double {
        max(options.supportTolerance, 10 * accuracy)
    }

    /// The verdict's tolerances: support (|η₀| against 1), distance of a maximiser to its Dirac and the smallest
    /// multiplier that counts as positive, widened with the accuracy of p₀ (distances and multipliers as √ε).
    func tolerances(_ options: PrecertificateOptions) -> (support: Double, distance: Double, multiplier: Double) {
        let root = 10 * accuracy.squareRoot()
        return (supportTolerance(options), max(1e-6, root), max(options.multiplierTolerance, root))
    }

    /// The verdict sentence; it starts with "non-degenerate" exactly when the condition of §9 holds.
    func verdictText(options: PrecertificateOptions, dualFeasible: Bool) -> String {
        let bad = diracs.indices.filter { !diracs[$0].nonDegenerate }
        if !dualFeasible { return "not decided: p₀ is not dual feasible after scaling (max|η₀| > 1)" }
        if unoccupiedSupportSides > 0 || margin >= 1 - supportTolerance(options) {
            return String(
                format: "degenerate: |η₀| reaches 1 on %d region side(s) without a Dirac (margin %.9g)",
                unoccupiedSupportSides, margin)
        }
        if !bad.isEmpty {
            return "degenerate: η₀ is degenerate at Dirac(s) \(bad.map { String($0) }.joined(separator: ", "))"
        }
        if activationRank < diracs.count {
            return "degenerate: the Diracs' activation vectors are dependent (rank \(activationRank) < \(diracs.count))"
        }
        return String(format: "non-degenerate: |η₀| < 1 off the support (margin %.6g), every Dirac strict", margin)
    }
}

/// The multipliers `μ ≥ 0` of `Π(v) − v = Σ_j μ_j a_j` (the KKT condition of the projection of `v` onto the cone
/// `{w : ⟨a_j, w⟩ ≥ 0}` at the extreme point `Π(v)/‖Π(v)‖`), relative to ‖v‖ and ‖a_j‖, by least squares over the
/// active normals; nil when those are linearly dependent.
func coneMultipliers(vector v: [Double], extreme w: [Double], normals a: [[Double]]) -> [Double]? {
    let value = dot(v, w)
    let r = zip(w, v).map { value * $0.0 - $0.1 }
    let m = a.count
    var g = [[Double]](repeating: [Double](repeating: 0, count: m + 1), count: m)
    for i in 0..<m {
        for j in 0..<m { g[i][j] = dot(a[i], a[j]) }
        g[i][m] = dot(a[i], r)
    }
    guard let mu = solveLinearSystem(&g) else { return nil }
    let scale = max(norm(v), 1e-300)
    return mu.indices.map { mu[$0] * norm(a[$0]) / scale }
}

/// Solves the augmented system `[G | b]` in place by Gaussian elimination with partial pivoting; nil when a pivot
/// falls below 1e-12 of the largest entry (singular).
func solveLinearSystem(_ g: inout [[Double]]) -> [Double]? {
    let m = g.count
    let largest = g.flatMap { $0.dropLast() }.map(abs).max() ?? 0
    guard largest > 0 else { return m == 0 ? [] : nil }
    for c in 0..<m {
        guard let pivot = (c..<m).max(by: { abs(g[$0][c]) < abs(g[$1][c]) }), abs(g[pivot][c]) > 1e-12 * largest
        else { return nil }
        g.swapAt(c, pivot)
        for r in 0..<m where r != c {
            let f = g[r][c] / g[c][c]
            for k in c...m { g[r][k] -= f * g[c][k] }
        }
    }
    return (0..<m).map { g[$0][m] / g[$0][$0] }
}
