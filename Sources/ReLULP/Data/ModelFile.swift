import Foundation

/// The model file (`relulp-model`, version 1): a trained network with its certificate, in JSON that other
/// tools can read. Weights are unit vectors in the lifted space; with a bias the last weight is the bias's.
public struct ModelFile: Sendable, Codable, Equatable {
    public static let format = "relulp-model"
    public static let version = 1

    public struct Solver: Sendable, Codable, Equatable {
        public var backend: String
        public var method: String
        /// The master LP's form, `"primal"` or `"dual"` (absent in files from before 0.8.0).
        public var master: String?
        public var rounds: Int
        public var columns: Int
        public var regions: Int
        public var seconds: Double
    }

    /// `status`: how the training ended (`TrainingStatus`), or a generated teacher network (`TeacherFile`).
    public enum Status: Sendable, Equatable, CustomStringConvertible {
        case trained(TrainingStatus)
        case teacher

        public init?(rawValue: String) {
            if rawValue == "teacher" {
                self = .teacher
                return
            }
            guard let status = TrainingStatus(rawValue: rawValue) else { return nil }
            self = .trained(status)
        }

        public var rawValue: String {
            switch self {
            case .trained(let status): status.rawValue
            case .teacher: "teacher"
            }
        }

        public var description: String { rawValue }

        /// Every status a file may hold.
        public static let all: [Status] = TrainingStatus.allCases.map(Status.trained) + [.teacher]
    }

    public var format: String
    public var version: Int
    /// What was minimised: written as `"lambda"`, and for the interpolation as `"loss": "interpolation"` with
    /// `"lambda": 0`.
    public var problem: Objective
    public var bias: Bool
    /// The data term (`"loss"`: `"l1"`, `"squared"` or `"hinge"`); the interpolation's limit is that of the L1 loss.
    public var lossFunction: Loss
    /// Hinge loss only: the label values `[negative, positive]` that were mapped to −1 and +1.
    public var classes: [Double]?
    public var features: [String]
    public var target: String
    public var n: Int
    /// Digests of the training data's rows as read (absent in files from before 0.10.0): `certify` and `plot`
    /// use them to say when other data, or the same rows in another order, are given.
    public var dataDigest: DataDigest?
    public var atoms: [DiracAtom]
    /// The unpenalised output constant `b` (`"intercept"`, docs/mathematics.md §12); absent (nil) for none.
    public var intercept: Double? = nil
    /// The data's column of sample weights the model was trained with (`"weightColumn"`, §12); nil for none.
    public var weightColumn: String? = nil
    public var objective: Double
    public var dataLoss: Double
    public var totalVariation: Double
    public var lowerBound: Double
    public var gap: Double
    public var tolerance: Double
    public var status: Status
    public var certificate: Certificate?
    public var solver: Solver?
    /// `"loss": "sparsest"`: the interpolant with the fewest neurons (`relulp solve --sparsest`); `objective` is its
    /// neuron count and `lowerBound` the count proven by the MIP (`problem` is the interpolation).
    public var sparsest = false

    /// The weight λ of the total variation (0 for the interpolation).
    public var lambda: Double { problem.lambda }

    /// The file's `"loss"`: the data term's name, or `"interpolation"` for the noise-free limit.
    var lossName: String {
        sparsest ? "sparsest" : problem == .interpolation ? "interpolation" : lossFunction.rawValue
    }

    /// Lifted dimension of the atoms' weights.
    public var dimension: Int { features.count + (bias ? 1 : 0) }

    public var measure: DiracMeasure { DiracMeasure(dimension: dimension, atoms: atoms) }

    /// The model's outputs `b + Σ a_i σ(⟨w_i, x̃_j⟩)` at lifted points (b = 0 without an intercept).
    public func outputs(at points: LiftedData) -> [Double] {
        let b = intercept ?? 0
        return measure.values(at: points).map { $0 + b }
    }

    /// The targets of the model's loss for data labels: the labels, or ±1 by `classes` for the hinge loss (an
    /// error names a label that is neither class).
    public func targets(labels: [Double], dataPath: String = "data") throws(ModelFileError) -> [Double] {
        guard lossFunction == .hinge, let classes else { return labels }
        var targets: [Double] = []
        for (j, y) in labels.enumerated() {
            guard y == classes[0] || y == classes[1] else {
                throw ModelFileError(
                    path: dataPath,
                    message:
                        "label \(y) in data row \(j + 1) is neither of the model's classes \(classes[0]) (negative) and \(classes[1]) (positive)"
                )
            }
            targets.append(y == classes[1] ? 1 : -1)
        }
        return targets
    }

    /// For a hinge model: the class each decision value `f` stands for (`f ≥ 0`: positive); nil otherwise.
    public func classLabels(decisions f: [Double]) -> [Double]? {
        guard lossFunction == .hinge, let classes else { return nil }
        return f.map { $0 >= 0 ? classes[1] : classes[0] }
    }

    /// A model of `atoms` in `data`'s layout; its bounds are zero and it has no certificate or solver yet.
    init(
        problem: Objective, lossFunction: Loss, status: Status, atoms: [DiracAtom], data: Dataset, bias: Bool,
        tolerance: Double
    ) {
        format = Self.format
        version = Self.version
        self.problem = problem
        self.bias = bias
        self.lossFunction = lossFunction
        features = data.featureNames
        target = data.targetName
        n = data.count
        dataDigest = DataDigest(data)
        self.atoms = atoms
        (objective, dataLoss, totalVariation, lowerBound, gap) = (0, 0, 0, 0, 0)
        self.tolerance = tolerance
        self.status = status
    }

    public init(result: TrainingResult, data: Dataset, bias: Bool, tolerance: Double) {
        self.init(
            problem: result.problem, lossFunction: result.lossFunction, status: .trained(result.status),
            atoms: result.measure.atoms, data: data, bias: bias, tolerance: tolerance)
        classes = result.classes
        intercept = result.intercept
        objective = result.objective
        dataLoss = result.loss
        totalVariation = result.totalVariation
        lowerBound = result.lowerBound
        gap = result.gap
        certificate = result.certificate
        solver = Solver(
            backend: result.backend.rawValue, method: result.method.rawValue,
            master: result.master.rawValue, rounds: result.rounds, columns: result.columns,
            regions: result.regions, seconds: result.seconds)
    }

    enum CodingKeys: String, CodingKey {
        case format, version, lambda, bias, loss, classes, features, target, weightColumn, n, dataDigest, atoms
        case intercept, objective, dataLoss
        case totalVariation, lowerBound, gap, tolerance, status, certificate, solver
    }

    /// Reads the fields in the order of the format; `"loss"`, `"lambda"` and `"status"` become typed values
    /// last, so that a field that is missing or of the wrong type is reported first.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        version = try c.decode(Int.self, forKey: .version)
        let lambda = try c.decode(Double.self, forKey: .lambda)
        bias = try c.decode(Bool.self, forKey: .bias)
        let loss = try c.decode(String.self, forKey: .loss)
        classes = try c.decodeIfPresent([Double].self, forKey: .classes)
        features = try c.decode([String].self, forKey: .features)
        target = try c.decode(String.self, forKey: .target)
        weightColumn = try c.decodeIfPresent(String.self, forKey: .weightColumn)
        n = try c.decode(Int.self, forKey: .n)
        dataDigest = try c.decodeIfPresent(DataDigest.self, forKey: .dataDigest)
        atoms = try c.decode([DiracAtom].self, forKey: .atoms)
        intercept = try c.decodeIfPresent(Double.self, forKey: .intercept)
        objective = try c.decode(Double.self, forKey: .objective)
        dataLoss = try c.decode(Double.self, forKey: .dataLoss)
        totalVariation = try c.decode(Double.self, forKey: .totalVariation)
        lowerBound = try c.decode(Double.self, forKey: .lowerBound)
        gap = try c.decode(Double.self, forKey: .gap)
        tolerance = try c.decode(Double.self, forKey: .tolerance)
        let statusName = try c.decode(String.self, forKey: .status)
        certificate = try c.decodeIfPresent(Certificate.self, forKey: .certificate)
        solver = try c.decodeIfPresent(Solver.self, forKey: .solver)
        sparsest = loss == "sparsest"
        (problem, lossFunction) = try Self.objective(loss: sparsest ? "interpolation" : loss, lambda: lambda)
        guard let status = Status(rawValue: statusName) else {
            let known = Status.all.map { "\"\($0)\"" }.joined(separator: ", ")
            throw ModelFileError(path: "", message: "unsupported status \"\(printable(statusName))\" (\(known))")
        }
        self.status = status
    }

    /// The objective and data term of a file's `"loss"` and `"lambda"`; the error (a `ModelFileError` without
    /// its path, which `parse` adds) names what is wrong.
    static func objective(loss: String, lambda: Double) throws(ModelFileError) -> (Objective, Loss) {
        if loss == "interpolation" {
            guard lambda == 0 else {
                throw ModelFileError(path: "", message: "an interpolation model has \"lambda\": 0")
            }
            return (.interpolation, .l1)
        }
        guard let function = Loss(rawValue: loss) else {
            let known = Loss.allCases.map { "\"\($0)\"" }.joined(separator: ", ")
            throw ModelFileError(
                path: "",
                message: "unsupported loss \"\(printable(loss))\" (\(known), \"interpolation\" or \"sparsest\")")
        }
        guard lambda.isFinite, lambda > 0 else {
            throw ModelFileError(path: "", message: "\"lambda\" must be finite and > 0")
        }
        return (.regularized(lambda: lambda), function)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(version, forKey: .version)
        try c.encode(lambda, forKey: .lambda)
        try c.encode(bias, forKey: .bias)
        try c.encode(lossName, forKey: .loss)
        try c.encodeIfPresent(classes, forKey: .classes)
        try c.encode(features, forKey: .features)
        try c.encode(target, forKey: .target)
        try c.encodeIfPresent(weightColumn, forKey: .weightColumn)
        try c.encode(n, forKey: .n)
        try c.encodeIfPresent(dataDigest, forKey: .dataDigest)
        try c.encode(atoms, forKey: .atoms)
        try c.encodeIfPresent(intercept, forKey: .intercept)
        try c.encode(objective, forKey: .objective)
        try c.encode(dataLoss, forKey: .dataLoss)
        try c.encode(totalVariation, forKey: .totalVariation)
        try c.encode(lowerBound, forKey: .lowerBound)
        try c.encode(gap, forKey: .gap)
        try c.encode(tolerance, forKey: .tolerance)
        try c.encode(status.rawValue, forKey: .status)
        try c.encodeIfPresent(certificate, forKey: .certificate)
        try c.encodeIfPresent(solver, forKey: .solver)
    }

    /// Reads and checks a model file: format, version, loss, and every atom's dimension and finiteness. Files
    /// above `maxBytes` (and endless streams) are refused.
    public static func load(_ path: String, maxBytes: Int = InputFile.defaultMaxBytes) throws(ModelFileError)
        -> ModelFile
    {
        let bytes: [UInt8]
        do { bytes = try InputFile.read(path, maxBytes: maxBytes) } catch {
            throw ModelFileError(path: path, message: error.message)
        }
        return try parse(Data(bytes), path: path)
    }

    /// Parses and checks model-file JSON already in memory; `path` is only used in error messages. Malformed JSON
    /// is located by line and column, fields by their path in the document.
    public static func parse(_ data: Data, path: String = "<input>") throws(ModelFileError) -> ModelFile {
        // Check the header first so that a file of another kind gets a message about its kind.
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            let (line, column) = syntaxErrorLocation(error, in: data)
            let why = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw ModelFileError(
                path: path, line: line, column: column,
                message: "malformed or truncated JSON (\(printable(why, limit: 200)))")
        }
        guard let object = parsed as? [String: Any] else {
            throw ModelFileError(
                path: path, line: 1, column: 1,
                message: "not a JSON object; a model file is one object {\"format\": \"\(format)\", ...}")
        }
        guard object["format"] as? String == format else {
            throw ModelFileError(path: path, message: "not a relulp model: \"format\" must be \"\(format)\"")
        }
        guard let v = object["version"] as? Int, v == version else {
            throw ModelFileError(
                path: path,
                message:
                    "unsupported model version \(object["version"].map { printable("\($0)") } ?? "(missing)"); this relulp reads version \(version)"
            )
        }
        let model: ModelFile
        do { model = try JSONDecoder().decode(ModelFile.self, from: data) } catch let error as DecodingError {
            // JSONDecoder refuses numbers that underflow, without saying where: find the first such number.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let (offset, text) = underflowingNumber(in: data)
            {
                let (line, column) = lineAndColumn(of: offset, in: data)
                throw ModelFileError(
                    path: path, line: line, column: column,
                    message: "number \(printable(text)) is too close to 0 to be read exactly (underflow)")
            }
            throw ModelFileError(path: path, message: describe(error))
        } catch let error as ModelFileError {
            throw ModelFileError(path: path, message: error.message)
        } catch {
            throw ModelFileError(path: path, message: "\(error)")
        }
        try model.check(path: path)
        return model
    }

    /// The checks beyond the fields' types (the objective's are in `objective(loss:lambda:)`).
    func check(path: String) throws(ModelFileError) {
        try checkNames(path: path)
        try checkTolerance(path: path)
        if let digest = dataDigest {
            let isDigest = { (text: String) in text.count == 16 && text.allSatisfy(\.isHexDigit) }
            guard isDigest(digest.rows), isDigest(digest.rowSet) else {
                throw ModelFileError(
                    path: path, message: "\"dataDigest\" must hold \"rows\" and \"rowSet\", 16 hexadecimal digits each")
            }
        }
        if let intercept {
            guard intercept.isFinite, problem != .interpolation else {
                throw ModelFileError(
                    path: path,
                    message: "\"intercept\" must be a finite number, and only in a model of (P) with a lambda")
            }
        }
        if lossFunction == .hinge {
            guard let classes, classes.count == 2, classes.allSatisfy(\.isFinite), classes[0] != classes[1] else {
                throw ModelFileError(
                    path: path,
                    message:
                        "a hinge-loss model needs \"classes\": [negative, positive], two different finite label values")
            }
        } else if classes != nil {
            throw ModelFileError(
                path: path, message: "\"classes\" belongs to hinge-loss models only (this one has loss \"\(lossName)\")"
            )
        }
        for (i, atom) in atoms.enumerated() {
            guard atom.weights.count == dimension else {
                throw ModelFileError(
                    path: path,
                    message:
                        "atom \(i) has \(atom.weights.count) weights; \(features.count) features\(bias ? " plus a bias" : "") need \(dimension)"
                )
            }
            guard atom.amplitude.isFinite, atom.weights.allSatisfy(\.isFinite) else {
                throw ModelFileError(path: path, message: "atom \(i) has a non-finite amplitude or weight")
            }
            // Unit vectors (the amplitude carries the scale); relulp writes them to rounding, hand-written files
            // with a few decimals pass. Larger weights would also let the network overflow.
            let scale = atom.weights.reduce(0.0) { max($0, abs($1)) }
            let norm =
                scale == 0 ? 0 : scale * atom.weights.reduce(0.0) { $0 + ($1 / scale) * ($1 / scale) }.squareRoot()
            guard abs(norm - 1) <= 1e-3 else {
                throw ModelFileError(
                    path: path,
                    message:
                        "atom \(i)'s weights have norm \(norm); weights are unit vectors (the amplitude carries the scale)"
                )
            }
        }
        // Finite amplitudes may still sum to infinity (±1e308 twice): such a network has no value anywhere.
        guard atoms.reduce(0.0, { $0 + abs($1.amplitude) }).isFinite else {
            throw ModelFileError(
                path: path,
                message:
                    "the atoms' amplitudes sum to more than the largest number (total variation overflows); the network cannot be evaluated"
            )
        }
        if let c = certificate, c.dual.count != n {
            throw ModelFileError(
                path: path, message: "the certificate's dual vector has \(c.dual.count) entries for n = \(n) points")
        }
    }

    /// The feature names and the target are distinct: a model's columns are matched to a data file's by name, so
    /// a name used twice is the model's error, not the data's.
    private func checkNames(path: String) throws(ModelFileError) {
        var seen: Set<String> = []
        for name in features where !seen.insert(name).inserted {
            throw ModelFileError(
                path: path, message: "feature name '\(printable(name))' appears twice in \"features\"")
        }
        if seen.contains(target) {
            throw ModelFileError(
                path: path, message: "the target '\(printable(target))' is also one of the \"features\"")
        }
    }

    /// `tolerance` records the relative gap the model was trained to; `relulp certify` never uses it, but a
    /// file with a meaningless one is refused: finite and in (0, 1), or exactly 1 for a teacher network (whose
    /// bounds are trivial, `TeacherFile`).
    private func checkTolerance(path: String) throws(ModelFileError) {
        let upper = status == .teacher ? tolerance <= 1 : tolerance < 1
        guard tolerance.isFinite, tolerance > 0, upper else {
            throw ModelFileError(
                path: path,
                message:
                    "\"tolerance\" must be finite and in (0, 1)\(status == .teacher ? " or 1 for a teacher" : ""), got \(tolerance)"
            )
        }
    }

    /// Writes the model as pretty-printed JSON, atomically (`OutputFile`): an earlier file stays intact on failure.
    public func write(to path: String) throws(ModelFileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json: Data
        do { json = try encoder.encode(self) } catch {
            throw ModelFileError(path: path, message: "cannot encode the model (\(error))")
        }
        do { try OutputFile.write(bytes: [UInt8](json), to: path) } catch {
            throw ModelFileError(path: path, message: error.message)
        }
    }

    /// The network's outputs on a data set whose feature columns are matched by name; an output that is not
    /// finite (an overflow) is an error naming the data row.
    public func predict(_ data: Dataset, dataPath: String = "data") throws(ModelFileError) -> [Double] {
        let lifted = try liftedPoints(of: data, dataPath: dataPath)
        let values = outputs(at: lifted)
        // Large amplitudes on large inputs can overflow: never hand out inf or nan as a prediction.
        if let j = values.firstIndex(where: { !$0.isFinite }) {
            throw ModelFileError(
                path: dataPath,
                message:
                    "the network's output on data row \(j + 1) is \(values[j]) (the evaluation overflows: the model's amplitudes times the inputs exceed the largest number)"
            )
        }
        return values
    }

    /// `data` lifted in the model's layout, its features reordered by name; an error names missing columns.
    public func liftedPoints(of data: Dataset, dataPath: String = "data") throws(ModelFileError) -> LiftedData {
        var order: [Int] = []
        for name in features {
            guard let index = data.featureNames.firstIndex(of: name) else {
                throw ModelFileError(
                    path: dataPath,
                    message:
                        "the model needs feature column '\(name)', which the data lacks (it has: \(data.featureNames.joined(separator: ", ")))"
                )
            }
            order.append(index)
        }
        let d = dimension
        var values = [Double]()
        values.reserveCapacity(data.count * d)
        for row in data.features {
            for index in order { values.append(row[index]) }
            if bias { values.append(1) }
        }
        return LiftedData(count: data.count, dimension: d, values: values)
    }
}

private func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "missing field \"\(key.stringValue)\" at \(path(context).isEmpty ? "top level" : path(context))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
        return "wrong type at \(path(context)): \(context.debugDescription)"
    case .dataCorrupted(let context):
        // A value JSONSerialization read but the field's type cannot hold (a fraction or 1e-320 for an integer).
        let why =
            (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            ?? context.debugDescription
        return path(context).isEmpty
            ? "cannot decode the model: \(why)" : "invalid value at \(path(context)): \(printable(why))"
    @unknown default: return "\(error)"
    }
}

/// Line and column (1-based, columns in bytes) of a JSON syntax error: Foundation reports the byte offset
/// ("around character 15") or the end of the data; nil when it says neither.
private func syntaxErrorLocation(_ error: Error, in data: Data) -> (line: Int?, column: Int?) {
    let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
    func number(after marker: String) -> Int? {
        guard let range = text.range(of: marker, options: .backwards) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
    let offset: Int
    if let n = number(after: "around character ") ?? number(after: "from character ") ?? number(after: "\" at ") {
        offset = min(n, data.count)
    } else if text.contains("end of file") || data.isEmpty {
        offset = data.count
    } else if text.hasPrefix("Number "), let end = text.range(of: " is not representable"),
        let at = data.firstRange(of: Data(text[text.index(text.startIndex, offsetBy: 7)..<end.lowerBound].utf8))
    {
        offset = at.lowerBound - data.startIndex
    } else if text.contains("did not start with array or object") {
        offset = data.prefix { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }.count
    } else if let k = firstInvalidUTF8(in: data) ?? firstBadString(in: data) {
        // Messages about encodings and escapes without a place: the first byte that is not UTF-8, or the
        // first string that does not parse by itself.
        offset = k
    } else {
        return (nil, nil)
    }
    return lineAndColumn(of: offset, in: data)
}

/// The offset of the first byte that is not part of valid UTF-8.
private func firstInvalidUTF8(in data: Data) -> Int? {
    var iterator = data.makeIterator()
    var decoder = Unicode.UTF8()
    var offset = 0
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar): offset += UTF8.width(scalar)
        case .emptyInput: return nil
        case .error: return offset
        }
    }
}

/// The offset of the first JSON string (outside other strings) that JSONSerialization rejects on its own.
private func firstBadString(in data: Data) -> Int? {
    let bytes = [UInt8](data)
    var i = 0
    while i < bytes.count {
        guard bytes[i] == 34 else {
            i += 1
            continue
        }
        var j = i + 1
        while j < bytes.count, bytes[j] != 34 { j += bytes[j] == 92 ? 2 : 1 }
        let token = Data([91] + bytes[i..<min(j + 1, bytes.count)] + [93])
        if (try? JSONSerialization.jsonObject(with: token)) == nil { return i }
        i = j + 1
    }
    return nil
}

/// 1-based line and column (in bytes) of a byte offset.
private func lineAndColumn(of offset: Int, in data: Data) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for byte in data.prefix(offset) {
        if byte == 10 {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }
    return (line, column)
}

/// The first number outside strings that is not zero but reads as 0 or as a subnormal value.
private func underflowingNumber(in data: Data) -> (offset: Int, text: String)? {
    let bytes = [UInt8](data)
    var i = 0
    var inString = false
    while i < bytes.count {
        let b = bytes[i]
        if inString {
            if b == 92 {
                i += 2
                continue
            }  // backslash escape
            if b == 34 { inString = false }
            i += 1
            continue
        }
        if b == 34 {
            inString = true
            i += 1
            continue
        }
        guard b == 45 || (48...57).contains(b) else {
            i += 1
            continue
        }
        var j = i
        while j < bytes.count, [UInt8]("0123456789+-.eE").contains(bytes[j]) { j += 1 }
        let text = String(decoding: bytes[i..<j], as: UTF8.self)
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        if let value = Double(text), value.magnitude < Double.leastNormalMagnitude,
            mantissa.contains(where: { ("1"..."9").contains($0) })
        {
            return (i, text)
        }
        i = j
    }
    return nil
}

extension Array where Element == UInt8 {
    /// The bytes of an ASCII string literal.
    fileprivate init(_ ascii: StaticString) {
        self = Array(UnsafeBufferPointer(start: ascii.utf8Start, count: ascii.utf8CodeUnitCount))
    }
}

/// A model file that cannot be used, with the file, the place in it when there is one, and the reason.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int? = nil
    public var column: Int? = nil
    public var message: String
    public var description: String {
        guard let line else { return "\(path): \(message)" }
        return "\(path):\(line)\(column.map { ":\($0)" } ?? ""): \(message)"
    }
}
