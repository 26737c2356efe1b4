import Dispatch
import Foundation

/// Exact pricing without the arrangement: the largest values of `±Σ_j p_j σ(⟨w, x̃_j⟩)` over the unit sphere by
/// branch and bound over ReLU sign splits (the verification of a one-hidden-layer ReLU network over a ball).
///
/// A node is the polyhedral cone `K = {w : s_j ⟨w, x̃_j⟩ ≥ 0, j ∈ S}` of the signs fixed so far. Over `K ∩ ball`
/// every other pre-activation has the exact range `[l_j, u_j] = [−‖Π_K(−x̂_j)‖, ‖Π_K(x̂_j)‖]`; a point whose
/// range does not straddle 0 has its sign fixed by the node, the others are *unfixed*. Each unfixed ReLU is
/// relaxed (`σ(t) ≤ u(t − l)/(u − l)` where its weight is positive, `σ(t) ≥ α t` with α ∈ [0, 1] where it is
/// negative, α improved by a few Frank–Wolfe steps: `relaxationBound`), and the linear bound is maximised over
/// `K ∩ ball`: `const + ‖Π_K(c)‖`. A node without unfixed
/// points is a dual region, where the bound is the exact extreme value `‖Π_K(±v_s)‖` (docs/mathematics.md §3).
/// Branching splits the unfixed point whose chord adds most to a side still above the cut (`Branching`). Visited leaves and pruned nodes
/// cover the sphere, so the result is exact: the true maximum when it exceeds the threshold, else a valid
/// upper bound below the threshold. A search cut by a deadline or a node limit leaves open nodes; with them the
/// cover stays complete, and the largest of their bounds keeps `maxValue` an upper bound (docs/mathematics.md §11).
public struct CertificateSearch: Sendable {
    /// The lifted points the certificate is built from.
    public let points: LiftedData
    /// Unit rows `x̂_j = x̃_j/‖x̃_j‖` (`n × d`) and the norms; zero points never activate and are left out.
    let unit: [Double]
    let norms: [Double]
    let nonzero: [Int32]
    /// Which unfixed point a node splits on (docs/mathematics.md §11, "Branching").
    public var branching: Branching
    /// Under a node limit, the nodes a dive takes from the open node of largest bound before that node's open
    /// descendants go back to the pool and the largest is taken again (`Int.max`: depth first in each subtree
    /// in turn; docs/mathematics.md §11, "The order of a cut search").
    public var dive = CertificateSearch.cutDive
    /// The most open nodes the pool of a cut search keeps (a node near the root holds its points' extreme points:
    /// ~78 KB on diabetes10); past it, the nodes of lowest bound are left open for good (their bound stays in M̄).
    public var poolCapacity = CertificateSearch.cutPoolCapacity
    /// Whether a search without a node limit may run its remaining subtrees on all cores, read before each subtree
    /// until it says yes (no: on the caller's thread, for the subset bounds beside the rounds, which keep the other
    /// core until they stop; `SubsetPhase`).
    public var parallel: @Sendable () -> Bool = { true }
    public static let cutDive = 4
    public static let cutPoolCapacity = 512

    /// The score by which a node picks the unfixed point it splits on (measured in benchmarks/RESULTS.md,
    /// "Branching and incumbents").
    public enum Branching: String, Sendable, CaseIterable {
        /// `|p_j| · min(u_j, −l_j)` on both sides: the rule before `intercept`, kept for the benchmark.
        case range
        /// The chord's largest excess over `σ`, `|p_j| · u_j(−l_j)/(u_j − l_j)` (BaBSR's intercept score), counted
        /// only where the side on which the point's weight is positive is still above the cut.
        case intercept
    }

    public init(points: LiftedData, branching: Branching = .intercept) {
        self.points = points
        self.branching = branching
        let d = points.dimension
        var unit = [Double](repeating: 0, count: points.count * d)
        var norms = [Double](repeating: 0, count: points.count)
        var scale = 0.0
        for j in 0..<points.count {
            norms[j] = dot(points[point: j], points[point: j]).squareRoot()
            scale = max(scale, norms[j])
        }
        var nonzero: [Int32] = []
        for j in 0..<points.count where norms[j] > Tolerance.zeroPoint * scale {
            nonzero.append(Int32(j))
            for t in 0..<d { unit[j * d + t] = points.values[j * d + t] / norms[j] }
        }
        self.unit = unit
        self.norms = norms
        self.nonzero = nonzero
    }

    /// One side of a dual region found by the search: `value = ‖Π_{R_s}(±v_s)‖` attained at the unit vector
    /// `weights`.
    public struct Extreme: Sendable, Equatable {
        /// +1: a maximum of η (a positive neuron), −1: a minimum.
        public var sign: Int
        public var value: Double
        public var weights: [Double]
        /// The region's sign vector (`true`: the point is active on it). Points that are zero after lifting are
        /// inactive.
        public var region: SignVector? = nil
    }

    /// What a search proved.
    public struct Result: Sendable {
        /// A valid upper bound on `max_w |Σ_j p_j σ(⟨w, x̃_j⟩)|`; equal to the maximum (up to the rounding of the
        /// projections) when that exceeds the threshold, otherwise at most the threshold.
        public var maxValue: Double
        /// The largest extreme value found at a region (a value attained by the certificate; 0 if none).
        public var attained: Double
        /// The region sides with value above the threshold, largest first: the `keep` largest of all of them.
        public var extremes: [Extreme]
        /// Nodes bounded, leaves (dual regions) solved, nodes pruned, largest number of open nodes.
        public var nodes: Int
        public var leaves: Int
        public var pruned: Int
        public var maxOpen: Int
        public var seconds: Double
        /// Whether the search ran to its end (no open node left); otherwise `maxValue` is the bound of an
        /// unfinished search, still valid.
        public var complete = true
        /// Nodes left open by a deadline or node limit; their largest bound is part of `maxValue`.
        public var openNodes = 0
    }

    /// Maximises `|Σ_j p_j σ(⟨w, x̃_j⟩)|` over the unit sphere: the exact maximum when it is above `threshold`,
    /// and the `keep` largest region sides above `threshold` (for column generation); otherwise only proves that
    /// the maximum is at most `threshold` (the returned `maxValue` is then a valid bound ≤ threshold).
    /// Runs on all cores (`parallel`). `relativeTolerance` lets the search stop refining a node whose bound is within that
    /// factor of the values it must beat (the maximum then is exact to that relative tolerance). A `deadline`
    /// or `maxNodes` cuts the search; its open nodes then bound M. Under a node limit the subtrees are searched on
    /// one thread, so that the cut (and what it found) does not depend on the threads' timing, in the order that
    /// lowers M̄ (`dive`, `poolCapacity`). `incumbents` are
    /// region sides of this dual already known (`localExtremes`): once `keep` of them are above the threshold they
    /// raise the cut from the first node; each side is returned once.
    public func maximize(
        dual p: [Double], threshold: Double, keep: Int = 1, relativeTolerance: Double = 1e-13,
        deadline: Deadline = .none, maxNodes: Int? = nil, incumbents: [Extreme] = [],
        progress: (@Sendable (String) -> Void)? = nil
    ) -> Result {
        precondition(p.count == points.count, "dual has \(p.count) entries for \(points.count) points")
        let start = Date()
        let d = points.dimension
        let shared = SearchState(
            threshold: threshold, keep: max(keep, 1), tolerance: relativeTolerance, deadline: deadline,
            maxNodes: maxNodes)
        guard d > 0, !nonzero.isEmpty else {
            return Result(
                maxValue: 0, attained: 0, extremes: [], nodes: 0, leaves: 0, pruned: 0, maxOpen: 0,
                seconds: 0)
        }
        // Coefficients on the unit rows.
        let q = (0..<points.count).map { p[$0] * norms[$0] }
        var root = Node(
            constraints: [], unfixed: nonzero, lower: nonzero.map { _ in -1 },
            upper: nonzero.map { _ in 1 }, active: .init(repeating: 0, count: d), slack: 0)
        // Over the whole ball the range of ⟨x̂_j, w⟩ is [−1, 1], attained at ∓x̂_j.
        for j in nonzero.map(Int.init) {
            root.upperPoint.append(contentsOf: unit[(j * d)..<(j * d + d)])
            root.lowerPoint.append(contentsOf: unit[(j * d)..<(j * d + d)].map { -$0 })
        }
        // Region sides already known for this dual (values attained by the certificate) raise the cut at once.
        if let top = incumbents.map(\.value).max() {
            _ = shared.offer(
                incumbents, attained: top, pruned: 0, slack: 0, nodes: 0, leaves: 0, pruned: 0, open: 0)
        }
        var worker = Worker(search: self, q: q, state: shared)
        // Breadth first until there is enough work for every core, then one depth-first search per subtree.
        var frontier: [Node] = []
        if let bounded = worker.bound(root) { frontier.append(bounded) }
        let target = 16 * ProcessInfo.processInfo.activeProcessorCount
        while !frontier.isEmpty && frontier.count < target {
            var next: [Node] = []
            var expanded = false
            for node in frontier {
                // Cut: the rest stays open (the depth-first workers record it).
                if worker.cutOff() {
                    next.append(node)
                    continue
                }
                if node.unfixed.isEmpty || !worker.alive(node) {
                    worker.finish(node)
                    continue
                }
                expanded = true
                for child in worker.children(of: node) { next.append(child) }
            }
            frontier = next
            if !expanded || worker.stopped { break }
        }
        // Larger bounds first: good incumbents early make the cut rise sooner.
        frontier.sort { $0.largestBound > $1.largestBound }
        let subtrees = frontier
        worker.flush()
        let reporter = progress.map { report in ProgressReporter(report: report, state: shared) }
        if maxNodes != nil {
            worker.search(from: subtrees, dive: dive, capacity: poolCapacity)
            worker.flush()
        } else {
            let searchSubtree: @Sendable (Int) -> Void = { index in
                var w = Worker(search: self, q: q, state: shared)
                w.search(from: [subtrees[index]], dive: .max)
                w.flush()
                reporter?.tick()
            }
            var next = 0
            while next < subtrees.count && !parallel() {
                searchSubtree(next)
                next += 1
            }
            let rest = next
            DispatchQueue.concurrentPerform(iterations: subtrees.count - rest) { searchSubtree(rest + $0) }
        }
        return shared.result(seconds: Date().timeIntervalSince(start))
    }
}

/// A node of the search: the fixed signs (`constraints`: `±(j + 1)`), the unfixed points with their ranges, the
/// sum of the weighted unit rows fixed active (`Σ q_j x̂_j`), the rounding slack of points fixed by tolerance, and
/// the bounds of both sides (η and −η).
struct Node {
    var constraints: [Int32]
    /// Points whose sign the node's cone fixes without a constraint (`±(j + 1)`): with `constraints`, a leaf's
    /// sign vector.
    var fixed: [Int32] = []
    var unfixed: [Int32]
    var lower: [Double]
    var upper: [Double]
    /// Where the ranges are attained (`Π_K(±x̂_j)`, `unfixed.count × d`): a child whose new constraint keeps the
    /// point inherits the range without a projection.
    var lowerPoint: [Double] = []
    var upperPoint: [Double] = []
    var active: [Double]
    var slack: Double
    var bound: (Double, Double) = (.infinity, .infinity)
}

/// The state shared by the workers: the best region sides so far and the cut they imply.
final class SearchState: @unchecked Sendable {
    let threshold: Double
    let keep: Int
    let tolerance: Double
    let deadline: Deadline
    let maxNodes: Int?
    private let lock = NSLock()
    private var stopped = false
    private var openBound = 0.0
    private var openNodes = 0
    private var best: [CertificateSearch.Extreme] = []
    private var cutValue: Double
    private var attained = 0.0
    private var prunedBound = 0.0
    private var slackMax = 0.0
    private(set) var nodes = 0, leaves = 0, pruned = 0, maxOpen = 0

    init(threshold: Double, keep: Int, tolerance: Double, deadline: Deadline = .none, maxNodes: Int? = nil) {
        self.threshold = threshold
        self.keep = keep
        self.tolerance = tolerance
        self.deadline = deadline
        self.maxNodes = maxNodes
        cutValue = threshold
    }

    /// Whether the search is cut: the deadline passed or, with `local` nodes not yet counted, the node limit is
    /// reached. Once cut, it stays cut.
    func cutOff(local: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if !stopped { stopped = deadline.expired || maxNodes.map { nodes + local >= $0 } ?? false }
        return stopped
    }

    /// Nodes left open by the cut and the largest of their bounds.
    func recordOpen(count: Int, bound: Double) {
        lock.lock()
        defer { lock.unlock() }
        openNodes += count
        openBound = max(openBound, bound)
    }

    /// A node side whose bound is at most this cannot add anything: below the threshold, or below the k-th best
    /// region side found (up to the relative tolerance).
    var cut: Double {
        lock.lock()
        defer { lock.unlock() }
        return cutValue
    }

    func offer(
        _ extremes: [CertificateSearch.Extreme], attained value: Double, pruned bound: Double, slack: Double,
        nodes: Int, leaves: Int, pruned count: Int, open: Int
    ) -> Double {
        lock.lock()
        defer { lock.unlock() }
        attained = max(attained, value)
        prunedBound = max(prunedBound, bound)
        slackMax = max(slackMax, slack)
        self.nodes += nodes
        self.leaves += leaves
        self.pruned += count
        maxOpen = max(maxOpen, open)
        for e in extremes where e.value > threshold {
            if best.count == keep, let last = best.last, e.value <= last.value { continue }
            // A side found twice (an incumbent the search reaches again) counts once.
            if e.region != nil, best.contains(where: { $0.sign == e.sign && $0.region == e.region }) { continue }
            let at = best.firstIndex { $0.value < e.value } ?? best.count
            best.insert(e, at: at)
            if best.count > keep { best.removeLast() }
        }
        if best.count == keep, let last = best.last { cutValue = max(threshold, last.value * (1 + tolerance)) }
        return cutValue
    }

    func snapshot() -> (nodes: Int, best: Double, cut: Double) {
        lock.lock()
        defer { lock.unlock() }
        return (nodes, attained, cutValue)
    }

    func result(seconds: Double) -> CertificateSearch.Result {
        lock.lock()
        defer { lock.unlock() }
        // Every region side not found lies in a pruned or an open node; regions fixed by tolerance carry their
        // slack.
        let upper = max(attained + slackMax, prunedBound, openBound)
        return .init(
            maxValue: upper, attained: attained, extremes: best, nodes: nodes, leaves: leaves, pruned: pruned,
            maxOpen: maxOpen, seconds: seconds, complete: openNodes == 0, openNodes: openNodes)
    }
}

/// Reports the search's progress at most every two seconds.
final class ProgressReporter: @unchecked Sendable {
    let report: @Sendable (String) -> Void
    let state: SearchState
    private let lock = NSLock()
    private var last = Date()
    private var done = 0
    init(report: @escaping @Sendable (String) -> Void, state: SearchState) {
        self.report = report
        self.state = state
    }
    func tick() {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        guard Date().timeIntervalSince(last) > 2 else { return }
        last = Date()
        let s = state.snapshot()
        report(
            String(
                format: "  search: %d subtrees closed, %d nodes, best %.9g, cut %.9g",
                done, s.nodes, s.best, s.cut))
    }
}

/// One thread's search: scratch buffers and local statistics, merged into the shared state in batches.
struct Worker {
    let search: CertificateSearch
    let q: [Double]
    let state: SearchState
    let d: Int
    var projector: HalfspaceConeProjector
    var normals: [Double] = []
    var scratch: [Double]
    var direction: [Double]
    /// The lower slopes `α` of the unfixed points of the node being bounded (used where the weight is negative).
    var slopes: [Double] = []
    var cut: Double
    // Local statistics and findings since the last flush.
    var found: [CertificateSearch.Extreme] = []
    var attained = 0.0, prunedBound = 0.0, slack = 0.0
    var nodes = 0, leaves = 0, pruned = 0, open = 0
    /// Calls of `cutOff` and whether the search was cut (the shared state is read every 8 calls, or every call
    /// under a node limit).
    var ticks = 0
    var stopped = false

    init(search: CertificateSearch, q: [Double], state: SearchState) {
        self.search = search
        self.q = q
        self.state = state
        d = search.points.dimension
        projector = HalfspaceConeProjector(dimension: d)
        scratch = .init(repeating: 0, count: d)
        direction = .init(repeating: 0, count: d)
        cut = state.cut
    }

    mutating func flush() {
        cut = state.offer(
            found, attained: attained, pruned: prunedBound, slack: slack, nodes: nodes, leaves: leaves,
            pruned: pruned, open: open)
        found.removeAll(keepingCapacity: true)
        nodes = 0
        leaves = 0
        pruned = 0
    }

    /// Whether the search is cut (deadline or node limit): read from the shared state at the first call and every
    /// 8th after (every call under a node limit).
    mutating func cutOff() -> Bool {
        defer { ticks += 1 }
        guard !stopped else { return true }
        guard state.maxNodes != nil || ticks % 8 == 0 else { return false }
        stopped = state.cutOff(local: nodes)
        return stopped
    }

    /// Whether a side of the node can still beat the cut; otherwise it is pruned (its bound recorded).
    func alive(_ node: Node) -> Bool { node.bound.0 > cut || node.bound.1 > cut }

    /// A node that was not expanded: a leaf records its regions, any other node is pruned.
    mutating func finish(_ node: Node) {
        if node.unfixed.isEmpty {
            leaf(node)
        } else {
            pruned += 1
            prunedBound = max(prunedBound, node.bound.0, node.bound.1)
        }
    }

    /// The node's cone: unit normals `s_j x̂_j` of its fixed constraints, into `normals`.
    mutating func loadNormals(_ constraints: [Int32]) {
        let needed = constraints.count * d
        if normals.count < needed { normals = .init(repeating: 0, count: max(needed, 2 * normals.count)) }
        search.unit.withUnsafeBufferPointer { u in
            for (i, c) in constraints.enumerated() {
                let j = Int(abs(c)) - 1
                let s: Double = c > 0 ? 1 : -1
                for t in 0..<d { normals[i * d + t] = s * u[j * d + t] }
            }
        }
    }

    /// `‖Π_K(x)‖` for the node loaded into `normals`.
    mutating func projectedNorm(_ x: UnsafeBufferPointer<Double>, count: Int) -> Double {
        normals.withUnsafeBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { out in projector.project(x, normals: a, count: count, into: out) }
        }
    }

    /// The bounds of both sides of a node whose ranges are set; nil when both are below the cut (pruned).
    mutating func bound(_ node: Node) -> Node? {
        var node = node
        nodes += 1
        loadNormals(node.constraints)
        let k = node.constraints.count
        if node.unfixed.isEmpty {
            for (side, s) in [(0, 1.0), (1, -1.0)] {
                for t in 0..<d { direction[t] = s * node.active[t] }
                let value = direction.withUnsafeBufferPointer { projectedNorm($0, count: k) }
                if side == 0 { node.bound.0 = value + node.slack } else { node.bound.1 = value + node.slack }
            }
            return node
        }
        for (side, s) in [(0, 1.0), (1, -1.0)] {
            let value = relaxationBound(node, sign: s, constraints: k)
            if side == 0 { node.bound.0 = value } else { node.bound.1 = value }
        }
        if !alive(node) {
            pruned += 1
            prunedBound = max(prunedBound, node.bound.0, node.bound.1)
            return nil
        }
        return node
    }

    /// Steps of the lower slopes `α` per node side (docs/mathematics.md §11, "Optimised slopes").
    static let slopeSteps = 3

    /// The relaxation bound of `s·η` over the node's cone ∩ ball (cone loaded into `normals`): the chord above
    /// each unfixed ReLU of positive weight, `σ(t) ≥ α t` below each one of negative weight, `const + ‖Π_K(c(α))‖`.
    /// α starts at CROWN's choice (1 where `u ≥ −l`, else 0) and takes Frank–Wolfe steps toward the slopes that
    /// are exact at the relaxation's maximiser; every α ∈ [0, 1]ⁿ gives a valid bound, so the least is kept.
    mutating func relaxationBound(_ node: Node, sign s: Double, constraints k: Int) -> Double {
        var constant = 0.0
        var negative = false
        if slopes.count < node.unfixed.count { slopes = .init(repeating: 0, count: 2 * node.unfixed.count) }
        for t in 0..<d { direction[t] = s * node.active[t] }
        search.unit.withUnsafeBufferPointer { u in
            for (e, j32) in node.unfixed.enumerated() {
                let j = Int(j32)
                let w = s * q[j]
                let l = node.lower[e]
                let h = node.upper[e]
                let coefficient: Double
                if w > 0 {
                    coefficient = w * h / (h - l)
                    constant += w * (-h * l) / (h - l)
                } else {
                    slopes[e] = h >= -l ? 1 : 0
                    coefficient = w * slopes[e]
                    negative = negative || w < 0
                }
                if coefficient != 0 { for t in 0..<d { direction[t] += coefficient * u[j * d + t] } }
            }
        }
        var best = Double.infinity
        for step in 0...(negative ? Self.slopeSteps : 0) {
            if step > 0 {
                // Π_K(c) is in `scratch`: the maximiser is its direction. Move α toward the vertex of [0, 1]ⁿ that
                // minimises the linear bound at that maximiser (α_j = 1 where ⟨x̂_j, w*⟩ > 0), step 1/(step + 1).
                let gamma = 1 / Double(step + 1)
                search.unit.withUnsafeBufferPointer { u in
                    for (e, j32) in node.unfixed.enumerated() {
                        let j = Int(j32)
                        let w = s * q[j]
                        guard w < 0 else { continue }
                        var t = 0.0
                        for i in 0..<d { t += u[j * d + i] * scratch[i] }
                        let delta = gamma * ((t > 0 ? 1 : 0) - slopes[e])
                        guard delta != 0 else { continue }
                        slopes[e] += delta
                        for i in 0..<d { direction[i] += w * delta * u[j * d + i] }
                    }
                }
            }
            var n2 = 0.0
            for t in 0..<d { n2 += direction[t] * direction[t] }
            // ‖Π_K(c)‖ ≤ ‖c‖: project only when the cheap bound does not already prune.
            let cheap = constant + n2.squareRoot() + node.slack
            if cheap <= cut { return min(best, cheap) }
            let value = constant + direction.withUnsafeBufferPointer { projectedNorm($0, count: k) } + node.slack
            best = min(best, value)
            if best <= cut || value == constant + node.slack { break }
        }
        return best
    }

    /// A dual region: record both sides' extreme points.
    mutating func leaf(_ node: Node) {
        leaves += 1
        loadNormals(node.constraints)
        let k = node.constraints.count
        slack = max(slack, node.slack)
        for s in [1.0, -1.0] {
            for t in 0..<d { direction[t] = s * node.active[t] }
            let value = direction.withUnsafeBufferPointer { projectedNorm($0, count: k) }
            attained = max(attained, value)
            if value > cut, value > 0 {
                var region = SignVector(count: search.points.count)
                for c in node.constraints where c > 0 { region[Int(c) - 1] = true }
                for c in node.fixed where c > 0 { region[Int(c) - 1] = true }
                found.append(
                    .init(
                        sign: s > 0 ? 1 : -1, value: value, weights: scratch.map { $0 / value },
                        region: region))
            } else {
                prunedBound = max(prunedBound, value + node.slack)
            }
        }
        if found.count >= 64 { flush() }
    }

    /// The two children of a node on the unfixed point with the largest relaxation error, each with its ranges
    /// recomputed and its bounds; children below the cut are pruned.
    mutating func children(of node: Node) -> [Node] {
        let branch = branchingPoint(of: node)
        let j = node.unfixed[branch]
        var result: [Node] = []
        for s: Int32 in [1, -1] {
            var child = Node(
                constraints: node.constraints + [s * (j + 1)], fixed: node.fixed, unfixed: [], lower: [],
                upper: [], active: node.active, slack: node.slack)
            if s > 0 {
                search.unit.withUnsafeBufferPointer { u in
                    for t in 0..<d { child.active[t] += q[Int(j)] * u[Int(j) * d + t] }
                }
            }
            loadNormals(child.constraints)
            let k = child.constraints.count
            child.unfixed.reserveCapacity(node.unfixed.count - 1)
            let normal = (0..<d).map { Double(s) * search.unit[Int(j) * d + $0] }
            for (e, i32) in node.unfixed.enumerated() where e != branch {
                let i = Int(i32)
                // The parent's extreme points stay optimal when they satisfy the new constraint.
                var h = node.upper[e]
                var l = node.lower[e]
                var hPoint = node.upperPoint[(e * d)..<(e * d + d)]
                var lPoint = node.lowerPoint[(e * d)..<(e * d + d)]
                if dot(normal, hPoint) < 0 {
                    h = search.unit.withUnsafeBufferPointer {
                        projectedNorm(UnsafeBufferPointer(rebasing: $0[(i * d)..<(i * d + d)]), count: k)
                    }
                    hPoint = scratch[...]
                }
                if dot(normal, lPoint) < 0 {
                    for t in 0..<d { direction[t] = -search.unit[i * d + t] }
                    l = -direction.withUnsafeBufferPointer { projectedNorm($0, count: k) }
                    lPoint = scratch[...]
                }
                // Ranges below the rounding of the projections fix the sign; the ignored part is slack.
                let tolerance = 1e-12
                if h <= tolerance || -l <= tolerance {
                    let activeSide = -l <= h
                    if activeSide {
                        search.unit.withUnsafeBufferPointer { u in
                            for t in 0..<d { child.active[t] += q[i] * u[i * d + t] }
                        }
                    }
                    child.slack += abs(q[i]) * min(h, -l)
                    child.fixed.append(activeSide ? i32 + 1 : -(i32 + 1))
                } else {
                    child.unfixed.append(i32)
                    child.lower.append(l)
                    child.upper.append(h)
                    child.lowerPoint.append(contentsOf: lPoint)
                    child.upperPoint.append(contentsOf: hPoint)
                }
            }
            if let bounded = bound(child) { result.append(bounded) }
        }
        return result
    }

    /// The index in `node.unfixed` of the point to split on (`CertificateSearch.Branching`); among equal scores
    /// (sides below the cut score 0) the widest range.
    func branchingPoint(of node: Node) -> Int {
        var branch = 0
        var score = -1.0
        var rangeScore = -1.0
        for (e, j32) in node.unfixed.enumerated() {
            let weight = abs(q[Int(j32)])
            let l = node.lower[e]
            let h = node.upper[e]
            let range = weight * min(h, -l)
            var value = range
            if search.branching == .intercept {
                // The chord bounds the side on which the point's weight is positive.
                let alive = q[Int(j32)] > 0 ? node.bound.0 > cut : node.bound.1 > cut
                value = alive ? weight * h * (-l) / (h - l) : 0
            }
            if value > score || (value == score && range > rangeScore) {
                score = value
                rangeScore = range
                branch = e
            }
        }
        return branch
    }

    /// Dives from the open node of largest bound: depth first, the child with the larger bound first, for `dive`
    /// expanded nodes; then the dive's open nodes go back to the pool and the largest is taken again. Past
    /// `capacity` the pool leaves its nodes of lowest bound open for good (recorded: their bound stays in M̄). With
    /// `dive == .max` each start is searched depth first in turn (memory: the path's open siblings).
    mutating func search(from starts: [Node], dive: Int, capacity: Int = .max) {
        var pool = starts
        while let first = pool.indices.max(by: { pool[$0].largestBound < pool[$1].largestBound }) {
            var stack = [pool.remove(at: first)]
            var expanded = 0
            while let node = stack.popLast() {
                open = max(open, pool.count + stack.count + 1)
                if cutOff() {
                    record(open: [node] + stack + pool)
                    return
                }
                if nodes >= 256 { flush() }
                if node.unfixed.isEmpty || !alive(node) {
                    finish(node)
                    continue
                }
                stack.append(contentsOf: children(of: node).sorted { $0.largestBound < $1.largestBound })
                expanded += 1
                if expanded >= dive {
                    pool += stack
                    if pool.count > capacity {
                        pool.sort { $0.largestBound > $1.largestBound }
                        // Leaves and nodes below the cut are closed as usual; the others stay open for good.
                        var left: [Node] = []
                        for node in pool[capacity...] {
                            if node.unfixed.isEmpty || !alive(node) { finish(node) } else { left.append(node) }
                        }
                        record(open: left)
                        pool.removeSubrange(capacity...)
                    }
                    break
                }
            }
        }
    }

    /// Nodes left open: their count and largest bound go to the shared state.
    func record<C: Collection<Node>>(open nodes: C) {
        state.recordOpen(count: nodes.count, bound: nodes.reduce(0.0) { max($0, $1.largestBound) })
    }
}

extension Node {
    /// The larger bound of the node's two sides.
    var largestBound: Double { max(bound.0, bound.1) }
}

extension CertificateSearch {
    /// Heuristic pricing without a bound: the exact extreme values of `±Σ_j p_j σ(⟨w, x̃_j⟩)` on the cells of the
    /// given points and on the cells one hyperplane away (the hyperplanes within 1e-9 of a point: atoms sit on
    /// region boundaries). Every value is attained by the certificate (on the closed cone `{s_j⟨w, x̃_j⟩ ≥ 0}`
    /// the certificate is `⟨v_s, w⟩` exactly), so each one above 1 is an improving neuron; their maximum is
    /// only a lower value of max |η|, never a bound. Largest first.
    public func localExtremes(dual p: [Double], around seeds: [[Double]]) -> [Extreme] {
        let d = points.dimension
        guard d > 0, !nonzero.isEmpty else { return [] }
        var projector = HalfspaceConeProjector(dimension: d)
        var normals = [Double](repeating: 0, count: nonzero.count * d)
        var out = [Double](repeating: 0, count: d)
        var seen = Set<[Bool]>()
        var result: [Extreme] = []
        func evaluate(_ signs: [Bool]) {
            guard seen.insert(signs).inserted else { return }
            var v = [Double](repeating: 0, count: d)
            var region = SignVector(count: points.count)
            for (e, j32) in nonzero.enumerated() {
                let j = Int(j32)
                let s: Double = signs[e] ? 1 : -1
                for t in 0..<d { normals[e * d + t] = s * unit[j * d + t] }
                if signs[e] {
                    region[j] = true
                    for t in 0..<d { v[t] += p[j] * points.values[j * d + t] }
                }
            }
            for sign in [1, -1] {
                let x = v.map { Double(sign) * $0 }
                let value = x.withUnsafeBufferPointer { x in
                    normals.withUnsafeBufferPointer { a in
                        out.withUnsafeMutableBufferPointer {
                            projector.project(x, normals: a, count: nonzero.count, into: $0)
                        }
                    }
                }
                // A projection at the rounding level of ‖x‖ is 0: its direction is noise, not an extreme point.
                let scale = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if value > 1e-12 * scale {
                    result.append(Extreme(sign: sign, value: value, weights: out.map { $0 / value }, region: region))
                }
            }
        }
        for w in seeds where w.count == d {
            let margins = nonzero.map { j in (0..<d).reduce(0.0) { $0 + w[$1] * unit[Int(j) * d + $1] } }
            let signs = margins.map { $0 > 0 }
            evaluate(signs)
            for (e, margin) in margins.enumerated() where abs(margin) <= 1e-9 {
                var flipped = signs
                flipped[e].toggle()
                evaluate(flipped)
            }
        }
        return result.sorted { $0.value > $1.value }
    }
}

extension CertificateSearch {
    /// The extreme value of `sign · Σ_j p_j σ(⟨w, x̃_j⟩)` over the closed cone `{w : s_j⟨w, x̃_j⟩ ≥ 0}` of the sign
    /// vector `region` ∩ ball, where the certificate is the linear `⟨v_s, w⟩`: `‖Π(sign·v_s)‖` by the projection
    /// onto the cone given by its inequalities (no enumeration), and the unit vector attaining it; nil when 0.
    public func extreme(dual p: [Double], region: SignVector, sign: Int) -> Extreme? {
        precondition(p.count == points.count && region.count == points.count)
        let d = points.dimension
        guard d > 0, !nonzero.isEmpty else { return nil }
        var projector = HalfspaceConeProjector(dimension: d)
        var normals = [Double](repeating: 0, count: nonzero.count * d)
        var x = [Double](repeating: 0, count: d)
        var out = [Double](repeating: 0, count: d)
        for (e, j32) in nonzero.enumerated() {
            let j = Int(j32)
            let s: Double = region[j] ? 1 : -1
            for t in 0..<d { normals[e * d + t] = s * unit[j * d + t] }
            if region[j] { for t in 0..<d { x[t] += Double(sign) * p[j] * points.values[j * d + t] } }
        }
        let value = x.withUnsafeBufferPointer { x in
            normals.withUnsafeBufferPointer { a in
                out.withUnsafeMutableBufferPointer { projector.project(x, normals: a, count: nonzero.count, into: $0) }
            }
        }
        guard value > 0 else { return nil }
        return Extreme(sign: sign, value: value, weights: out.map { $0 / value }, region: region)
    }
}

extension CertificateSearch: Pricer {
    public var mode: PricingMode { .branchAndBound }
    /// None: the search never stores the regions.
    public var arrangement: Arrangement? { nil }

    public func price(
        dual p: [Double], threshold: Double, keep: Int?, deadline: Deadline, maxNodes: Int?,
        progress: (@Sendable (String) -> Void)?
    ) -> PricingResult {
        let search = maximize(
            dual: p, threshold: threshold, keep: keep ?? .max, deadline: deadline, maxNodes: maxNodes,
            progress: progress)
        return PricingResult(
            maxValue: search.maxValue, sides: search.extremes.map(\.side),
            nodes: search.nodes, leaves: search.leaves, pruned: search.pruned,
            openNodes: search.openNodes, boundSource: search.complete ? .exact : .searchBound)
    }

    public func extremePoint(of side: RegionSide, in pricing: PricingResult) -> [Double]? { side.weights }

    /// The cells of the seeds and their neighbours (`localExtremes`).
    public func localSides(dual p: [Double], around seeds: [[Double]]) -> [RegionSide]? {
        localExtremes(dual: p, around: seeds).map(\.side)
    }
}

extension CertificateSearch.Extreme {
    /// The side as the pricing protocol reports it, with its extreme point.
    var side: RegionSide { RegionSide(sign: sign, value: value, weights: weights) }
}
