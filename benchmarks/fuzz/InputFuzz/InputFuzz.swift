import Foundation
import ReLULP

/// A seeded fuzz harness for the two readers of untrusted files: the CSV reader (`Dataset.parse`) and the
/// model-file reader (`ModelFile.parse`). Cases are valid seed files mutated the way real files go wrong
/// (truncation, byte flips, inserted separators and quotes, a BOM, CRLF, huge numbers, NaN) or random bytes.
/// The property: every input is either accepted with consistent contents or rejected with a one-line message
/// naming the file, line and column (for the model file: line and column of malformed JSON; a well-formed file
/// with a wrong field names the field). A crash or hang is a failure by itself. Used by the tests (a few
/// thousand cases) and by `fuzz-benchmark` (for a bounded time, benchmarks/fuzz/).
public enum InputFuzz {
    public enum Kind: String, Sendable, CaseIterable {
        case csv, model
        /// The file name used in messages and by recorded cases.
        public var fileName: String { self == .csv ? "fuzz.csv" : "fuzz.json" }
    }

    /// One generated input.
    public struct Case: Sendable {
        public var kind: Kind
        public var bytes: [UInt8]

        public init(kind: Kind, bytes: [UInt8]) {
            self.kind = kind
            self.bytes = bytes
        }
    }

    /// Valid CSV files to mutate.
    public static let csvSeeds: [String] = [
        "x,y\n0,0\n1,1\n2,0.5\n3,2\n",
        "x1,x2,y\n0.5,-0.25,1\n-1,1,0\n0.125,0.75,-2.5e-3\n",
        "\"a\", \"y\" ,b\r\n1, 2 ,3\r\n4,5,6\r\n\r\n7,8,9\r\n",
        "y,x\n1e-300,1e300\n-0,5\n+3,.5\n",
    ]

    /// Valid model files to mutate (1 feature with a bias, and 2 features without).
    public static let modelSeeds: [String] = [
        """
        {"format": "relulp-model", "version": 1, "lambda": 0.01, "bias": true, "loss": "l1",
         "features": ["x"], "target": "y", "n": 3,
         "atoms": [{"amplitude": 1.5, "weights": [0.6, -0.8]}, {"amplitude": -0.25, "weights": [-1, 0]}],
         "objective": 0.1, "dataLoss": 0.05, "totalVariation": 1.75, "lowerBound": 0.1, "gap": 0,
         "tolerance": 1e-9, "status": "optimal",
         "certificate": {"dual": [0.3333, -0.3333, 0.1], "maxAbsEta": 1},
         "solver": {"backend": "clp", "method": "column-generation", "rounds": 3, "columns": 7, "regions": 6, "seconds": 0.01}}
        """,
        """
        {"format":"relulp-model","version":1,"lambda":0,"bias":false,"loss":"interpolation","features":["a","b"],
        "target":"t","n":2,"atoms":[{"amplitude":2,"weights":[0.7071,0.7071]}],"objective":2,"dataLoss":0,
        "totalVariation":2,"lowerBound":2,"gap":0,"tolerance":1e-9,"status":"teacher"}
        """,
    ]

    /// Fragments inserted by the mutator: separators, quotes, line ends, a BOM, numbers that break parsers.
    static let fragments: [String] = [
        ",", ",,", "\"", "\"\"", "\n", "\r\n", "\r", " ", "\t", ";", "\u{FEFF}", "\0", "{", "}", "[", "]", ":",
        "1e308", "-1e308", "1e309", "1e-400", "NaN", "nan", "inf", "-inf", "Infinity", "0x1p3", "1_000", "١",
        "99999999999999999999999999999", "-0", ".", "e", "+", "null", "true", "\"format\"", "\"relulp-model\"",
        "\\", "\\u0000", "\\ud800", "é", "\u{0085}", "\u{2028}",
    ]

    /// Case number `index` of the run with `seed`: independent of the other cases, so any case can be
    /// regenerated from (seed, index) alone (`fuzz-benchmark --replay`).
    public static func makeCase(seed: UInt64, index: UInt64) -> Case {
        var rng = SplitMix64(seed: seed &* 0x2545_F491_4F6C_DD1D &+ index)
        let kind: Kind = rng.next() % 2 == 0 ? .csv : .model
        let seeds = kind == .csv ? csvSeeds : modelSeeds
        var bytes: [UInt8]
        if rng.next() % 16 == 0 {
            bytes = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        } else {
            bytes = Array(seeds[Int(rng.next() % UInt64(seeds.count))].utf8)
        }
        for _ in 0..<(1 + Int(rng.next() % 4)) { mutate(&bytes, rng: &rng) }
        return Case(kind: kind, bytes: bytes)
    }

    /// One mutation in place.
    static func mutate(_ bytes: inout [UInt8], rng: inout SplitMix64) {
        func position(_ extra: Int = 0) -> Int { Int(rng.next() % UInt64(bytes.count + 1 + extra)) }
        switch rng.next() % 10 {
        case 0: bytes.removeLast(min(bytes.count, 1 + Int(rng.next() % 40)))  // truncation
        case 1 where !bytes.isEmpty:  // byte flip
            let i = Int(rng.next() % UInt64(bytes.count))
            bytes[i] ^= UInt8(1 << (rng.next() % 8))
        case 2 where !bytes.isEmpty:  // random byte
            bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
        case 3, 4:  // inserted fragment
            bytes.insert(contentsOf: Array(fragments[Int(rng.next() % UInt64(fragments.count))].utf8), at: position())
        case 5:  // a number replaced by a hostile one
            let digits = bytes.indices.filter { bytes[$0] >= 48 && bytes[$0] <= 57 }
            guard let i = digits.isEmpty ? nil : digits[Int(rng.next() % UInt64(digits.count))] else { return }
            let hostile = [
                "1e308", "1e309", "NaN", "-inf", "4.9e-324", "1e-320",
                "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            ]
            bytes.replaceSubrange(i...i, with: Array(hostile[Int(rng.next() % UInt64(hostile.count))].utf8))
        case 6:  // CRLF line ends, or a BOM in front
            if rng.next() % 2 == 0 {
                bytes = bytes.flatMap { $0 == 10 ? [13, 10] : [$0] }
            } else {
                bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)
            }
        case 7 where !bytes.isEmpty:  // a range deleted
            let a = Int(rng.next() % UInt64(bytes.count))
            let b = min(bytes.count, a + 1 + Int(rng.next() % 30))
            bytes.removeSubrange(a..<b)
        case 8 where !bytes.isEmpty:  // a range duplicated (a repeated line or field)
            let a = Int(rng.next() % UInt64(bytes.count))
            let b = min(bytes.count, a + 1 + Int(rng.next() % 60))
            bytes.insert(contentsOf: Array(bytes[a..<b]), at: position())
        default:  // a random byte inserted
            bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position())
        }
    }

    /// What happened to one input.
    public enum Outcome: Sendable, Equatable {
        case accepted
        case rejected(String)
        /// The property does not hold: what went wrong.
        case failure(String)
    }

    /// Checks the property on one input.
    public static func check(_ input: Case) -> Outcome {
        switch input.kind {
        case .csv: checkCSV(input.bytes)
        case .model: checkModel(input.bytes)
        }
    }

    static func checkCSV(_ bytes: [UInt8]) -> Outcome {
        let file = Kind.csv.fileName
        do {
            let data = try Dataset.parse(csv: bytes, file: file)
            guard data.count >= 2, data.labels.count == data.features.count,
                data.features.allSatisfy({ $0.count == data.featureCount }),
                data.labels.allSatisfy(\.isFinite), data.features.allSatisfy({ $0.allSatisfy(\.isFinite) })
            else {
                return .failure("accepted an inconsistent data set (n = \(data.count), m = \(data.featureCount))")
            }
            return .accepted
        } catch {
            guard error.file == file, let line = error.line, let column = error.column, line >= 1, column >= 1 else {
                return .failure("rejection without file, line and column: \(error)")
            }
            return oneLine(error.description, prefix: "\(file):\(line):\(column): ")
        }
    }

    static func checkModel(_ bytes: [UInt8]) -> Outcome {
        let file = Kind.model.fileName
        do {
            let model = try ModelFile.parse(Data(bytes), path: file)
            guard model.atoms.allSatisfy({ $0.weights.count == model.dimension && $0.amplitude.isFinite }) else {
                return .failure("accepted a model with inconsistent atoms")
            }
            // The accepted network evaluates to finite values on small inputs.
            let points = LiftedData(
                count: 1, dimension: model.dimension, values: [Double](repeating: 0.5, count: model.dimension))
            guard
                model.measure.values(at: points).allSatisfy(\.isFinite)
                    || model.atoms.contains(where: { abs($0.amplitude) > 1e300 })
            else {
                return .failure("accepted a model whose network is not finite on [0.5, …]")
            }
            return .accepted
        } catch {
            guard error.path == file else { return .failure("rejection without the file name: \(error)") }
            if error.message.hasPrefix("malformed") {
                guard let line = error.line, let column = error.column, line >= 1, column >= 1 else {
                    return .failure("malformed JSON without line and column: \(error)")
                }
                return oneLine(error.description, prefix: "\(file):\(line):\(column): ")
            }
            return oneLine(error.description, prefix: "\(file)")
        }
    }

    static func oneLine(_ message: String, prefix: String) -> Outcome {
        guard message.hasPrefix(prefix) else { return .failure("message does not start with '\(prefix)': \(message)") }
        guard
            !message.unicodeScalars.contains(where: {
                $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}"
            })
        else {
            return .failure("message with a line break or control character: \(message.debugDescription)")
        }
        guard message.count > prefix.count + 3 else { return .failure("message without a reason: \(message)") }
        return .rejected(message)
    }

    /// The outcome of a run.
    public struct Report: Sendable {
        public var cases = 0
        public var accepted = 0
        public var findings: [(index: UInt64, kind: Kind, bytes: [UInt8], problem: String)] = []
        public var slowest = (index: UInt64(0), seconds: 0.0)
    }

    /// Runs cases `0..<count` of `seed` (or until `seconds` have passed), collecting the cases that break the
    /// property; `beforeCase` is called with each index first (the benchmark records it to find a crash).
    public static func run(
        seed: UInt64, count: UInt64 = .max, seconds: Double = .infinity,
        beforeCase: ((UInt64) -> Void)? = nil
    ) -> Report {
        var report = Report()
        let start = Date()
        var index: UInt64 = 0
        while index < count, Date().timeIntervalSince(start) < seconds {
            beforeCase?(index)
            let input = makeCase(seed: seed, index: index)
            let t = Date()
            let outcome = check(input)
            let elapsed = Date().timeIntervalSince(t)
            if elapsed > report.slowest.seconds { report.slowest = (index, elapsed) }
            switch outcome {
            case .accepted: report.accepted += 1
            case .rejected: break
            case .failure(let problem): report.findings.append((index, input.kind, input.bytes, problem))
            }
            report.cases += 1
            index += 1
        }
        return report
    }
}
