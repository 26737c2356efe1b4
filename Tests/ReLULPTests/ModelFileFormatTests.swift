import Foundation
import ReLULP
import TestSupport
import Testing

/// The model file's typed fields (objective, loss, status) against the JSON the format fixes, and the one place
/// a run's status comes from.
@Suite struct ModelFileFormatTests {
    /// Every model and teacher file in the repository: read, then written again byte for byte.
    @Test func storedFilesReadAndWriteBackUnchanged() throws {
        let root = Fixtures.packageRoot
        let enumerator = FileManager.default.enumerator(
            at: root.appendingPathComponent("models"),
            includingPropertiesForKeys: nil)
        let files = (enumerator?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "json" }
        var checked = 0
        for file in files {
            let bytes = try Data(contentsOf: file)
            guard String(decoding: bytes, as: UTF8.self).contains("\"relulp-model\"") else { continue }
            let model = try ModelFile.parse(bytes, path: file.path)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            #expect(try encoder.encode(model) == bytes, "\(file.lastPathComponent)")
            checked += 1
        }
        #expect(checked >= 3)
    }

    /// The objective and status as the file spells them, both ways.
    @Test func objectiveAndStatusAreTyped() throws {
        let kink = try ModelFile.load(Fixtures.packageRoot.appendingPathComponent("models/kink1d_n20/model.json").path)
        #expect(kink.problem == .regularized(lambda: kink.lambda) && kink.lossFunction == .l1)
        #expect(kink.status == .trained(.optimal))
        let teacher = try ModelFile.load(
            Fixtures.packageRoot.appendingPathComponent("models/study/teacher1d/teacher.json").path)
        #expect(teacher.problem == .interpolation && teacher.lambda == 0 && teacher.status == .teacher)
        for status in ModelFile.Status.all { #expect(ModelFile.Status(rawValue: status.rawValue) == status) }
        #expect(ModelFile.Status(rawValue: "finished") == nil)
    }

    /// A status the format does not have is refused, naming the ones it has; a bad loss keeps its message.
    @Test func unknownStatusAndLossAreRefused() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("models/kink1d_n20/model.json").path
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        let status = #expect(throws: ModelFileError.self) {
            try ModelFile.parse(Data(text.replacingOccurrences(of: "\"optimal\"", with: "\"done\"").utf8), path: "m")
        }
        #expect(status?.description.hasPrefix("m: unsupported status \"done\" (\"optimal\", \"round-limit\"") == true)
        let loss = #expect(throws: ModelFileError.self) {
            try ModelFile.parse(Data(text.replacingOccurrences(of: "\"l1\"", with: "\"l3\"").utf8), path: "m")
        }
        #expect(
            loss?.description
                == "m: unsupported loss \"l3\" (\"l1\", \"squared\", \"hinge\", \"interpolation\" or \"sparsest\")")
    }

    /// The status of every kind and termination: optimal only when the gap closed and the reported network's
    /// gap is within the tolerance; a vertex LP is an upper bound unless its time limit or a signal cut it.
    @Test func statusIsDerivedInOnePlace() {
        let cut: [Termination: TrainingStatus] = [.timeLimit: .timeLimit, .interrupted: .interrupted]
        for termination in Termination.allCases {
            for certified in [false, true] {
                #expect(
                    TrainingStatus(kind: .upperBound, termination: termination, certified: certified)
                        == cut[termination, default: .upperBound])
            }
        }
        let expected: [(Termination, Bool, TrainingStatus)] = [
            (.gapClosed, true, .optimal), (.gapClosed, false, .stalled),
            (.roundLimit, true, .roundLimit), (.roundLimit, false, .roundLimit),
            (.timeLimit, false, .timeLimit), (.stalled, true, .stalled), (.stalled, false, .stalled),
            (.sizeLimit, false, .sizeLimit),
        ]
        for (termination, certified, status) in expected {
            #expect(TrainingStatus(kind: .optimum, termination: termination, certified: certified) == status)
        }
    }

    /// The objective travels from the options to the result and the file.
    @Test func objectiveTravelsToTheFile() throws {
        let data = try Fixtures.dataset("kink1d_n20.csv")
        let trainer = try ExactTrainer(data: data)
        var options = TrainingOptions(lambda: 0.01)
        #expect(options.problem == .regularized(lambda: 0.01) && options.lambda == 0.01)
        let regularized = try trainer.train(options)
        #expect(regularized.problem == .regularized(lambda: 0.01) && regularized.lambda == 0.01)
        #expect(regularized.termination == .gapClosed && regularized.certified && regularized.kind == .optimum)
        options.problem = .interpolation
        let limit = try trainer.train(options)
        #expect(limit.problem == .interpolation && limit.lambda == 0 && limit.status == .optimal)
        let model = ModelFile(result: limit, data: data, bias: true, tolerance: 1e-9)
        #expect(model.problem == .interpolation && model.lossFunction == .l1 && model.status == .trained(.optimal))
    }
}
