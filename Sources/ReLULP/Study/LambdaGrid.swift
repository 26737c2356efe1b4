import Foundation

/// Lists of λ (and of noise levels, seeds) as written on the command line.
///
/// A list is comma-separated items; each item is a number or `a:b:k`, k values log-spaced from a to b
/// (both included, in that order). Duplicates are dropped, the first occurrence kept (in O(n) with a set, so a
/// long list costs no quadratic time), unless the caller refuses them (`relulp path`, whose files are numbered in
/// the order of the list). A list has at most `maxCount` values.
public enum LambdaGrid {
    /// The most values a list (λ, noise levels, seeds) may hold, ranges included. Each value is at least one solve,
    /// so a longer list is a typo (`1:2:1000000000000` once asked for 8 TB of λ, `1e-1:1e-2:200000` for 200,000
    /// solves without a word; issue 26, items 11 and 13): refused before any value is made.
    public static let maxCount = 10_000

    /// λ values: at least one, each finite and > 0. With `refusingDuplicates`, a value given twice is an error
    /// naming it, instead of being dropped.
    public static func parse(_ text: String, refusingDuplicates: Bool = false) throws(StudyError) -> [Double] {
        let values = try parseList(text, what: "λ", refusingDuplicates: refusingDuplicates)
        guard !values.isEmpty else { throw StudyError("the list of λ values is empty") }
        if let bad = values.first(where: { !($0 > 0) || !$0.isFinite }) {
            throw StudyError("every λ must be a finite number > 0, got \(bad)")
        }
        return values
    }

    /// Noise levels (standard deviations): at least one, each finite and ≥ 0.
    public static func parseNoise(_ text: String) throws(StudyError) -> [Double] {
        let values = try parseList(text, what: "noise level")
        guard !values.isEmpty else { throw StudyError("the list of noise levels is empty") }
        if let bad = values.first(where: { !($0 >= 0) || !$0.isFinite }) {
            throw StudyError("every noise level must be a finite number ≥ 0, got \(bad)")
        }
        return values
    }

    /// Seeds: comma-separated non-negative integers or ranges `a-b` (inclusive), at most `maxCount` in all.
    public static func parseSeeds(_ text: String) throws(StudyError) -> [UInt64] {
        var seeds: [UInt64] = []
        var seen = Set<UInt64>()
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw StudyError("empty item in the seed list '\(text)'") }
            let parts = item.split(separator: "-", omittingEmptySubsequences: false)
            var items: ClosedRange<UInt64>
            if parts.count == 2, let a = UInt64(parts[0]), let b = UInt64(parts[1]), a <= b {
                guard b - a < UInt64(maxCount) else {
                    let count = b - a == .max ? "2⁶⁴" : "\(b - a + 1)"
                    throw tooLong("seed", count: count, in: item)
                }
                items = a...b
            } else if let s = UInt64(item) {
                items = s...s
            } else {
                throw StudyError("'\(item)' is not a seed (a non-negative integer or a range a-b)")
            }
            for s in items where seen.insert(s).inserted { seeds.append(s) }
            guard seeds.count <= maxCount else { throw tooLong("seed", count: "more than \(maxCount)", in: text) }
        }
        guard !seeds.isEmpty else { throw StudyError("the list of seeds is empty") }
        return seeds
    }

    /// The refusal of a list longer than `maxCount`.
    static func tooLong(_ what: String, count: String, in text: String) -> StudyError {
        StudyError(
            "'\(text)': \(count) \(what) values, but a list holds at most \(maxCount) (each value is at least one "
                + "solve); split the work into several runs")
    }

    /// `k` values log-spaced from `a` to `b` (both > 0, k ≥ 1).
    public static func logSpaced(from a: Double, to b: Double, count k: Int) throws(StudyError) -> [Double] {
        guard a > 0, b > 0, a.isFinite, b.isFinite else {
            throw StudyError("a log-spaced range needs finite ends > 0, got \(a):\(b)")
        }
        guard k >= 1 else { throw StudyError("a log-spaced range needs k ≥ 1 values, got \(k)") }
        if k == 1 { return [a] }
        let la = log10(a)
        let lb = log10(b)
        return (0..<k).map { i in
            i == 0 ? a : (i == k - 1 ? b : pow(10, la + (lb - la) * Double(i) / Double(k - 1)))
        }
    }

    static func parseList(_ text: String, what: String, refusingDuplicates: Bool = false) throws(StudyError)
        -> [Double]
    {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        var values: [Double] = []
        var seen = Set<Double>()
        for raw in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw StudyError("empty item in the \(what) list '\(text)'") }
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map { String($0) }
            var items: [Double]
            switch parts.count {
            case 1:
                guard let v = Double(item) else { throw StudyError("'\(item)' is not a number (in the \(what) list)") }
                items = [v]
            case 3:
                guard let a = Double(parts[0]), let b = Double(parts[1]) else {
                    throw StudyError("'\(item)': the ends of a range a:b:k must be numbers")
                }
                guard let k = Int(parts[2]) else {
                    throw StudyError("'\(item)': the count k of a range a:b:k must be an integer")
                }
                guard k <= maxCount else { throw tooLong(what, count: "\(k)", in: item) }
                items = try logSpaced(from: a, to: b, count: k)
            default:
                throw StudyError("'\(item)' is neither a number nor a range a:b:k (k values log-spaced from a to b)")
            }
            // NaN is never equal to itself: kept each time, as before, and refused by the caller.
            for v in items {
                if v.isNaN || seen.insert(v).inserted {
                    values.append(v)
                } else if refusingDuplicates {
                    throw StudyError(
                        "\(what) = \(v) appears more than once in the list '\(text)'; give each value once")
                }
            }
            guard values.count <= maxCount else { throw tooLong(what, count: "more than \(maxCount)", in: text) }
        }
        return values
    }
}
