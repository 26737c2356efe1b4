import Foundation
import TestSupport
import Testing

/// `relulp path` end to end: one model file per λ in the given order, each with the certified optimum that a
/// separate `relulp solve` finds (the warm path and the cold solve must agree on the optimal value).
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLIPathTests {
    /// 14 points on a line with two kinks and a little deterministic wobble; for the hinge loss, the two classes
    /// 0 and 1 by the sign of the same wobbly target about 0.2.
    static func csv(loss: String = "l1") -> String {
        "x,y\n"
            + (0..<14).map { j in
                let x = -1.3 + 0.2 * Double(j)
                let y = max(0, x) - 0.5 * max(0, x - 0.6) + 0.03 * sin(7 * Double(j))
                return "\(x),\(loss == "hinge" ? (y > 0.2 ? 1 : 0) : y)"
            }.joined(separator: "\n") + "\n"
    }

    static func model(_ file: String) throws -> (objective: Double, status: String, lambda: Double, loss: String) {
        let model = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        return (
            try #require(model["objective"] as? Double), try #require(model["status"] as? String),
            try #require(model["lambda"] as? Double), try #require(model["loss"] as? String)
        )
    }

    @Test(arguments: ["l1", "squared", "hinge"])
    func everyLambdaMatchesASeparateSolve(loss: String) throws {
        let data = try temporaryFile(Self.csv(loss: loss))
        let folder = (data as NSString).deletingLastPathComponent + "/path"
        let lambdas = [0.01, 0.1, 0.03]
        let run = try runRelulp([
            "path", data, "--loss", loss, "--lambdas", lambdas.map { "\($0)" }.joined(separator: ","),
            "--output", folder, "--quiet",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        let lines = run.stdout.split(separator: "\n")
        #expect(
            lines.count == 1 + lambdas.count && lines.first == "lambda,status,objective,lower_bound,gap,diracs,model")
        for (index, lambda) in lambdas.enumerated() {
            let file = folder + "/model-\(index + 1).json"
            let warm = try Self.model(file)
            #expect(warm.lambda == lambda && warm.status == "optimal" && warm.loss == loss)
            #expect(lines[index + 1].hasPrefix("\(lambda),optimal,") && lines[index + 1].hasSuffix(file))
            let single = try temporaryFile("", name: "model.json")
            let cold = try runRelulp([
                "solve", data, "--loss", loss, "--lambda", "\(lambda)", "--quiet", "--output", single,
            ])
            #expect(cold.status == 0, "\(cold.stderr)")
            let reference = try Self.model(single).objective
            #expect(abs(warm.objective - reference) <= 2e-9 * max(1, reference), "\(loss), λ = \(lambda)")
        }
    }

    /// Two ways to one answer: the branch-and-bound pricing finds what the scan of every region finds, and the
    /// master LP's primal and dual forms are one LP; per λ both runs must certify the same objective.
    @Test(arguments: [("--pricing", ["enumerate", "branch-and-bound"]), ("--master", ["primal", "dual"])])
    func equivalentSettingsCertifyTheSameObjectives(option: String, values: [String]) throws {
        let data = try temporaryFile(Self.csv())
        var objectives: [[Double]] = []
        for value in values {
            let folder = (data as NSString).deletingLastPathComponent + "/" + value
            let run = try runRelulp([
                "path", data, option, value, "--lambdas", "0.1,0.01,0.001", "--output", folder, "--quiet",
            ])
            #expect(run.status == 0, "\(option) \(value): \(run.stderr)")
            objectives.append(
                try (1...3).map { index in
                    let model = try Self.model(folder + "/model-\(index).json")
                    #expect(model.status == "optimal", "\(option) \(value), model-\(index)")
                    return model.objective
                })
        }
        for (a, b) in zip(objectives[0], objectives[1]) {
            #expect(abs(a - b) <= 2e-9 * max(1, a), "\(option) \(values)")
        }
    }

    @Test func badLambdaListIsOneClearLine() throws {
        let data = try temporaryFile(Self.csv())
        let run = try runRelulp(["path", data, "--lambdas", "0.1,-1", "--output", data + "-out"])
        #expect(run.status != 0)
        #expect(run.stderr == "error: every λ must be a finite number > 0, got -1.0\n")
        #expect(!FileManager.default.fileExists(atPath: data + "-out"))
    }
}
