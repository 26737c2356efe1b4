import Foundation
import ReLULP
import TestSupport
import Testing

/// `relulp solve --sparsest` end to end: the model file of a one-neuron teacher, read back and recomputed; the
/// option conflicts and the conflicting-label refusal; `certify` on a sparsest model and on a tampered one.
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLISparsestTests {
    @Test func oneNeuronModelFileIsReadBack() throws {
        let rows = (0..<10).map { j -> String in
            let x = -1 + 2 * Double(j) / 9
            return "\(x),\(3 * max(0, 0.2 - x))"
        }
        let data = try temporaryFile("x1,y\n" + rows.joined(separator: "\n") + "\n")
        let output = try temporaryFile("", name: "model.json")
        let run = try runRelulp(["solve", data, "--sparsest", "--quiet", "--output", output])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("status:            optimal") && run.stdout.contains("neurons:           1"))
        let model = try ModelFile.load(output)
        #expect(model.sparsest && model.objective == 1 && model.lowerBound == 1 && model.atoms.count == 1)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("\"loss\" : \"sparsest\""))
        let predicted = try model.predict(try Dataset.load(csv: data))
        let labels = try Dataset.load(csv: data).labels
        #expect(zip(predicted, labels).allSatisfy { abs($0 - $1) <= 1e-9 })
    }

    @Test(arguments: [
        (["--heuristic", "--interpolate"], "--heuristic belongs to --sparsest"),
        (["--sparsest", "--lambda", "0.1"], "takes neither --lambda"),
        (["--sparsest", "--loss", "squared"], "takes no --loss"),
    ])
    func conflictsAreUsageErrors(extra: [String], message: String) throws {
        let data = try temporaryFile("x1,y\n0,1\n1,2\n")
        let run = try runRelulp(["solve", data] + extra)
        #expect(run.status == 64 && run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func conflictingLabelsAreRefused() throws {
        let data = try temporaryFile("x1,y\n0,1\n1,2\n0,3\n")
        let run = try runRelulp(["solve", data, "--sparsest", "--quiet"])
        #expect(run.status == 1 && run.stderr.contains("rows 1 and 3 have the same input and different labels"))
    }

    @Test func certifyChecksASparsestModelAndRefusesATamperedOne() throws {
        let rows = (0..<8).map { j -> String in
            let x = -1 + 2 * Double(j) / 7
            return "\(x),\(2 * max(0, x - 0.1) - max(0, -x - 0.4))"
        }
        let data = try temporaryFile("x1,y\n" + rows.joined(separator: "\n") + "\n")
        let output = try temporaryFile("", name: "sparsest.json")
        let solve = try runRelulp(["solve", data, "--sparsest", "--quiet", "--output", output])
        #expect(solve.status == 0, "\(solve.stderr)")
        let good = try runRelulp(["certify", output, data, "--quiet"])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("no dual certificate") && good.stdout.contains("ok   fit"))
        #expect(!good.stderr.contains("no dual vector"))
        let json = try runRelulp(["certify", output, data, "--quiet", "--json", "-"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(json.status == 0 && object?["consistent"] as? Bool == true && object?["neurons"] as? Int == 2)
        // A count that is not the network's, and labels the network does not fit, are refused.
        let text = try String(contentsOfFile: output, encoding: .utf8)
        let miscounted = try temporaryFile(
            text.replacingOccurrences(of: "\"objective\" : 2", with: "\"objective\" : 1"), name: "bad.json")
        #expect(text.contains("\"objective\" : 2"))
        let bad = try runRelulp(["certify", miscounted, data, "--quiet"])
        #expect(bad.status == 1 && bad.stdout.contains("FAIL count"), "\(bad.stdout)")
        let shifted = try temporaryFile(
            "x1,y\n" + rows.map { $0 + "1" }.joined(separator: "\n") + "\n", name: "shifted.csv")
        let misfit = try runRelulp(["certify", output, shifted, "--quiet"])
        #expect(misfit.status == 1 && misfit.stdout.contains("FAIL fit"), "\(misfit.stdout)")
    }
}
