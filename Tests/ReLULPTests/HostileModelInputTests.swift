import Foundation
import ReLULP
import TestSupport
import Testing

/// Issue 26, hostile input to the model file and the CSV reader: a model file's tolerance, names and amplitudes
/// are checked on reading, predictions are finite, and control bytes in a CSV cell are refused.
@Suite struct HostileModelInputTests {
    static let kinkModel = Fixtures.packageRoot.appendingPathComponent("models/kink1d_n20/model.json").path

    /// The kink model with `change` applied to its JSON object, parsed as the file `m`.
    static func edited(_ change: (inout [String: Any]) -> Void) throws -> ModelFile {
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kinkModel)))
                as? [String: Any])
        change(&object)
        return try ModelFile.parse(try JSONSerialization.data(withJSONObject: object), path: "m")
    }

    /// The model's message for an edit it refuses.
    static func refusal(_ change: (inout [String: Any]) -> Void) -> String? {
        do {
            _ = try edited(change)
            return nil
        } catch let error as ModelFileError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    /// `tolerance` is finite and in (0, 1); a teacher's trivial 1 is kept.
    @Test func toleranceIsValidated() throws {
        for bad in [0.0, -1e-9, 1.0, 1.5, 1e300] {
            let message = Self.refusal { $0["tolerance"] = bad }
            #expect(message?.hasPrefix("m: \"tolerance\" must be finite and in (0, 1), got") == true, "\(bad)")
        }
        #expect(try Self.edited { $0["tolerance"] = 0.5 }.tolerance == 0.5)
        let teacher = try ModelFile.load(
            Fixtures.packageRoot.appendingPathComponent("models/study/teacher1d/teacher.json").path)
        #expect(teacher.tolerance == 1)
    }

    /// The certificate check takes its tolerance from its options (default 1e-9), never from the file: a model
    /// without atoms and a lax file tolerance is not certified.
    @Test func certificateIgnoresTheFilesTolerance() throws {
        let model = try Self.edited {
            $0["tolerance"] = 0.9
            $0["atoms"] = [[String: Any]]()
        }
        let data = try Dataset.load(csv: Fixtures.packageRoot.appendingPathComponent("models/kink1d_n20/data.csv").path)
        let report = try CertificateReport.analyze(model: model, data: data)
        #expect(report.optimality.tolerance == 1e-9)
        #expect(!report.certifiedOptimal)
    }

    /// A feature named twice (or the target among the features) is the model file's error.
    @Test func duplicateFeatureNamesAreTheModelsError() {
        #expect(Self.refusal { $0["features"] = ["x1", "x1"] } == "m: feature name 'x1' appears twice in \"features\"")
        #expect(Self.refusal { $0["features"] = ["y"] } == "m: the target 'y' is also one of the \"features\"")
    }

    /// Amplitudes whose sum overflows are refused on reading; a prediction that overflows is an error, not inf.
    @Test func overflowingNetworksAreRefused() throws {
        let message = Self.refusal { object in
            var atoms = object["atoms"] as? [[String: Any]] ?? []
            atoms[0]["amplitude"] = 1e308
            atoms[1]["amplitude"] = -1e308
            atoms[2]["amplitude"] = 1e308
            object["atoms"] = atoms
        }
        #expect(message?.hasPrefix("m: the atoms' amplitudes sum to more than the largest number") == true)
        let large = try Self.edited { object in
            var atoms = object["atoms"] as? [[String: Any]] ?? []
            atoms[0]["amplitude"] = 1e308
            object["atoms"] = atoms
        }
        let inputs = try Dataset.parse(csv: "x1,y\n1,0\n1e300,0\n")
        let error = #expect(throws: ModelFileError.self) { try large.predict(inputs, dataPath: "d.csv") }
        #expect(error?.description.hasPrefix("d.csv: the network's output on data row 2 is inf") == true)
    }

    /// A NUL or other control byte in a cell is refused with file, line and column instead of ending the number.
    @Test func controlBytesInCellsAreRefused() throws {
        let cases: [([UInt8], String)] = [
            (Array("x,y\n1,2\n1".utf8) + [0] + Array(" 99,3\n".utf8), "f.csv:3:1: NUL byte in column 'x' (byte 2"),
            (
                Array("x,y\n1,2\n3,4".utf8) + [1] + Array("\n".utf8),
                "f.csv:3:2: control byte 0x01 in column 'y' (byte 2"
            ),
            (Array("x,y".utf8) + [0] + Array("\n1,2\n3,4\n".utf8), "f.csv:1:2: NUL byte in the header (byte 2"),
        ]
        for (bytes, expected) in cases {
            let error = #expect(throws: DataError.self) { try Dataset.parse(csv: bytes, file: "f.csv") }
            #expect(error?.description.hasPrefix(expected) == true, "\(error?.description ?? "")")
        }
        // Tab and CR around a number are still whitespace.
        let fine = try Dataset.parse(csv: Array("x,y\r\n\t1,2\r\n3\t,4\r\n".utf8), file: "f.csv")
        #expect(fine.features == [[1], [3]] && fine.labels == [2, 4])
    }
}
