import Foundation
import TestSupport
import Testing

/// `--loss` end to end through the built binary: the model file records the loss (and the hinge's classes),
/// `certify` accepts the model, `predict` adds the class column for the hinge, and GLPK refuses the squared loss.
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLILossTests {
    /// 16 points on [−1, 1] with a kinked label and a two-class label derived from it.
    static let csv: String = {
        var lines = ["x,y,c"]
        for i in 0..<16 {
            let x = -1 + 2 * Double(i) / 15
            let y = abs(x - 0.2) - 0.4 + 0.05 * sin(7 * x)
            lines.append("\(x),\(y),\(y > 0 ? "2" : "-5")")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test(arguments: ["squared", "hinge"]) func solveCertifyPredict(loss: String) throws {
        let data = try temporaryFile(Self.csv)
        let model = data + ".\(loss).json"
        let target = loss == "hinge" ? "c" : "y"
        let solve = try runRelulp([
            "solve", data, "--lambda", "0.01", "--loss", loss, "--target", target, "--features", "x",
            "--quiet", "--output", model,
        ])
        #expect(solve.status == 0, "\(solve.stderr)")
        #expect(solve.stdout.contains("status            optimal") && solve.stdout.contains("(\(loss))"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
        #expect(json["loss"] as? String == loss)
        #expect((json["classes"] as? [Double]) == (loss == "hinge" ? [-5, 2] : nil))
        // certify reads the model's label column and features; the other label column is only noted.
        let certify = try runRelulp(["certify", model, data, "--quiet"])
        #expect(certify.status == 0, "\(certify.stdout)\(certify.stderr)")
        let predict = try runRelulp(["predict", model, data])
        #expect(predict.status == 0, "\(predict.stderr)")
        let lines = predict.stdout.split(separator: "\n")
        let header = lines.first.map(String.init) ?? ""
        if loss == "hinge" {
            #expect(header == "x,c,prediction,class")
            for line in lines.dropFirst() {
                let fields = line.split(separator: ",").map { Double($0)! }
                #expect(fields[3] == (fields[2] >= 0 ? 2 : -5))
            }
        } else {
            #expect(header == "x,y,prediction")
        }
    }

    @Test func glpkRefusesSquaredLossClearly() throws {
        let data = try temporaryFile(Self.csv)
        let run = try runRelulp([
            "solve", data, "--lambda", "0.01", "--loss", "squared", "--backend", "glpk", "--features", "x", "--quiet",
        ])
        #expect(run.status != 0)
        #expect(
            run.stderr.contains("squared loss needs a QP backend") && run.stderr.contains("--backend clp"),
            "\(run.stderr)")
        // The squared loss's master is always primal: --master dual is refused with the way out, not ignored.
        let dual = try runRelulp([
            "solve", data, "--lambda", "0.01", "--loss", "squared", "--master", "dual", "--features", "x", "--quiet",
        ])
        #expect(
            dual.status == 64 && dual.stderr.contains("squared loss needs the primal form of the master")
                && dual.stderr.contains("--master primal or auto"), "\(dual.stderr)")
        let unknown = try runRelulp([
            "solve", data, "--lambda", "0.01", "--loss", "logistic", "--features", "x", "--quiet",
        ])
        #expect(
            unknown.status == 64
                && unknown.stderr.hasPrefix(
                    "Error: The value 'logistic' is invalid for '--loss <loss>'. Please provide one of 'l1', 'squared' or 'hinge'."
                ),
            "\(unknown.stderr)")
        let classes = try runRelulp([
            "solve", data, "--lambda", "0.01", "--loss", "hinge", "--features", "x", "--quiet",
        ])
        #expect(classes.status != 0 && classes.stderr.contains("exactly two classes"), "\(classes.stderr)")
    }
}
