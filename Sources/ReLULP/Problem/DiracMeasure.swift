/// One neuron of a sparse network: the Dirac `amplitude · δ_weights` with `weights` a unit vector in the
/// lifted space (the last coordinate multiplies the bias 1 when the model has a bias).
public struct DiracAtom: Sendable, Equatable, Codable {
    public var amplitude: Double
    public var weights: [Double]

    public init(amplitude: Double, weights: [Double]) {
        self.amplitude = amplitude
        self.weights = weights
    }
}

/// A finite signed measure `μ = Σ_i a_i δ_{w_i}` on the unit sphere: an infinite-width shallow ReLU
/// network that happens to be sparse, `f_μ(x) = Σ_i a_i σ(⟨w_i, x̃⟩)` (docs/mathematics.md §1).
public struct DiracMeasure: Sendable, Equatable {
    public var atoms: [DiracAtom]
    /// Dimension of the lifted space the weights live in.
    public var dimension: Int

    public init(dimension: Int, atoms: [DiracAtom] = []) {
        self.dimension = dimension
        self.atoms = atoms
    }

    /// `‖μ‖_TV = Σ |a_i|`, the path norm of the network.
    public var totalVariation: Double { atoms.reduce(0) { $0 + abs($1.amplitude) } }

    /// `f_μ(x̃)` at one lifted point.
    public func value(at point: ArraySlice<Double>) -> Double {
        var f = 0.0
        for atom in atoms {
            f += atom.amplitude * max(dot(atom.weights, point), 0)
        }
        return f
    }

    /// `f_μ` at every lifted point.
    public func values(at points: LiftedData) -> [Double] {
        (0..<points.count).map { value(at: points[point: $0]) }
    }

    /// The data term `(1/n) Σ_j |y_j − f_μ(x̃_j)|` of (P).
    public func meanAbsoluteError(points: LiftedData, labels: [Double]) -> Double {
        let f = values(at: points)
        var loss = 0.0
        for j in 0..<labels.count { loss += abs(labels[j] - f[j]) }
        return loss / Double(labels.count)
    }

    /// Merges atoms of equal sign that lie in one common closed dual region into a single Dirac at their
    /// normalised moment (docs/mathematics.md §4): exact on the data, never raises the total variation.
    /// Atoms with |amplitude| ≤ `dropBelow` are removed first.
    public func merged(over points: LiftedData, dropBelow: Double = 0) -> DiracMeasure {
        let n = points.count
        let kept = atoms.filter { abs($0.amplitude) > dropBelow }
        // Per atom: the sign of ⟨w, x̃_j⟩ with a relative tolerance (0 = on the hyperplane, fits both sides).
        func pattern(_ w: [Double]) -> [Int8] {
            (0..<n).map { j in
                let p = points[point: j]
                let t = dot(w, p)
                let scale = 1e-12 * max(norm(p), 1e-300)
                return t > scale ? 1 : (t < -scale ? -1 : 0)
            }
        }
        var groups: [(sign: Bool, closedSigns: [Int8], moment: [Double])] = []
        for atom in kept {
            let s = pattern(atom.weights)
            let positive = atom.amplitude > 0
            let contribution = atom.weights.map { $0 * abs(atom.amplitude) }
            if let g = groups.firstIndex(where: { group in
                group.sign == positive && zip(group.closedSigns, s).allSatisfy { $0 == 0 || $1 == 0 || $0 == $1 }
            }) {
                for j in 0..<n where groups[g].closedSigns[j] == 0 { groups[g].closedSigns[j] = s[j] }
                for i in 0..<dimension { groups[g].moment[i] += contribution[i] }
            } else {
                groups.append((positive, s, contribution))
            }
        }
        var result: [DiracAtom] = []
        for group in groups {
            let mass = norm(group.moment)
            guard mass > 0 else { continue }
            let w = group.moment.map { $0 / mass }
            result.append(DiracAtom(amplitude: group.sign ? mass : -mass, weights: w))
        }
        return DiracMeasure(dimension: dimension, atoms: result)
    }
}

@inline(__always)
func dot<A: Collection<Double>, B: Collection<Double>>(_ a: A, _ b: B) -> Double {
    var s = 0.0
    var i = a.startIndex
    var k = b.startIndex
    while i != a.endIndex && k != b.endIndex {
        s += a[i] * b[k]
        a.formIndex(after: &i)
        b.formIndex(after: &k)
    }
    return s
}

@inline(__always)
func norm<A: Collection<Double>>(_ a: A) -> Double { dot(a, a).squareRoot() }
