// LP backend benchmark (issue 2): cold solve and column generation on an L1-regression LP
//     min Σ|Ax − b| + λ Σ|x|,  split as  A x⁺ − A x⁻ + r⁺ − r⁻ = b,  x±, r± ≥ 0,
// with A a dense seeded random m × n matrix. Run:  swift run -c release --scratch-path .build lp-benchmark
import LinearProgramming

/// SplitMix64: seedable and identical on every platform, so every run builds the same LP.
struct SplitMix64 {
    var state: UInt64
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

// Optional arguments: λ (default 1), then a time limit per solve in seconds (default none; CLP then runs its
// simplex passes in stretches of iterations, so this measures their cost).
let m = 200
let n = 5000
let seed: UInt64 = 2024
let lambda = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 1.0
let options = LPOptions(timeLimit: CommandLine.arguments.dropFirst(2).first.flatMap(Double.init))
var rng = SplitMix64(state: seed)
/// Column-major: a[j * m + i] = A[i][j].
let a = (0..<(m * n)).map { _ in rng.symmetric() }
let b = (0..<m).map { _ in 3 * rng.symmetric() }
let allRows = Array(0..<m)

/// x⁺_k for k < n, x⁻_(k−n) for k ≥ n.
func featureColumn(_ k: Int) -> LPColumn {
    let j = k % n
    let sign = k < n ? 1.0 : -1.0
    return LPColumn(cost: lambda, rows: allRows, values: (0..<m).map { sign * a[j * m + $0] })
}
let residuals =
    (0..<m).map { LPColumn(cost: 1, rows: [$0], values: [1]) }
    + (0..<m).map { LPColumn(cost: 1, rows: [$0], values: [-1]) }
let full = LinearProgram(equalityRows: b, columns: (0..<(2 * n)).map(featureColumn) + residuals)

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
func fmt(_ x: Double, _ digits: Int = 3) -> String {
    var s = String(x)
    if let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) > digits + 1 {
        s = String(s[...s.index(dot, offsetBy: digits)])
    }
    return s
}
let clock = ContinuousClock()
func secondsOf(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

print(
    "L1 regression, A \(m) × \(n) dense, λ = \(lambda), seed \(seed): \(full.numberOfRows) rows, \(full.numberOfColumns) columns"
)
print("")
print(
    "| backend | cold solve s (median of 3) | load s | iterations | objective | CG rounds | CG columns added | CG iterations | CG solve s | CG total s | CG objective |"
)
print("|---|---|---|---|---|---|---|---|---|---|---|")
for backend in LPBackend.allCases {
    var solveTimes: [Double] = []
    var loadTimes: [Double] = []
    var cold: LPResult?
    for _ in 0..<3 {
        let solver = backend.makeSolver(options: options)
        let t0 = clock.now
        try solver.load(full)
        loadTimes.append(secondsOf(clock.now - t0))
        let r = try solver.solve().requireOptimal()
        solveTimes.append(r.seconds)
        cold = r
    }
    guard let cold else { fatalError() }

    // Column generation from the residual columns only.
    let start = clock.now
    let solver = backend.makeSolver(options: options)
    try solver.load(LinearProgram(equalityRows: b, columns: residuals))
    var inModel = [Bool](repeating: false, count: 2 * n)
    var rounds = 0
    var iterations = 0
    var solveSeconds = 0.0
    var added = 0
    var last: LPResult
    while true {
        last = try solver.solve().requireOptimal()
        iterations += last.iterations
        solveSeconds += last.seconds
        // Price every feature column: d(x±_j) = λ ∓ a_jᵀy.
        var candidates: [(Double, Int)] = []
        for j in 0..<n {
            var ay = 0.0
            for i in 0..<m { ay += a[j * m + i] * last.rowDuals[i] }
            if !inModel[j], lambda - ay < -1e-9 { candidates.append((lambda - ay, j)) }
            if !inModel[n + j], lambda + ay < -1e-9 { candidates.append((lambda + ay, n + j)) }
        }
        if candidates.isEmpty { break }
        let chosen = candidates.sorted { $0.0 < $1.0 }.prefix(50).map(\.1)
        for k in chosen { inModel[k] = true }
        try solver.addColumns(chosen.map(featureColumn))
        added += chosen.count
        rounds += 1
    }
    let total = secondsOf(clock.now - start)
    let gap = abs(last.objective - cold.objective) / max(1, abs(cold.objective))
    precondition(gap < 1e-7, "column generation objective \(last.objective) ≠ cold \(cold.objective)")
    print(
        "| \(backend) | \(fmt(median(solveTimes))) (\(solveTimes.map { fmt($0) }.joined(separator: ", "))) | "
            + "\(fmt(median(loadTimes))) | \(cold.iterations) | \(fmt(cold.objective, 6)) | \(rounds) | \(added) | "
            + "\(iterations) | \(fmt(solveSeconds)) | \(fmt(total)) | \(fmt(last.objective, 6)) |")
}
