import Foundation

/// The model file (`relulp-model`, version 1): a trained network with its certificate, in JSON that other
/// tools can read. Weights are unit vectors in the lifted space; with a bias the last weight is the bias's.
public struct ModelFile: Sendable, Codable, Equatable {
    public static let format = "relulp-model"
    public static let version = 1

    public struct Solver: Sendable, Codable, Equatable {
        public var backend: String
        public var method: String
        public var rounds: Int
        public var columns: Int
        public var regions: Int
        public var seconds: Double
    }

    public var format: String
    public var version: Int
    public var lambda: Double
    public var bias: Bool
    /// `"l1"`, `"squared"`, `"hinge"` (`Loss`), or `"interpolation"` for the noise-free limit (λ = 0).
    public var loss: String
    /// Hinge loss only: the label values `[negative, positive]` that were mapped to −1 and +1.
    public var classes: [Double]?
    public var features: [String]
    public var target: String
    public var n: Int
    public var atoms: [DiracAtom]
    public var objective: Double
    public var dataLoss: Double
    public var totalVariation: Double
    public var lowerBound: Double
    public var gap: Double
    public var tolerance: Double
    public var status: String
    public var certificate: Certificate?
    public var solver: Solver?

    /// Lifted dimension of the atoms' weights.
    public var dimension: Int { features.count + (bias ? 1 : 0) }

    public var measure: DiracMeasure { DiracMeasure(dimension: dimension, atoms: atoms) }

    /// The data term the model minimised (the interpolation's limit is that of the L1 loss).
    public var lossFunction: Loss { Loss(rawValue: loss) ?? .l1 }

    /// The targets of the model's loss for data labels: the labels, or ±1 by `classes` for the hinge loss (an
    /// error names a label that is neither class).
    public func targets(labels: [Double], dataPath: String = "data") throws(ModelFileError) -> [Double] {
        guard lossFunction == .hinge, let classes else { return labels }
        var targets: [Double] = []
        for (j, y) in labels.enumerated() {
            guard y == classes[0] || y == classes[1] else {
                throw ModelFileError(path: dataPath, message: "label \(y) in data row \(j + 1) is neither of the model's classes \(classes[0]) (negative) and \(classes[1]) (positive)")
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

    public init(result: TrainingResult, data: Dataset, bias: Bool, tolerance: Double) {
        format = Self.format
        version = Self.version
        lambda = result.lambda
        self.bias = bias
        // λ = 0 marks the noise-free limit (minimal total variation subject to interpolation).
        loss = result.lambda == 0 ? "interpolation" : result.lossFunction.rawValue
        classes = result.classes
        features = data.featureNames
        target = data.targetName
        n = data.count
        atoms = result.measure.atoms
        objective = result.objective
        dataLoss = result.loss
        totalVariation = result.totalVariation
        lowerBound = result.lowerBound
        gap = result.gap
        self.tolerance = tolerance
        status = result.status.rawValue
        certificate = result.certificate
        solver = Solver(backend: result.backend.rawValue, method: result.method.rawValue, rounds: result.rounds,
                        columns: result.columns, regions: result.regions, seconds: result.seconds)
    }

    /// Reads and checks a model file: format, version, loss, and every atom's dimension and finiteness.
    public static func load(_ path: String) throws(ModelFileError) -> ModelFile {
        guard FileManager.default.fileExists(atPath: path) else { throw ModelFileError(path: path, message: "no such file") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ModelFileError(path: path, message: "cannot read the file (\(error.localizedDescription))")
        }
        // Check the header first so that a file of another kind gets a message about its kind.
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelFileError(path: path, message: "not a JSON object (malformed or truncated JSON)")
        }
        guard object["format"] as? String == format else {
            throw ModelFileError(path: path, message: "not a relulp model: \"format\" must be \"\(format)\"")
        }
        guard let v = object["version"] as? Int, v == version else {
            throw ModelFileError(path: path, message: "unsupported model version \(object["version"].map { "\($0)" } ?? "(missing)"); this relulp reads version \(version)")
        }
        let model: ModelFile
        do { model = try JSONDecoder().decode(ModelFile.self, from: data) } catch let error as DecodingError {
            throw ModelFileError(path: path, message: describe(error))
        } catch {
            throw ModelFileError(path: path, message: "\(error)")
        }
        try model.check(path: path)
        return model
    }

    func check(path: String) throws(ModelFileError) {
        switch loss {
        case "interpolation":
            guard lambda == 0 else { throw ModelFileError(path: path, message: "an interpolation model has \"lambda\": 0") }
        case _ where Loss(rawValue: loss) != nil:
            guard lambda.isFinite, lambda > 0 else { throw ModelFileError(path: path, message: "\"lambda\" must be finite and > 0") }
        default:
            throw ModelFileError(path: path, message: "unsupported loss \"\(loss)\" (\(Loss.allCases.map { "\"\($0)\"" }.joined(separator: ", ")) or \"interpolation\")")
        }
        if loss == Loss.hinge.rawValue {
            guard let classes, classes.count == 2, classes.allSatisfy(\.isFinite), classes[0] != classes[1] else {
                throw ModelFileError(path: path, message: "a hinge-loss model needs \"classes\": [negative, positive], two different finite label values")
            }
        } else if classes != nil {
            throw ModelFileError(path: path, message: "\"classes\" belongs to hinge-loss models only (this one has loss \"\(loss)\")")
        }
        for (i, atom) in atoms.enumerated() {
            guard atom.weights.count == dimension else {
                throw ModelFileError(path: path, message: "atom \(i) has \(atom.weights.count) weights; \(features.count) features\(bias ? " plus a bias" : "") need \(dimension)")
            }
            guard atom.amplitude.isFinite, atom.weights.allSatisfy(\.isFinite) else {
                throw ModelFileError(path: path, message: "atom \(i) has a non-finite amplitude or weight")
            }
        }
        if let c = certificate, c.dual.count != n {
            throw ModelFileError(path: path, message: "the certificate's dual vector has \(c.dual.count) entries for n = \(n) points")
        }
    }

    /// Writes the model as pretty-printed JSON.
    public func write(to path: String) throws(ModelFileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { try encoder.encode(self).write(to: URL(fileURLWithPath: path)) } catch {
            throw ModelFileError(path: path, message: "cannot write the model (\(error.localizedDescription))")
        }
    }

    /// The network's outputs on a data set whose feature columns are matched by name.
    public func predict(_ data: Dataset, dataPath: String = "data") throws(ModelFileError) -> [Double] {
        let lifted = try liftedPoints(of: data, dataPath: dataPath)
        return measure.values(at: lifted)
    }

    /// `data` lifted in the model's layout, its features reordered by name; an error names missing columns.
    public func liftedPoints(of data: Dataset, dataPath: String = "data") throws(ModelFileError) -> LiftedData {
        var order: [Int] = []
        for name in features {
            guard let index = data.featureNames.firstIndex(of: name) else {
                throw ModelFileError(path: dataPath, message: "the model needs feature column '\(name)', which the data lacks (it has: \(data.featureNames.joined(separator: ", ")))")
            }
            order.append(index)
        }
        let d = dimension
        var values = [Double](); values.reserveCapacity(data.count * d)
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
    case .keyNotFound(let key, let context): return "missing field \"\(key.stringValue)\" at \(path(context).isEmpty ? "top level" : path(context))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
        return "wrong type at \(path(context)): \(context.debugDescription)"
    case .dataCorrupted(let context): return "malformed JSON: \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
}

/// A model file that cannot be used, with the file and the reason.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
