/// The sign vector of a dual region, one bit per data point: `true` when point `j` activates the neurons
/// of the region (`s_j = +1`, `⟨w, x̃_j⟩ ≥ 0` on the region), `false` otherwise (`s_j = −1`).
///
/// Stored as packed 64-bit words (bit `j % 64` of `words[j / 64]`); bits at positions `≥ count` are zero.
public struct SignVector: Sendable, Hashable, CustomStringConvertible {
    /// n, the number of points.
    public var count: Int
    /// The packed bits; `(count + 63) / 64` words.
    public var words: [UInt64]

    /// All points inactive.
    public init(count: Int) {
        precondition(count >= 0)
        self.count = count
        self.words = [UInt64](repeating: 0, count: (count + 63) >> 6)
    }

    /// From packed words (extra high bits are cleared).
    public init(count: Int, words: [UInt64]) {
        precondition(words.count == (count + 63) >> 6, "SignVector: \(words.count) words for \(count) bits")
        self.count = count
        self.words = words
        if count & 63 != 0 { self.words[self.words.count - 1] &= (UInt64(1) << UInt64(count & 63)) - 1 }
    }

    /// From one Bool per point.
    public init(_ signs: [Bool]) {
        self.init(count: signs.count)
        for (j, s) in signs.enumerated() where s { self[j] = true }
    }

    public subscript(j: Int) -> Bool {
        get {
            precondition(j >= 0 && j < count, "SignVector index \(j) out of range 0..<\(count)")
            return words[j >> 6] >> UInt64(j & 63) & 1 == 1
        }
        set {
            precondition(j >= 0 && j < count, "SignVector index \(j) out of range 0..<\(count)")
            if newValue {
                words[j >> 6] |= UInt64(1) << UInt64(j & 63)
            } else {
                words[j >> 6] &= ~(UInt64(1) << UInt64(j & 63))
            }
        }
    }

    /// The number of active points.
    public var activeCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The indices of the active points, ascending.
    public var activePoints: [Int] {
        var result: [Int] = []
        for (w, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                result.append(w << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return result
    }

    /// `+` for an active point, `-` for an inactive one, one character per point.
    public var description: String {
        var bytes = [UInt8](repeating: UInt8(ascii: "-"), count: count)
        for j in activePoints { bytes[j] = UInt8(ascii: "+") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
