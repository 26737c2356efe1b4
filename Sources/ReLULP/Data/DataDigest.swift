/// What identifies the data a model was trained on, beyond n: two 64-bit FNV-1a digests of the rows as read, in
/// the model's layout (the used feature columns in the model's order, then the label). A row's digest is FNV-1a
/// over the 8 little-endian bytes of the IEEE 754 bit pattern of each of its numbers, −0 read as +0; `rows`
/// chains the rows in file order (FNV-1a over the row digests' bytes), `rowSet` is the sum of the row digests
/// modulo 2⁶⁴, which does not depend on the order. Equal `rowSet` and different `rows`: the same rows reordered.
public struct DataDigest: Sendable, Codable, Equatable {
    /// 16 hexadecimal digits: the rows in their order.
    public var rows: String
    /// 16 hexadecimal digits: the rows as a multiset (any order).
    public var rowSet: String

    /// How data compare with the data a model was trained on.
    public enum Comparison: Sendable, Equatable {
        case same
        /// The same rows (as a multiset) in another order.
        case reordered
        /// Other numbers.
        case changed
    }

    /// The digests of `data`'s feature rows and labels, in `data`'s column order.
    public init(_ data: Dataset) {
        var chained = FNV1a()
        var sum: UInt64 = 0
        for (row, label) in zip(data.features, data.labels) {
            var one = FNV1a()
            for value in row { one.add(value + 0) }
            one.add(label + 0)
            chained.add(one.value)
            sum &+= one.value
        }
        rows = Self.hex(chained.value)
        rowSet = Self.hex(sum)
    }

    /// `data` (with `data`'s digest `other`) against the digest stored in a model.
    public func compare(with other: DataDigest) -> Comparison {
        if self == other { return .same }
        return rowSet == other.rowSet ? .reordered : .changed
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// The 64-bit FNV-1a hash of bytes fed eight at a time (little-endian).
private struct FNV1a {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ number: Double) { add(number.bitPattern) }

    mutating func add(_ word: UInt64) {
        var bits = word
        for _ in 0..<8 {
            value = (value ^ (bits & 0xff)) &* 0x100_0000_01b3
            bits >>= 8
        }
    }
}
