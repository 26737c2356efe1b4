/// What the region-dependent part of the certificate check found (`Pricer.certificateMaxima`; in units of p:
/// values are λ·η): the largest |Σ_j p_j σ(⟨w, x̃_j⟩)|, each Dirac's nearest extreme point and the uniqueness margin.
public struct CertificateMaxima: Sendable {
    /// Where a value is attained: the region (index with enumeration only), the side (+1: max, −1: min), the
    /// region's sign vector and the point.
    public struct Location: Sendable {
        public var region: Int?
        public var sign: Int
        public var signVector: String
        public var point: [Double]?
    }

    /// A Dirac's nearest extreme point: on `region` (enumeration only), with the extreme value there.
    public struct SupportExtreme: Sendable {
        public var region: Int?
        public var value: Double
        public var point: [Double]
    }

    public var maxValue: Double
    /// False when the search only proved `maxValue` as a bound (below its threshold).
    public var exact: Bool
    public var argmax: Location
    /// Per Dirac: its regions (enumeration only) and the nearest extreme.
    public var supportRegions: [[Int]?]
    public var supportExtremes: [SupportExtreme?]
    /// The largest region side without a Dirac of its sign: value, region (enumeration only), side, sign vector.
    public struct Margin: Sendable {
        public var value: Double
        public var region: Int?
        public var sign: Int
        public var signVector: String
    }
    public var margin: Margin?
    /// Search: no side without a Dirac lies above this (margin nil); nil if found or not determined.
    public var marginAtMost: Double?
    /// False when the search gave up looking for the margin (`maxMarginSides`).
    public var marginResolved: Bool
    /// Regions and rays counted by the enumeration; nodes and leaves of the search.
    public var regions: Int?
    public var rays: Int?
    public var nodes: Int?
    public var leaves: Int?
}

/// Euclidean distance between two vectors of the same length.
func euclideanDistance(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
}

extension EnumeratedPricer {
    /// The maxima region by region over the enumerated arrangement, all exact (`threshold` is not needed).
    public func certificateMaxima(
        dual p: [Double], atoms: [DiracAtom], atomSigns: [[Int8]], threshold: Double,
        options: CertificateCheckOptions
    ) -> CertificateMaxima {
        let arrangement = regions
        let d = arrangement.dimension
        let vectors = arrangement.regionVectors(dual: p)
        let scan = arrangement.scanCertificate(regionVectors: vectors, threshold: 0)
        func regionVector(_ k: Int) -> ArraySlice<Double> { vectors[(k * d)..<(k * d + d)] }
        var argmax = CertificateMaxima.Location(region: nil, sign: scan.argmaxSign, signVector: "", point: nil)
        if scan.argmaxRegion >= 0 {
            argmax.region = scan.argmaxRegion
            argmax.point = arrangement.extremePoint(
                region: scan.argmaxRegion, sign: scan.argmaxSign,
                regionVector: regionVector(scan.argmaxRegion))
            argmax.signVector = arrangement.signVector(ofRegion: scan.argmaxRegion).description
        }
        let closures = arrangement.closureRegions(signs: atomSigns)
        var extremes: [CertificateMaxima.SupportExtreme?] = []
        var occupied = Set<Int>()  // 2·region + (0: positive side, 1: negative side)
        for (i, atom) in atoms.enumerated() {
            let sign = atom.amplitude >= 0 ? 1 : -1
            var best: CertificateMaxima.SupportExtreme? = nil
            var bestDistance = Double.infinity
            for k in closures[i] {
                occupied.insert(2 * k + (sign > 0 ? 0 : 1))
                guard let point = arrangement.extremePoint(region: k, sign: sign, regionVector: regionVector(k)) else {
                    continue
                }
                let distance = euclideanDistance(point, atom.weights)
                if best == nil || distance < bestDistance {
                    best = .init(region: k, value: Double(sign) * dot(regionVector(k), point), point: point)
                    bestDistance = distance
                }
            }
            extremes.append(best)
        }
        var margin: CertificateMaxima.Margin? = nil
        for e in scan.extremes where !occupied.contains(2 * e.region + (e.sign > 0 ? 0 : 1)) {
            if margin.map({ e.value > $0.value }) ?? true {
                margin = .init(value: e.value, region: e.region, sign: e.sign, signVector: "")
            }
        }
        if let k = margin?.region { margin?.signVector = arrangement.signVector(ofRegion: k).description }
        return CertificateMaxima(
            maxValue: scan.maxValue, exact: true, argmax: argmax,
            supportRegions: closures.map { $0 }, supportExtremes: extremes, margin: margin,
            marginAtMost: nil, marginResolved: true, regions: arrangement.numberOfRegions,
            rays: arrangement.numberOfRays, nodes: nil, leaves: nil)
    }
}

extension CertificateSearch {
    /// The maxima by the branch-and-bound search: one search with threshold `threshold` (units of p), keeping the
    /// largest region sides until one without a Dirac is among them or all sides above the threshold are.
    public func certificateMaxima(
        dual p: [Double], atoms: [DiracAtom], atomSigns: [[Int8]], threshold: Double,
        options: CertificateCheckOptions
    ) -> CertificateMaxima {
        // Search the dual divided by a power of two (exact) so that extreme λ neither overflows nor underflows.
        let largest = p.reduce(0.0) { max($0, abs($1)) }
        let s = largest > 0 && largest.isFinite ? Double(sign: .plus, exponent: largest.exponent, significand: 1) : 1
        let q = p.map { $0 / s }
        let atomSide = atoms.map { $0.amplitude >= 0 ? 1 : -1 }
        // A side is occupied when a Dirac of its sign lies in the region's closure: the Dirac's sign vector agrees
        // with the region's on every nonzero entry.
        func occupied(_ e: Extreme) -> Bool {
            guard let region = e.region else { return false }
            return atoms.indices.contains { i in
                atomSide[i] == e.sign
                    && atomSigns[i].indices.allSatisfy { j in
                        atomSigns[i][j] == 0 || (atomSigns[i][j] > 0) == region[j]
                    }
            }
        }
        // The sides the Diracs can occupy: 2^(zero entries) per Dirac, so `keep` one more finds a free side if any.
        let occupiable = atomSigns.reduce(0) { total, signs in
            min(options.maxMarginSides, total + (1 << min(16, signs.filter { $0 == 0 }.count)))
        }
        var keep = occupiable + 1
        var result = maximize(dual: q, threshold: threshold / s, keep: keep, progress: options.searchProgress)
        var free = result.extremes.first { !occupied($0) }
        while free == nil && result.extremes.count >= keep && keep <= options.maxMarginSides {
            keep = min(4 * keep, options.maxMarginSides + 1)
            result = maximize(dual: q, threshold: threshold / s, keep: keep, progress: options.searchProgress)
            free = result.extremes.first { !occupied($0) }
        }
        let resolved = free != nil || result.extremes.count < keep
        let exact = result.maxValue > threshold / s
        var argmax = CertificateMaxima.Location(region: nil, sign: 0, signVector: "", point: nil)
        if exact, let top = result.extremes.first {
            argmax = .init(region: nil, sign: top.sign, signVector: top.region?.description ?? "", point: top.weights)
        }
        let margin = free.map {
            CertificateMaxima.Margin(
                value: $0.value * s, region: nil, sign: $0.sign,
                signVector: $0.region?.description ?? "")
        }
        return CertificateMaxima(
            maxValue: result.maxValue * s, exact: exact, argmax: argmax,
            supportRegions: atoms.map { _ in nil },
            supportExtremes: supportExtremes(dual: p, atoms: atoms, atomSigns: atomSigns),
            margin: margin, marginAtMost: resolved && free == nil ? threshold : nil,
            marginResolved: resolved, regions: nil, rays: nil, nodes: result.nodes,
            leaves: result.leaves)
    }

    /// Each Dirac's extreme point over the completions of its sign vector (the regions whose closure holds it, up
    /// to 10 zero entries; nil beyond): the one nearest to the Dirac.
    func supportExtremes(
        dual p: [Double], atoms: [DiracAtom],
        atomSigns: [[Int8]]
    ) -> [CertificateMaxima.SupportExtreme?] {
        var extremes: [CertificateMaxima.SupportExtreme?] = []
        for (i, atom) in atoms.enumerated() {
            let zeros = atomSigns[i].indices.filter { atomSigns[i][$0] == 0 }
            guard zeros.count <= 10 else {
                extremes.append(nil)
                continue
            }
            var base = SignVector(count: p.count)
            for (j, v) in atomSigns[i].enumerated() where v > 0 { base[j] = true }
            var best: CertificateMaxima.SupportExtreme? = nil
            var bestDistance = Double.infinity
            for mask in 0..<(1 << zeros.count) {
                var region = base
                for (b, j) in zeros.enumerated() { region[j] = mask >> b & 1 == 1 }
                guard let e = extreme(dual: p, region: region, sign: atom.amplitude >= 0 ? 1 : -1) else { continue }
                let distance = euclideanDistance(e.weights, atom.weights)
                if distance < bestDistance {
                    best = .init(region: nil, value: e.value, point: e.weights)
                    bestDistance = distance
                }
            }
            extremes.append(best)
        }
        return extremes
    }
}
