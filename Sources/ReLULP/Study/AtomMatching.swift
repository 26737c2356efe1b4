import Foundation

/// One-to-one matching of the atoms of a solution to those of a reference measure (the noise-free limit).
///
/// The cost of a pair is the angle in radians between the unit weights. Only atoms of the same sign are
/// paired: an atom with no partner of its sign is unmatched. The location error of a pair is its angle, the
/// amplitude error `|a − a*|`.
public struct AtomMatching: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable, Codable {
        /// Repeatedly pair the two closest unpaired atoms.
        case greedy
        /// Minimal total angle (the Hungarian algorithm); ties to the greedy result on well-separated atoms.
        case hungarian
    }

    public struct Pair: Sendable, Equatable {
        /// Index in the reference atoms.
        public var reference: Int
        /// Index in the matched (candidate) atoms.
        public var candidate: Int
        public var angle: Double
        public var amplitudeError: Double
    }

    public var pairs: [Pair]
    public var unmatchedReference: [Int]
    public var unmatchedCandidate: [Int]

    /// Atoms without a partner, on both sides.
    public var unmatched: Int { unmatchedReference.count + unmatchedCandidate.count }
    /// The largest angle over the pairs (0 without pairs).
    public var maxAngleError: Double { pairs.map(\.angle).max() ?? 0 }
    /// The largest amplitude error over the pairs (0 without pairs).
    public var maxAmplitudeError: Double { pairs.map(\.amplitudeError).max() ?? 0 }

    /// The angle between two weight vectors (normalised here), in [0, π].
    public static func angle(_ a: [Double], _ b: [Double]) -> Double {
        let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard na > 0, nb > 0 else { return .pi }
        let c = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } / (na * nb)
        // atan2 of |a×b| and a·b is accurate for tiny angles too; for vectors use the norm of the difference.
        let ua = a.map { $0 / na }
        let ub = b.map { $0 / nb }
        let diff = zip(ua, ub).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let sum = zip(ua, ub).reduce(0) { $0 + ($1.0 + $1.1) * ($1.0 + $1.1) }.squareRoot()
        return c.isFinite ? 2 * atan2(diff, sum) : .pi
    }

    public init(_ candidates: [DiracAtom], to reference: [DiracAtom], method: Method = .hungarian) {
        let forbidden = 1e6
        let cost: [[Double]] = reference.map { r in
            candidates.map { c in
                (r.amplitude > 0) == (c.amplitude > 0) ? Self.angle(r.weights, c.weights) : forbidden
            }
        }
        var assignment: [(Int, Int)] = []
        switch method {
        case .greedy:
            var all: [(Double, Int, Int)] = []
            for i in reference.indices {
                for j in candidates.indices where cost[i][j] < forbidden { all.append((cost[i][j], i, j)) }
            }
            all.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
            var usedR = Set<Int>()
            var usedC = Set<Int>()
            for (_, i, j) in all where !usedR.contains(i) && !usedC.contains(j) {
                usedR.insert(i)
                usedC.insert(j)
                assignment.append((i, j))
            }
        case .hungarian:
            assignment = Self.hungarian(cost).filter { cost[$0.0][$0.1] < forbidden }
        }
        assignment.sort { $0.0 < $1.0 }
        pairs = assignment.map { (i, j) in
            Pair(
                reference: i, candidate: j, angle: cost[i][j],
                amplitudeError: abs(candidates[j].amplitude - reference[i].amplitude))
        }
        let r = Set(assignment.map(\.0))
        let c = Set(assignment.map(\.1))
        unmatchedReference = reference.indices.filter { !r.contains($0) }
        unmatchedCandidate = candidates.indices.filter { !c.contains($0) }
    }

    /// Minimum-cost assignment on a rectangular matrix (rows × columns): min(rows, columns) pairs.
    static func hungarian(_ cost: [[Double]]) -> [(Int, Int)] {
        let rows = cost.count
        guard rows > 0, let columns = cost.first?.count, columns > 0 else { return [] }
        // The O(n²m) potentials algorithm needs rows ≤ columns; transpose otherwise.
        if rows > columns {
            let t = (0..<columns).map { j in (0..<rows).map { i in cost[i][j] } }
            return hungarian(t).map { ($0.1, $0.0) }
        }
        let n = rows
        let m = columns
        var u = [Double](repeating: 0, count: n + 1)
        var v = [Double](repeating: 0, count: m + 1)
        var p = [Int](repeating: 0, count: m + 1)
        var way = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            p[0] = i
            var j0 = 0
            var minv = [Double](repeating: .infinity, count: m + 1)
            var used = [Bool](repeating: false, count: m + 1)
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = Double.infinity
                var j1 = 0
                for j in 1...m where !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j] {
                        minv[j] = cur
                        way[j] = j0
                    }
                    if minv[j] < delta {
                        delta = minv[j]
                        j1 = j
                    }
                }
                for j in 0...m {
                    if used[j] {
                        u[p[j]] += delta
                        v[j] -= delta
                    } else {
                        minv[j] -= delta
                    }
                }
                j0 = j1
            } while p[j0] != 0
            repeat {
                let j1 = way[j0]
                p[j0] = p[j1]
                j0 = j1
            } while j0 != 0
        }
        var result: [(Int, Int)] = []
        for j in 1...m where p[j] != 0 { result.append((p[j] - 1, j - 1)) }
        return result
    }
}
