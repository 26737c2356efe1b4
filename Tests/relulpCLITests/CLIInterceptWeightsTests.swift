import Foundation
import TestSupport
import Testing

/// `--intercept` and `--weights` end to end through the built binary: solve writes `"intercept"` and
/// `"weightColumn"`, certify re-reads the weight column and accepts the model, predict adds the intercept (checked
/// against the atoms evaluated here), and a bad weight is refused with file, line and column.
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLIInterceptWeightsTests {
    static let csv = """
        x,w,y
        -1.0,1,3.3
        -0.6,2,2.8
        -0.1,0,4.7
        0.3,1,3.9
        0.5,2,3.1
        0.9,1,2.6
        1.2,1,3.8
        1.6,3,1.0

        """

    @Test func solveCertifyPredict() throws {
        let data = try temporaryFile(Self.csv)
        let model = data + ".json"
        let solve = try runRelulp([
            "solve", data, "--lambda", "0.02", "--intercept", "--weights", "w", "--quiet", "--output", model,
        ])
        #expect(solve.status == 0, "\(solve.stderr)")
        #expect(solve.stdout.contains("status            optimal") && solve.stdout.contains("intercept "))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
        let b = try #require(json["intercept"] as? Double)
        #expect(json["weightColumn"] as? String == "w" && json["features"] as? [String] == ["x"])
        let certify = try runRelulp(["certify", model, data, "--quiet"])
        #expect(certify.status == 0, "\(certify.stdout)\(certify.stderr)")
        #expect(certify.stdout.contains("certified optimal"))
        // Without the weight column the model cannot be checked.
        let plain = try temporaryFile(
            "x,y\n-1.0,3.3\n0.3,3.9\n0.5,3.1\n0.9,2.6\n1.2,3.8\n1.6,1.0\n-0.6,2.8\n-0.1,4.7\n")
        let refused = try runRelulp(["certify", model, plain, "--quiet"])
        #expect(refused.status != 0 && refused.stderr.contains("no weight column 'w'"), "\(refused.stderr)")
        // predict: b + Σ a σ(w₁x + w₂), from the model's own numbers.
        let atoms = try #require(json["atoms"] as? [[String: Any]])
        let predict = try runRelulp(["predict", model, data])
        #expect(predict.status == 0, "\(predict.stderr)")
        let lines = predict.stdout.split(separator: "\n").dropFirst()
        #expect(lines.count == 8)
        for line in lines {
            let cells = line.split(separator: ",").compactMap { Double($0) }
            let x = cells[0]
            var f = b
            for atom in atoms {
                let a = try #require(atom["amplitude"] as? Double)
                let w = try #require(atom["weights"] as? [Double])
                f += a * max(0, w[0] * x + w[1])
            }
            #expect(abs((cells.last ?? .nan) - f) <= 1e-12 * max(1, abs(f)), "\(line)")
        }
    }

    @Test func badWeightsNameTheCell() throws {
        let data = try temporaryFile("x,w,y\n1,1,2\n2,-0.5,3\n3,1,1\n")
        let run = try runRelulp(["solve", data, "--lambda", "0.1", "--weights", "w", "--quiet"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("\(data):3:2: negative sample weight -0.5 in column 'w'"), "\(run.stderr)")
    }
}
