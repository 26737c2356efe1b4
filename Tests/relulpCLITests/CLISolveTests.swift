import Foundation
import TestSupport
import Testing

/// `relulp solve` and `relulp predict` end to end through the built binary: the model file's contents are
/// checked against a recomputation from its own atoms, and every bad input ends in one clear line and exit ≠ 0.
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLISolveTests {
    static var kink: String { get throws { try Fixtures.path("kink1d_n20.csv") } }

    static func solveKink(_ extra: [String] = []) throws -> (run: Run, model: [String: Any], path: String) {
        let path = try temporaryFile("", name: "model.json")
        let run = try runRelulp(["solve", kink, "--lambda", "0.05", "--quiet", "--output", path] + extra)
        let model =
            (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) as? [String: Any]
            ?? [:]
        return (run, model, path)
    }

    @Test func modelFileHasTheDocumentedFieldsAndItsObjectiveChecksOut() throws {
        let (run, model, _) = try Self.solveKink()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("status            optimal"))
        #expect(run.stderr.isEmpty, "--quiet leaves stderr empty")
        #expect(model["format"] as? String == "relulp-model" && model["version"] as? Int == 1)
        #expect(
            model["lambda"] as? Double == 0.05 && model["bias"] as? Bool == true && model["loss"] as? String == "l1")
        #expect(
            model["features"] as? [String] == ["x1"] && model["target"] as? String == "y" && model["n"] as? Int == 20)
        #expect(model["status"] as? String == "optimal")
        let atoms = try #require(model["atoms"] as? [[String: Any]])
        let kink = try Fixtures.dataset("kink1d_n20.csv")
        let data = zip(kink.features, kink.labels).map { [$0[0], $1] }
        var loss = 0.0
        var tv = 0.0
        for atom in atoms {
            let w = try #require(atom["weights"] as? [Double])
            #expect(w.count == 2 && abs(w[0] * w[0] + w[1] * w[1] - 1) < 1e-12)
            tv += abs(try #require(atom["amplitude"] as? Double))
        }
        for row in data {
            var f = 0.0
            for atom in atoms {
                let w = atom["weights"] as! [Double]
                f += (atom["amplitude"] as! Double) * max(0, w[0] * row[0] + w[1])
            }
            loss += abs(row[1] - f)
        }
        let objective = loss / Double(data.count) + 0.05 * tv
        let reported = try #require(model["objective"] as? Double)
        let lower = try #require(model["lowerBound"] as? Double)
        #expect(abs(objective - reported) <= 1e-12)
        #expect(lower <= reported && (reported - lower) / max(1, reported) <= 1e-9)
        let certificate = try #require(model["certificate"] as? [String: Any])
        #expect((certificate["dual"] as? [Double])?.count == 20)
        #expect(((certificate["maxAbsEta"] as? Double) ?? 2) <= 1 + 1e-7)
        let solver = try #require(model["solver"] as? [String: Any])
        #expect(solver["backend"] as? String == "clp" && solver["regions"] as? Int == 40)
    }

    @Test func predictEvaluatesTheNetworkByFeatureName() throws {
        let (_, model, path) = try Self.solveKink()
        let atoms = model["atoms"] as! [[String: Any]]
        // Columns in another order, no label column: features are matched by name.
        let inputs = try temporaryFile("z,x1\n7,-1.5\n8,0.25\n9,2\n")
        let run = try runRelulp(["predict", path, inputs])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first == "x1,prediction")
        for (line, x) in zip(lines.dropFirst(), [-1.5, 0.25, 2]) {
            var f = 0.0
            for atom in atoms {
                let w = atom["weights"] as! [Double]
                f += (atom["amplitude"] as! Double) * max(0, w[0] * x + w[1])
            }
            let predicted = Double(line.split(separator: ",")[1])!
            #expect(abs(predicted - f) <= 1e-12 * max(1, abs(f)))
        }
    }

    @Test(arguments: [
        ([] as [String], "missing --lambda"),
        (["--lambda", "0"], "lambda must be"),
        (["--lambda=-1"], "lambda must be"),
        (["--lambda", "nan"], "lambda must be"),
        (["--lambda", "inf"], "lambda must be"),
        (["--lambda", "0.1", "--tolerance", "0"], "tolerance must lie in (0, 1)"),
        (["--lambda", "0.1", "--tolerance", "1"], "tolerance must lie in (0, 1)"),
        (
            ["--lambda", "0.1", "--backend", "gurobi"],
            "The value 'gurobi' is invalid for '--backend <backend>'. Please provide one of 'clp' and 'glpk'."
        ),
        (
            ["--lambda", "0.1", "--method", "magic"],
            "The value 'magic' is invalid for '--method <method>'. Please provide one of 'column-generation' and 'vertices'."
        ),
        (["--lambda", "0.1", "--pricing", "enumerate", "--max-regions", "10"], "--max-regions"),
        (
            ["--lambda", "0.1", "--pricing", "magic"],
            "The value 'magic' is invalid for '--pricing <pricing>'. Please provide one of 'enumerate', 'branch-and-bound' or 'auto'."
        ),
        (
            ["--lambda", "0.1", "--pricing", "branch-and-bound", "--method", "vertices"],
            "--method vertices needs the dual regions"
        ),
    ])
    func badSolveOptionsFail(arguments: [String], message: String) throws {
        let run = try runRelulp(["solve", Self.kink] + arguments)
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    /// Coordinates whose squares overflow once gave one region and the zero network "optimal".
    @Test func hugeCoordinatesAreRefusedNamingTheFileAndPoint() throws {
        let path = try temporaryFile("x,y\n1e200,0\n2e200,1\n3e200,2\n")
        for command in [["solve", path, "--lambda", "0.01"], ["regions", path]] {
            let run = try runRelulp(command)
            #expect(run.status != 0)
            #expect(run.stderr.contains("\(path): point 1 has the coordinate 1e+200"), "\(run.stderr)")
            #expect(!run.stdout.contains("optimal"))
        }
    }

    /// 200 points with 10 features (~4.5·10¹⁶ regions): the search asked for by name would not end; refused at once
    /// with the estimate and the option that raises the limit (`auto` runs anytime mode there: CLIAnytimeTests).
    @Test func hopelessSearchIsRefusedWithTheEstimate() throws {
        var rng = Fixtures.Random(seed: 5)
        let rows = (0..<200).map { _ in (0..<11).map { _ in "\(rng.uniform(-1, 1))" }.joined(separator: ",") }
        let path = try temporaryFile(
            (0..<10).map { "x\($0)" }.joined(separator: ",") + ",y\n" + rows.joined(separator: "\n") + "\n")
        let run = try runRelulp(["solve", path, "--lambda", "0.01", "--pricing", "branch-and-bound", "--quiet"])
        #expect(run.status != 0)
        #expect(
            run.stderr.contains("general-position bound") && run.stderr.contains("--max-search-regions"),
            "\(run.stderr)")
    }

    @Test func aRoundLimitIsAFailureWithItsStatus() throws {
        let run = try runRelulp(["solve", Self.kink, "--lambda", "0.01", "--max-rounds", "1", "--quiet"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("round-limit"))
        #expect(!run.stdout.contains("status            optimal"))
    }

    @Test(
        arguments: [
            ("missing", nil, "no such file"),
            ("malformed", "{\"format\": \"relulp-model\", ", "malformed"),
            ("other format", "{\"format\": \"onnx\", \"version\": 1}", "not a relulp model"),
            ("other version", "{\"format\": \"relulp-model\", \"version\": 2}", "unsupported model version 2"),
        ] as [(String, String?, String)])
    func badModelFilesFail(name: String, contents: String?, message: String) throws {
        let path = try contents.map { try temporaryFile($0, name: "model.json") } ?? "/nonexistent/model.json"
        let run = try runRelulp(["predict", path, Self.kink])
        #expect(run.status != 0, "\(name)")
        #expect(run.stderr.contains(message), "\(name): \(run.stderr)")
    }

    @Test func atomsOfTheWrongDimensionOrMissingFeaturesFail() throws {
        let (_, model, _) = try Self.solveKink()
        var wrong = model
        wrong["atoms"] = [["amplitude": 1.0, "weights": [0.6, 0.0, 0.8]]]
        let path = try temporaryFile(
            String(decoding: try JSONSerialization.data(withJSONObject: wrong), as: UTF8.self), name: "m.json")
        let run = try runRelulp(["predict", path, Self.kink])
        #expect(run.status != 0 && run.stderr.contains("atom 0 has 3 weights"), "\(run.stderr)")
        let (_, _, good) = try Self.solveKink()
        let noFeature = try temporaryFile("x2,y\n1,2\n3,4\n")
        let mismatch = try runRelulp(["predict", good, noFeature])
        #expect(mismatch.status != 0 && mismatch.stderr.contains("x1"), "\(mismatch.stderr)")
    }
}
