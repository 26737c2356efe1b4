import ReLULP
import Testing

@Suite struct DataLoadingTests {
    @Test func parsesHeaderTargetAndFeatures() throws {
        let data = try Dataset.parse(csv: "a, y ,b\n1,2,3\n\n4,5,6\r\n", file: "t.csv")
        #expect(data.featureNames == ["a", "b"])
        #expect(data.targetName == "y")
        #expect(data.features == [[1, 3], [4, 6]])
        #expect(data.labels == [2, 5])
        #expect(data.count == 2 && data.featureCount == 2)
        let picked = try Dataset.parse(csv: "a,y,b\n1,2,3\n4,5,6\n", target: "a", features: ["b"])
        #expect(picked.features == [[3], [6]] && picked.labels == [1, 4])
    }

    @Test func liftsWithAndWithoutBias() throws {
        let data = try Dataset(featureNames: ["x1", "x2"], features: [[1, 2], [3, 4]], labels: [0, 1])
        let lifted = data.lifted(bias: true)
        #expect(lifted.dimension == 3 && lifted.count == 2)
        #expect(Array(lifted[point: 1]) == [3, 4, 1])
        #expect(data.lifted(bias: false).values == [1, 2, 3, 4])
    }

    @Test func duplicatePointsAreValid() throws {
        let data = try Dataset.parse(csv: "x,y\n1,1\n1,1\n1,1\n")
        #expect(data.count == 3)
    }

    @Test(arguments: [
        ("", 1, "empty"),
        ("x,y\n", 2, "header only"),
        ("x,y\n1,2\n3\n", 3, "field"),
        ("x,y\n1,2\n3,abc\n", 3, "non-numeric"),
        ("x,y\n1,2\ninf,1\n", 3, "non-finite"),
        ("x,y\n1,2\nnan,1\n", 3, "non-finite"),
        ("x,z\n1,2\n3,4\n", 1, "no target column"),
        ("x,x,y\n1,2,3\n4,5,6\n", 1, "duplicate column"),
        ("x,y\n1,2\n", 2, "single data point"),
    ])
    func rejectsBadInput(text: String, line: Int, fragment: String) {
        #expect {
            _ = try Dataset.parse(csv: text, file: "bad.csv")
        } throws: { error in
            guard let error = error as? DataError else { return false }
            return error.file == "bad.csv" && error.line == line && error.description.contains(fragment)
                && !error.description.contains("\n")
        }
    }

    @Test func columnIsReported() {
        do {
            _ = try Dataset.parse(csv: "x,y\n1,2\n3,abc\n", file: "f.csv")
            Issue.record("no error")
        } catch {
            #expect(error.column == 2)
            #expect(error.description.hasPrefix("f.csv:3:2: "))
        }
    }

    @Test func unknownFeatureAndMissingFile() {
        #expect(throws: DataError.self) { _ = try Dataset.parse(csv: "x,y\n1,2\n3,4\n", features: ["nope"]) }
        do {
            _ = try Dataset.load(csv: "/nonexistent/dir/file.csv")
            Issue.record("no error")
        } catch {
            #expect(error.file == "/nonexistent/dir/file.csv")
        }
    }

    @Test func initValidates() {
        #expect(throws: DataError.self) { _ = try Dataset(featureNames: ["a"], features: [[1]], labels: [1]) }
        #expect(throws: DataError.self) {
            _ = try Dataset(featureNames: ["a"], features: [[1], [.nan]], labels: [1, 2])
        }
        #expect(throws: DataError.self) {
            _ = try Dataset(featureNames: ["a"], features: [[1], [2, 3]], labels: [1, 2])
        }
    }
}
