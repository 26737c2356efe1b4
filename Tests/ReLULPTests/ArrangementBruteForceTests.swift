import LinearProgramming
import ReLULP
import Testing

/// Whether the region with sign vector `signs` is full-dimensional, decided by the LP
/// max t s.t. s_j ⟨w, x̃_j⟩ ≥ t ‖x̃_j‖ (non-zero points), −1 ≤ w_i ≤ 1, t ≤ 1: full-dimensional iff t* > 1e-9.
/// Returns nil when the backend cannot solve (not available yet).
func isFullDimensional(_ signs: [Bool], _ points: LiftedData, solver: any LPSolver) -> Bool? {
    let d = points.dimension
    let rows = (0..<points.count).filter { norm(points[point: $0]) > 0 }
    var columns: [LPColumn] = []
    for i in 0..<d {
        columns.append(
            LPColumn(
                cost: 0, lower: -1, upper: 1, rows: Array(rows.indices),
                values: rows.map { j in (signs[j] ? 1 : -1) * points.values[j * d + i] }))
    }
    columns.append(
        LPColumn(
            cost: -1, lower: -1, upper: 1, rows: Array(rows.indices),
            values: rows.map { -norm(points[point: $0]) }))
    let lp = LinearProgram(
        rowLower: [Double](repeating: 0, count: rows.count),
        rowUpper: [Double](repeating: .infinity, count: rows.count), columns: columns)
    do { try solver.load(lp) } catch { return nil }
    guard let result = try? solver.solve(), result.status == .optimal else { return nil }
    return -result.objective > 1e-9
}

@Suite struct ArrangementBruteForceTests {
    /// The brute force below uses the LP (not the sampling fallback) now that the backends are merged.
    @Test func lpBackendDecidesFullDimensionality() {
        let points = lift([[0], [1]])
        let solver = LPBackend.clp.makeSolver()
        #expect(isFullDimensional([true, false], points, solver: solver) == true)  // w = (−1, 0.5)
        #expect(isFullDimensional([true, true], points, solver: solver) == true)
        #expect(isFullDimensional([false, true], points, solver: solver) == true)
        // (0,1) and (1,1) both inactive and a point in between active: impossible
        let three = lift([[0], [1], [0.5]])
        #expect(isFullDimensional([false, false, true], three, solver: solver) == false)
    }

    /// Every sign vector with a full-dimensional region (LP) is found, and nothing else. Falls back to an
    /// LP-free check (random sampling for completeness, strict interior points for soundness — the latter is
    /// in `consistencyProblems`) while the LP backends are not merged.
    @Test(arguments: degenerateFixtures.indices)
    func matchesBruteForce(index: Int) throws {
        let fixture = degenerateFixtures[index]
        let points = fixture.points
        let n = points.count
        #expect(n <= 10)
        let a = try Arrangement.enumerate(points)
        let found = Set((0..<a.numberOfRegions).map { a.signVector(ofRegion: $0) })
        #expect(found.count == a.numberOfRegions)
        let zero = (0..<n).filter { norm(points[point: $0]) == 0 }
        let solver = LPBackend.clp.makeSolver()
        if isFullDimensional([Bool](repeating: true, count: n), points, solver: solver) != nil {
            var expected: Set<SignVector> = []
            for mask in 0..<(1 << n) {
                let signs = (0..<n).map { mask >> $0 & 1 == 1 }
                if zero.contains(where: { signs[$0] }) { continue }  // zero points never activate
                if isFullDimensional(signs, points, solver: solver) == true { expected.insert(SignVector(signs)) }
            }
            #expect(found == expected, "\(fixture.name): found \(found.count), LP says \(expected.count)")
        } else {
            // LP backend not available: sampling check (every sampled sign vector must be found)
            var rng = SeededRandom(seed: UInt64(index) + 1)
            let d = points.dimension
            var sampled: Set<SignVector> = []
            for _ in 0..<4000 {
                let w = (0..<d).map { _ in rng.gaussian() }
                let signs = (0..<n).map { j in dotProduct(w[...], points[point: j]) > 0 }
                sampled.insert(SignVector(signs))
            }
            #expect(sampled.isSubset(of: found), "\(fixture.name): a sampled region is missing")
            #expect(consistencyProblems(a).isEmpty, "\(fixture.name)")
        }
    }
}
