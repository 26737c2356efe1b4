import Foundation

/// The i-th of N disjoint parts of a sweep (1-based): the (noise, seed) jobs whose index j satisfies
/// `j % N == i − 1`. Every job belongs to exactly one shard, so the N shards together are the whole sweep.
public struct Shard: Sendable, Equatable, Codable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws(StudyError) {
        guard count >= 1 else { throw StudyError("the number of shards must be at least 1, got \(count)") }
        guard (1...count).contains(index) else {
            throw StudyError("shard \(index)/\(count) is outside 1..\(count): shards are numbered from 1 to N")
        }
        self.init(checkedIndex: index, count: count)
    }

    private init(checkedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `i/N`.
    public init(parsing text: String) throws(StudyError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0].trimmingCharacters(in: .whitespaces)),
            let n = Int(parts[1].trimmingCharacters(in: .whitespaces))
        else {
            throw StudyError("'\(text)' is not a shard: write i/N, e.g. 2/8 for the second of 8 parts")
        }
        try self.init(index: i, count: n)
    }

    /// The whole sweep as one shard.
    public static let whole = Shard(checkedIndex: 1, count: 1)

    public func contains(job: Int) -> Bool { job % count == index - 1 }

    /// The folder of this shard's outputs inside the sweep's output folder.
    public var folderName: String { "shard-\(index)-of-\(count)" }

    public var description: String { "\(index)/\(count)" }
}
