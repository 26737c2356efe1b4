import LinearProgramming

/// SplitMix64: a small, seedable, platform-independent generator so random LPs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func symmetric() -> Double { Double(next() >> 11) * 0x1p-53 * 2 - 1 }
}

/// The L1-regression LP  min Σ|Ax − b| + λ Σ|x|  for a dense random m × n matrix A, with split variables:
/// columns [x⁺ (n), x⁻ (n), r⁺ (m), r⁻ (m)], rows  A x⁺ − A x⁻ + r⁺ − r⁻ = b, all variables ≥ 0.
struct L1Regression {
    var a: [[Double]]  // m rows of n entries
    var b: [Double]
    var lambda: Double

    init(rows m: Int, features n: Int, lambda: Double = 0.1, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        a = (0..<m).map { _ in (0..<n).map { _ in rng.symmetric() } }
        b = (0..<m).map { _ in 3 * rng.symmetric() }
        self.lambda = lambda
    }

    var m: Int { b.count }
    var n: Int { a.first?.count ?? 0 }

    /// Column of feature j with sign +1 (x⁺) or −1 (x⁻).
    func featureColumn(_ j: Int, sign: Double) -> LPColumn {
        LPColumn(cost: lambda, rows: Array(0..<m), values: (0..<m).map { sign * a[$0][j] })
    }

    func residualColumns() -> [LPColumn] {
        (0..<m).map { LPColumn(cost: 1, rows: [$0], values: [1]) }
            + (0..<m).map { LPColumn(cost: 1, rows: [$0], values: [-1]) }
    }

    /// The full LP with columns in the order x⁺, x⁻, r⁺, r⁻.
    var program: LinearProgram {
        LinearProgram(
            equalityRows: b,
            columns: (0..<n).map { featureColumn($0, sign: 1) } + (0..<n).map { featureColumn($0, sign: -1) }
                + residualColumns())
    }
}

/// An independent optimality check of a returned solution, from the model data only: primal feasibility,
/// reduced costs equal to c − Aᵀy, sign conditions / complementary slackness for columns and rows, and
/// strong duality (objective = Σ y_i·(active row bound) + Σ d_j·(active column bound)). Returns the failures.
func kktViolations(_ lp: LinearProgram, _ r: LPResult, tol: Double = 1e-8) -> [String] {
    var problems: [String] = []
    let m = lp.numberOfRows
    let n = lp.numberOfColumns
    guard r.primal.count == n, r.reducedCosts.count == n, r.rowDuals.count == m else {
        return ["array sizes \(r.primal.count), \(r.reducedCosts.count), \(r.rowDuals.count) for \(m)×\(n)"]
    }
    var activity = [Double](repeating: 0, count: m)
    var objective = 0.0
    var dualObjective = 0.0
    for (j, col) in lp.columns.enumerated() {
        let x = r.primal[j]
        objective += col.cost * x
        var d = col.cost
        for (i, v) in zip(col.rows, col.values) {
            activity[i] += v * x
            d -= v * r.rowDuals[i]
        }
        if abs(d - r.reducedCosts[j]) > tol * (1 + abs(d)) {
            problems.append("column \(j): d \(r.reducedCosts[j]) ≠ c − Aᵀy = \(d)")
        }
        if x < col.lower - tol || x > col.upper + tol { problems.append("column \(j): x \(x) outside bounds") }
        let atLower = abs(x - col.lower) <= tol
        let atUpper = abs(x - col.upper) <= tol
        if d > tol && !atLower { problems.append("column \(j): d \(d) > 0 but x \(x) not at lower") }
        if d < -tol && !atUpper { problems.append("column \(j): d \(d) < 0 but x \(x) not at upper") }
        if abs(d) > tol { dualObjective += d * (d > 0 ? col.lower : col.upper) }
    }
    for i in 0..<m {
        let y = r.rowDuals[i]
        let lo = lp.rowLower[i]
        let hi = lp.rowUpper[i]
        let scale = 1 + max(abs(lo.isFinite ? lo : 0), abs(hi.isFinite ? hi : 0))
        if activity[i] < lo - tol * scale || activity[i] > hi + tol * scale {
            problems.append("row \(i): activity \(activity[i]) outside [\(lo), \(hi)]")
        }
        if y > tol && abs(activity[i] - lo) > tol * scale {
            problems.append("row \(i): dual \(y) > 0 but row not at lower")
        }
        if y < -tol && abs(activity[i] - hi) > tol * scale {
            problems.append("row \(i): dual \(y) < 0 but row not at upper")
        }
        if abs(y) > tol { dualObjective += y * (y > 0 ? lo : hi) }
    }
    if abs(objective - r.objective) > 1e-9 * (1 + abs(objective)) {
        problems.append("reported objective \(r.objective) ≠ c·x \(objective)")
    }
    if abs(objective - dualObjective) > tol * (1 + abs(objective)) {
        problems.append("duality gap: primal \(objective), dual \(dualObjective)")
    }
    return problems
}

/// `|a − b| ≤ tol·(1 + |b|)`.
func close(_ a: Double, _ b: Double, tol: Double = 1e-9) -> Bool { abs(a - b) <= tol * (1 + abs(b)) }

func close(_ a: [Double], _ b: [Double], tol: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tol: tol) }
}
