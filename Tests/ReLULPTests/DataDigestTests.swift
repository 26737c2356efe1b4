import Foundation
import ReLULP
import TestSupport
import Testing

/// Issue 26, item 16: the model file identifies its data (n and digests of the rows), and old files without the
/// digests stay readable.
@Suite struct DataDigestTests {
    private func data(_ rows: [[Double]], _ labels: [Double]) throws -> Dataset {
        try Dataset(featureNames: ["a", "b"], features: rows, labels: labels)
    }

    @Test func tellsReorderedFromChangedRows() throws {
        let base = DataDigest(try data([[1, 2], [3, 4], [5, 6]], [7, 8, 9]))
        let reordered = DataDigest(try data([[5, 6], [1, 2], [3, 4]], [9, 7, 8]))
        let changed = DataDigest(try data([[1, 2], [3, 4], [5, 6.000001]], [7, 8, 9]))
        // Swapping two numbers across rows keeps the multiset of numbers but not the rows.
        let swapped = DataDigest(try data([[1, 2], [3, 4], [6, 5]], [7, 8, 9]))
        let labelsMoved = DataDigest(try data([[1, 2], [3, 4], [5, 6]], [8, 7, 9]))
        #expect(base.compare(with: base) == .same)
        #expect(reordered.compare(with: base) == .reordered)
        #expect(changed.compare(with: base) == .changed)
        #expect(swapped.compare(with: base) == .changed)
        #expect(labelsMoved.compare(with: base) == .changed)
        #expect(
            DataDigest(try data([[-0.0, 2], [3, 4], [5, 6]], [7, 8, 9])).compare(
                with: DataDigest(try data([[0, 2], [3, 4], [5, 6]], [7, 8, 9]))) == .same)
        #expect(base.rows.count == 16 && base.rowSet.count == 16)
    }

    /// A trained model stores the digests of its data; removing them (a file from before 0.10.0) leaves a
    /// readable model, and a malformed digest is refused.
    @Test func modelFilesStoreTheDigestAndOldFilesStayReadable() throws {
        let dataset = try data([[1, 2], [3, 4], [5, 6]], [7, 8, 9])
        let result = try ExactTrainer(data: dataset, bias: true).train(TrainingOptions(lambda: 0.1))
        let model = ModelFile(result: result, data: dataset, bias: true, tolerance: 1e-6)
        #expect(model.dataDigest == DataDigest(dataset))
        let encoded = try JSONEncoder().encode(model)
        #expect(try ModelFile.parse(encoded).dataDigest == DataDigest(dataset))
        var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        object["dataDigest"] = nil
        let old = try ModelFile.parse(try JSONSerialization.data(withJSONObject: object))
        #expect(old.dataDigest == nil && old.atoms == model.atoms)
        object["dataDigest"] = ["rows": "xyz", "rowSet": "0000000000000000"]
        #expect(throws: ModelFileError.self) {
            _ = try ModelFile.parse(try JSONSerialization.data(withJSONObject: object))
        }
    }
}
