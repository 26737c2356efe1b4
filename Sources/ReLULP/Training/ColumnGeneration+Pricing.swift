import Foundation

extension MasterProblem {
    /// Prices a dual point over every region (docs/mathematics.md §4, "Pricing and the lower bound") by the run's
    /// pricer: the largest |η|, the lower bound on the optimum it proves, and the `keep` largest region sides where
    /// η exceeds 1 (nil: all of them; `sidesNeeded`).
    /// A search cut by `deadline` bounds M by its open nodes (docs/mathematics.md §11), so the bound stays valid.
    func price(
        _ point: PricingPoint, objective: Objective, keep: Int?, deadline: Deadline = .none, maxNodes: Int? = nil
    ) -> PricedPoint {
        let n = trainer.points.count
        let d = trainer.points.dimension
        // η is linear in the dual: price q = u / s with s the power of two at or below max |u_j|, so that the dual
        // of an extreme λ (|u_j| up to 1e12 or down to subnormal) neither overflows nor underflows; s is exact.
        // Extreme values below are in units of q (their order is what column selection uses).
        let largest = point.dual.reduce(0.0) { max($0, abs($1)) }
        let s = largest > 0 && largest.isFinite ? Double(sign: .plus, exponent: largest.exponent, significand: 1) : 1
        let q = point.dual.map { $0 / s }
        // Only `max |η| ≤ 1` matters for the bound (it is then the full dual value): the search prunes nodes below 1
        // unrefined, and its maxValue is then a valid upper bound ≤ 1 rather than the maximum.
        let pricing = pricer.price(
            dual: q, threshold: 1 / s, keep: keep, deadline: deadline, maxNodes: maxNodes,
            progress: options.searchProgress)
        let mScaled = pricing.maxValue
        // A feasible dual of (P) is p = λu scaled to max |η| ≤ 1 (Loss.lowerBound, valid in floating point; p = λs·q
        // is of the size of the dual box, so λs neither overflows nor underflows); for the interpolation u may be
        // scaled freely. The rounding error of the sum and of max |η| (a few (n + d) ulps of the terms) is
        // subtracted, which matters once Newton makes the gap exact.
        let bound: Double
        switch objective {
        case .interpolation:
            bound = Loss.interpolationLowerBound(dual: q, maxCertificate: mScaled, targets: point.targets, dimension: d)
        case .regularized(let lambda):
            // u was clamped to the box of the scaled problem, |u_j| ≤ c = fl(1/(nλ)): λu exceeds the box of (D) by
            // the relative rounding of c, large once c is subnormal.
            let c = Self.residualCost(n: n, lambda: lambda)
            let scale = lambda * s
            let p = q.map { scale * $0 }
            // With an intercept what rounding leaves of Σ p_j is paid by the bound on |b| (§12).
            let slack =
                options.intercept
                ? Loss.interceptSlack(
                    dual: p,
                    interceptBound: options.loss.interceptBound(
                        targets: point.targets, lambda: lambda, radius: trainer.points.radius, weights: weights))
                : 0
            bound = options.loss.lowerBound(
                dual: p, maxCertificate: scale * mScaled, targets: point.targets, lambda: lambda, dimension: d,
                boxExcess: (weights == nil ? 2 : 4) * c.ulp / c, interceptSlack: slack, weights: weights)
        }
        return PricedPoint(
            point: point, pricing: pricing, maxValue: mScaled * s,
            lowerBound: bound.isNaN ? -.infinity : bound,
            violated: pricing.sides.filter { $0.value > (1 + 1e-12) / s })
    }

    /// Heuristic pricing (`Pricer.localSides`): violated sides near the given atoms, no bound; nil when the pricer
    /// has no heuristic.
    func localPrice(_ point: PricingPoint, around seeds: [[Double]], keep: Int) -> PricedPoint? {
        guard let sides = pricer.localSides(dual: point.dual, around: seeds) else { return nil }
        return PricedPoint(
            point: point, pricing: PricingResult(maxValue: sides.first?.value ?? 0, sides: sides, boundSource: .none),
            maxValue: sides.first?.value ?? 0, lowerBound: -.infinity,
            violated: Array(sides.filter { $0.value > 1 + 1e-12 }.prefix(keep)))
    }

    /// Heuristic pricing by local ascent (`AscentPricing`, no bound, no new start past `deadline`); nil when the
    /// pricer is not the search.
    func ascentPrice(_ point: PricingPoint, around seeds: [[Double]], keep: Int, deadline: Deadline) -> PricedPoint? {
        guard let search = pricer as? CertificateSearch else { return nil }
        let sides = AscentPricing(search: search).sides(
            dual: point.dual, around: seeds, seed: UInt64(rounds), deadline: deadline
        ).map(\.side)
        return PricedPoint(
            point: point, pricing: PricingResult(maxValue: sides.first?.value ?? 0, sides: sides, boundSource: .none),
            maxValue: sides.first?.value ?? 0, lowerBound: -.infinity,
            violated: Array(sides.filter { $0.value > 1 + 1e-12 }.prefix(keep)))
    }

    /// Adds new neurons as columns: the Newton proposal's atoms, then the most violating region sides of each
    /// priced point, up to `perRound` new points per pricing point. Adjacent regions whose certificate peaks on a
    /// shared face or ray give the same point, and Newton proposes the same atoms again while the structure
    /// stays: each point (to 1e-9) is one column. Returns the number of columns added; once `deadline` expires no
    /// more sides are turned into columns.
    mutating func addNeurons(
        proposal: [DiracAtom], priced: [PricedPoint], perRound: Int, deadline: Deadline
    ) throws(TrainingError) -> Int {
        let key = Self.key
        var fresh: [(weights: [Double], sign: Double)] = []
        var distinct = Set(master.neurons.map { key($0.weights, $0.sign) })
        func add(_ w: [Double], sign: Double) {
            guard distinct.insert(key(w, sign)).inserted else { return }
            fresh.append((w, sign))
        }
        for atom in proposal { add(atom.weights, sign: atom.amplitude > 0 ? 1 : -1) }
        // Enumerated sides are keyed by region: a side already taken for an earlier point is skipped, except for
        // the first point.
        var seen = Set<Int>()
        for (index, p) in priced.enumerated() {
            let budget = fresh.count + perRound
            for (side, w) in candidates(p, count: Self.candidatesPerColumn * perRound, deadline: deadline) {
                guard fresh.count < budget else { break }
                if let k = side.region, !seen.insert(2 * k + (side.sign > 0 ? 0 : 1)).inserted, index > 0 { continue }
                add(w, sign: Double(side.sign))
            }
        }
        return try master.add(fresh)
    }
}

extension MasterProblem {
    /// How many violated sides per new column the steepest-edge order ranks (`candidates`).
    static let candidatesPerColumn = 4

    /// The number of largest violated sides a round's full pricing must return (`Pricer.price`'s `keep`): from the
    /// enumeration those `candidates` ranks, `candidatesPerColumn · perRound`, or all of them for peaks first (the
    /// peaks come from anywhere among them); from the search `perRound`, as before the lazy scan, since each side
    /// it must keep weakens its pruning (docs/mathematics.md §4, "The lazy scan").
    func sidesNeeded(perRound: Int) -> Int? {
        guard pricer.arrangement != nil else { return perRound }
        return options.peaksFirst ? nil : Self.candidatesPerColumn * perRound
    }

    /// The violated sides of a priced point, with their extreme points, in the order they become columns: the
    /// steepest-edge order of the first `count` (`Pricer.steepestEdge`) for the LP master, with `peaksFirst` the
    /// peaks' order, and by value for the squared loss's QP (its 20 columns a round leave the rest to Newton; the
    /// steepest edge was measured on the L1 loss only).
    func candidates(_ p: PricedPoint, count: Int, deadline: Deadline) -> [(side: RegionSide, w: [Double])] {
        // Side values are in the pricer's units: |η| times p.pricing.maxValue / p.maxValue.
        let threshold = p.maxValue > 0 ? p.pricing.maxValue / p.maxValue : 1
        if !options.peaksFirst && !options.loss.isQuadratic {
            return pricer.steepestEdge(
                Array(p.violated.prefix(count)), in: p.pricing, threshold: threshold, deadline: deadline)
        }
        let sides = options.peaksFirst ? p.peaksFirst(dimension: trainer.points.dimension) : p.violated
        return pricer.extremePoints(of: sides.prefix(count), in: p.pricing, deadline: deadline)
    }
}

/// A dual point to price, with the network it was computed with (the LP's or Newton's; nil for the smoothed
/// point), that network's objective, and the labels the lower bound refers to.
struct PricingPoint {
    var dual: [Double]
    var network: [DiracAtom]?
    var upper: Double
    var targets: [Double]
}

/// A dual point priced over every region (`MasterProblem.price`) or near the current atoms (`localPrice`).
struct PricedPoint {
    var point: PricingPoint
    /// What the pricer found (the enumeration's region vectors give the extreme points of `violated`).
    var pricing: PricingResult
    var maxValue: Double
    var lowerBound: Double
    /// The region sides where η exceeds 1, largest first: new neurons.
    var violated: [RegionSide]

    /// The search's nodes, leaves (dual regions) and pruned nodes.
    var nodes: Int { pricing.nodes }
    var leaves: Int { pricing.leaves }
    var pruned: Int { pricing.pruned }
    var violates: Bool { !violated.isEmpty }
}
