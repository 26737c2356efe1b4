import Foundation
import ReLULP
import Testing

@Suite struct ArrangementTests {
    @Test func generalPositionBoundFormula() {
        #expect(Arrangement.generalPositionBound(points: 10, dimension: 2) == 20)
        #expect(Arrangement.generalPositionBound(points: 10, dimension: 3) == 10 * 10 - 10 + 2)
        #expect(Arrangement.generalPositionBound(points: 1000, dimension: 3) == 999_002)
        #expect(Arrangement.generalPositionBound(points: 100, dimension: 4) == 323_600)
        #expect(Arrangement.generalPositionBound(points: 3, dimension: 5) == 8)  // 2^n when n ≤ d
        #expect(Arrangement.generalPositionBound(points: 1_000_000, dimension: 40) == Int.max)
    }

    /// Coordinates of 1e200 once made every squared norm overflow, every point "zero", one region, and the zero
    /// network "optimal". They are refused, by the arrangement and by training, naming the point.
    @Test(arguments: [1e200, -2e16])
    func hugeOrNonFiniteCoordinatesAreRefused(value: Double) throws {
        let data = try Dataset(featureNames: ["x"], features: [[1], [value], [3]], labels: [0, 1, 2])
        #expect(throws: ArrangementError.unusablePoint(index: 1, value: value)) {
            try Arrangement.enumerate(data.lifted(bias: true))
        }
        do {
            _ = try ExactTrainer(data: data).train(TrainingOptions(lambda: 0.01))
            Issue.record("training accepted the coordinate \(value)")
        } catch {
            #expect("\(error)".contains("point 2 has the"), "\(error)")
        }
        let fine = try Dataset(featureNames: ["x"], features: [[1], [1e6], [3]], labels: [0, 1, 2])
        #expect(try ExactTrainer(data: fine).train(TrainingOptions(lambda: 0.01)).status == .optimal)
    }

    @Test(arguments: [(2, 12), (3, 12), (4, 10), (5, 9)])
    func generalPositionCountsWithBias(d: Int, n: Int) throws {
        let raw = randomPoints(n: n, d: d - 1, seed: UInt64(100 + d))
        let rows = (0..<n).map { Array(raw[point: $0]) }
        let a = try Arrangement.enumerate(lift(rows))
        #expect(a.dimension == d)
        #expect(a.numberOfRegions == Arrangement.generalPositionBound(points: n, dimension: d))
        #expect(consistencyProblems(a).isEmpty)
    }

    @Test(arguments: [(2, 11), (3, 13), (4, 11), (5, 10)])
    func generalPositionCountsNoBias(d: Int, n: Int) throws {
        let a = try Arrangement.enumerate(randomPoints(n: n, d: d, seed: UInt64(200 + d)))
        #expect(a.numberOfRegions == Arrangement.generalPositionBound(points: n, dimension: d))
        let problems = consistencyProblems(a)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    /// With interval 0 the progress handler hears every check of the deadline, after 2^16 units of work (a line
    /// in rank 4 costs 2·(2³ + 3·2²) = 40: a report every 1639 lines, 6 in all): counts only grow, stay below the
    /// final count, and the bound it reports is the general-position bound.
    @Test func progressReportsGrowingCountsBelowTheBound() throws {
        let points = randomPoints(n: 40, d: 4, seed: 11)  // rank 4: C(40, 3) = 9880 lines
        var reports: [EnumerationProgress] = []
        let a = try Arrangement.enumerate(points, progress: { reports.append($0) }, progressInterval: 0)
        let bound = Arrangement.generalPositionBound(points: 40, dimension: 4)
        #expect(a.numberOfRegions == bound)
        #expect(reports.count == 9879 / 1639)
        #expect(
            reports.allSatisfy { $0.bound == bound && $0.regions > 0 && $0.regions <= a.numberOfRegions && $0.rate > 0 }
        )
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.regions <= $1.regions && $0.seconds <= $1.seconds })
        #expect(
            EnumerationProgress(regions: 500, seconds: 2, bound: 1500).description
                == "regions: 500 found in 2.0 s (250/s), at most 1500 in all (general-position bound): ~4 s more at this rate"
        )
        var quiet = 0
        // the interval throttles the reports: an hour's interval gives none (a clock-independent check; the default
        // of one second was flaky under load)
        _ = try Arrangement.enumerate(points, progress: { _ in quiet += 1 }, progressInterval: 3600)
        #expect(quiet == 0)
    }

    /// In rank 8 (14 points in 8-D, C(14, 7) = 3432 lines of 2·(2⁷ + 7·2⁶) = 1152 units of work each) the
    /// deadline is read (and the progress reported) every 57 lines, 60 times in all, where a check every 1024
    /// lines read it 3 times (issue 22: 16 points in 11-D overran a 5 s budget to 24 s); a deadline already past
    /// ends it before any region is found.
    @Test func theDeadlineIsReadAtARateIndependentOfTheDimension() throws {
        let points = randomPoints(n: 14, d: 8, seed: 5)
        var reports = 0
        let a = try Arrangement.enumerate(points, progress: { _ in reports += 1 }, progressInterval: 0)
        #expect(a.numberOfRegions == Arrangement.generalPositionBound(points: 14, dimension: 8))
        #expect(reports == 3431 / 57)
        #expect(throws: ArrangementError.deadlinePassed(regions: 0)) {
            try Arrangement.enumerate(points, deadline: Deadline(end: Date().addingTimeInterval(-1)))
        }
    }

    @Test func largerPlaneCount() throws {
        let raw = randomPoints(n: 60, d: 2, seed: 7)
        let a = try Arrangement.enumerate(lift((0..<60).map { Array(raw[point: $0]) }))
        #expect(a.numberOfRegions == 60 * 60 - 60 + 2)
        #expect(a.numberOfRays == 60 * 59)
    }

    @Test(arguments: degenerateFixtures.indices)
    func degenerateFixturesAreConsistent(index: Int) throws {
        let fixture = degenerateFixtures[index]
        let a = try Arrangement.enumerate(fixture.points)
        let problems = consistencyProblems(a)
        #expect(problems.isEmpty, "\(fixture.name): \(problems.prefix(5))")
    }

    @Test func knownDegenerateCounts() throws {
        // duplicates do not add regions: 4 distinct points of the plane, three of them on x + y = 1: 14 − 2
        #expect(
            try Arrangement.enumerate(lift([[0, 0], [1, 0], [0, 1], [0, 0], [1, 0], [0.3, 0.7]])).numberOfRegions == 12)
        // three collinear of 5 points in the plane: 22 − 2 = 20
        #expect(try Arrangement.enumerate(lift([[0, 0], [1, 1], [2, 2], [0, 1], [3, 0]])).numberOfRegions == 20)
        // 1-d: 4 distinct x values → 8
        #expect(try Arrangement.enumerate(lift([[0], [1], [1], [2], [-3], [0]])).numberOfRegions == 8)
        // rank 1 and rank 0
        let line = try Arrangement.enumerate(lift([[1, 2], [-2, -4], [0.5, 1], [0, 0]], bias: false))
        #expect(line.numberOfRegions == 2 && line.rank == 1 && line.numberOfRays == 2)
        #expect(
            line.signVector(ofRegion: 0).description == "+-+-" || line.signVector(ofRegion: 0).description == "-+--")
        let none = try Arrangement.enumerate(lift([[0, 0], [0, 0]], bias: false))
        #expect(none.numberOfRegions == 1 && none.numberOfRays == 0 && none.signVector(ofRegion: 0).description == "--")
        // data in a plane of R^3: the arrangement of 6 distinct lines of the plane: 12 regions
        let planar = try Arrangement.enumerate(degenerateFixtures[3].points)
        #expect(planar.rank == 2 && planar.numberOfRegions == 12)
    }

    @Test func refusesTooManyRegions() {
        let points = randomPoints(n: 50, d: 3, seed: 1)
        #expect(throws: ArrangementError.tooManyRegions(estimate: 2452, limit: 100)) {
            _ = try Arrangement.enumerate(points, maxRegions: 100)
        }
        #expect(ArrangementError.tooManyRegions(estimate: 2452, limit: 100).description.contains("--max-regions"))
    }

    @Test func signVectorBits() {
        var s = SignVector(count: 70)
        s[0] = true
        s[65] = true
        s[69] = true
        #expect(s.words.count == 2 && s.activePoints == [0, 65, 69] && s.activeCount == 3)
        #expect(s.description.count == 70 && s.description.hasPrefix("+-") && s.description.hasSuffix("+"))
        s[65] = false
        #expect(s.activePoints == [0, 69])
    }
}
