import Foundation
import InputFuzz
import ReLULP
import TestSupport
import Testing

/// The seeded fuzz harness of the CSV and model-file readers (a bounded run; benchmarks/fuzz/ runs it longer),
/// and the inputs it found, kept as regression cases.
@Suite struct InputFuzzTests {
    /// 20,000 cases of seed 1 (about half CSV, half model files): none crashes, hangs or is rejected without
    /// a located one-line message.
    @Test func seededRunFindsNothing() {
        let report = InputFuzz.run(seed: 1, count: 20_000)
        #expect(report.cases == 20_000)
        #expect(report.findings.isEmpty, "\(report.findings.prefix(3).map { "case \($0.index): \($0.problem)" })")
        // The mutations keep a share of the inputs valid, so the accepting paths are exercised too.
        #expect(report.accepted > 500 && report.accepted < 19_000, "\(report.accepted) accepted")
    }

    /// Cases the harness found, with the messages they get now (first: model-file errors had no line and column).
    @Test(arguments: [
        (
            "model-seed-1-case-284714.json",
            "fuzz.json:2:42: malformed or truncated JSON (Number 0.1e308071 is not representable in Swift.)"
        ),
        (
            "model-seed-1-case-284738.json",
            "fuzz.json:4:44: malformed or truncated JSON (Unescaped control character around character 269.)"
        ),
        (
            "model-seed-1-case-291.json",
            "fuzz.json:2:41: number 4.9e-324 is too close to 0 to be read exactly (underflow)"
        ),
        (
            "model-seed-1-case-579.json",
            "fuzz.json:1:55: number 0.1e-3201 is too close to 0 to be read exactly (underflow)"
        ),
        (
            "model-seed-1-case-284705.json",
            "fuzz.json:2:18: number 4.9e-324 is too close to 0 to be read exactly (underflow)"
        ),
        // From `benchmarks/fuzz/run.sh 120 1 2 3`: escapes and encodings without a place, control characters of
        // the file echoed into the message, and weights of 1.8e308 accepted (the network overflowed).
        (
            "model-seed-1-case-897766.json",
            "fuzz.json:5:31: malformed or truncated JSON (Unable to convert hex escape sequence (no high character) to UTF8-encoded character.)"
        ),
        (
            "model-seed-1-case-2750014.json",
            "fuzz.json:1:1: malformed or truncated JSON (Cannot convert input string to valid utf8 input.)"
        ),
        (
            "model-seed-1-case-623925.json",
            "fuzz.json:1:18: malformed or truncated JSON (Invalid hex encoded sequence in \"000\\u{0}\" at 17.)"
        ),
        (
            "model-seed-3-case-855393.json",
            "fuzz.json: atom 0's weights have norm 1.7976931348623157e+308; weights are unit vectors (the amplitude carries the scale)"
        ),
    ])
    func recordedCases(file: String, message: String) throws {
        let path = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/fuzz/\(file)").path
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(
            InputFuzz.check(InputFuzz.Case(kind: file.hasSuffix(".csv") ? .csv : .model, bytes: bytes))
                == .rejected(message))
    }

    /// Hostile inputs written by hand, each rejected with its place and an escaped, one-line reason.
    @Test(arguments: [
        (
            InputFuzz.Kind.model, "[1, 2]",
            "fuzz.json:1:1: not a JSON object; a model file is one object {\"format\": \"relulp-model\", ...}"
        ),
        (.model, "", "fuzz.json:1:1: malformed or truncated JSON (Unexpected end of file during JSON parse.)"),
        (.model, "{\"format\": \"relulp-model\",\n \"version\": 1, \"x\": \"\\u12G4\"}", "fuzz.json:2:"),
        (
            .model, "{\"format\": \"relulp-model\", \"version\": \"1\\n2\"}",
            "fuzz.json: unsupported model version 1\\n2; this relulp reads version 1"
        ),
        (.model, "{\"format\": \"relulp-model\", \"version\": 1, \"loss\": 3}", "fuzz.json: missing field"),
        // A lone CR ends a line (classic Mac line ends); inside quotes it is text, echoed escaped.
        (.csv, "x,y\n1,2\n3,a\rb\n", "fuzz.csv:3:2: non-numeric value 'a' in column 'y'"),
        (.csv, "x,y\n1,2\n3,\"a\rb\"\n", "fuzz.csv:3:2: non-numeric value 'a\\rb' in column 'y'"),
        (.csv, "x\u{2028},y\n1,2\n3,\n", "fuzz.csv:3:2: empty cell in column 'y'"),
        (
            .csv, "a,b\n1,2\n",
            "fuzz.csv:1:1: no target column 'y' in the header (columns: a, b); choose one with --target"
        ),
        (.csv, "x,y\n1,1e309\n2,3\n", "fuzz.csv:2:2: non-finite value '1e309' in column 'y'"),
        (.csv, "\u{FEFF}x,y\r\n1,2\r\n\"3\",\"NaN\"\r\n", "fuzz.csv:3:2: non-finite value 'NaN' in column 'y'"),
    ])
    func handWrittenCases(kind: InputFuzz.Kind, text: String, message: String) {
        let outcome = InputFuzz.check(InputFuzz.Case(kind: kind, bytes: Array(text.utf8)))
        guard case .rejected(let got) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(got.hasPrefix(message), "\(got)")
    }

    @Test func invalidUTF8IsLocated() {
        var bytes = Array("{\"format\": \"relulp-model\",\n \"target\": \"".utf8)
        bytes += [0xC3, 0x28] + Array("\"}".utf8)
        let outcome = InputFuzz.check(InputFuzz.Case(kind: .model, bytes: bytes))
        guard case .rejected(let got) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(got.hasPrefix("fuzz.json:2:"), "\(got)")
    }
}
