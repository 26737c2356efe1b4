import Foundation
import ReLULP
import TestSupport
import Testing

/// The library example of the README, compiled and run here; a second test checks that the README shows
/// exactly this code (between the `readme-example` markers).
@Suite struct ReadmeExampleTests {
    @Test func exampleRunsAndIsCertified() throws {
        let csvPath = try Fixtures.path("kink1d_n20.csv")
        // readme-example begin
        let data = try Dataset.load(csv: csvPath)  // header row, label column "y"
        let trainer = try ExactTrainer(data: data, bias: true)  // enumerates the dual regions
        var options = TrainingOptions(lambda: 0.05, backend: .clp)
        options.tolerance = 1e-9
        options.loss = .l1  // or .squared (CLP), .hinge (two classes)
        let result = try trainer.train(options)

        print(result.status, result.objective, result.lowerBound)  // optimal, with a certified gap
        for atom in result.measure.atoms {  // the sparse network: Dirac atoms
            print(atom.amplitude, atom.weights)  // weights: unit vector (w, bias)
        }
        let eta = result.certificate.maxAbsEta  // max |η| over the sphere, ≈ 1
        let f = result.measure.value(at: [0.5, 1])  // f(x = 0.5): lifted point (x, 1)
        // readme-example end
        #expect(result.status == .optimal)
        #expect(result.gap <= 1e-9 && eta <= 1 + 1e-7)
        let direct = result.measure.atoms.reduce(0.0) {
            $0 + $1.amplitude * max(0, $1.weights[0] * 0.5 + $1.weights[1])
        }
        #expect(abs(f - direct) <= 1e-12)
    }

    @Test func readmeShowsThisExample() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let begin = try #require(source.range(of: "// readme-example begin\n"))
        let end = try #require(source.range(of: "        // readme-example end"))
        let snippet = source[begin.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.dropFirst(8) }.joined(separator: "\n")
        let readme = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(snippet), "README.md must show the code between the readme-example markers")
    }
}
