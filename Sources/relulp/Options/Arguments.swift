import ArgumentParser
import Foundation
import ReLULP

/// A library enum taken on the command line by its raw values. The one case rule of every choice lives here:
/// names match case-insensitively (`--loss L1`, `--master DUAL`). ArgumentParser lists the names in the help
/// and in the error for a bad value, so help strings never restate them.
protocol CommandLineChoice: ExpressibleByArgument, CaseIterable, RawRepresentable, Hashable where RawValue == String {
    /// What each choice means, shown under the option in the help; empty when the names say it all.
    static var meanings: [Self: String] { get }
}

extension CommandLineChoice {
    static var meanings: [Self: String] { [:] }

    public init?(argument: String) {
        let name = argument.lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == name }) else { return nil }
        self = match
    }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }

    public static var allValueDescriptions: [String: String] {
        Dictionary(uniqueKeysWithValues: meanings.map { ($0.key.rawValue, $0.value) })
    }

    public var defaultValueDescription: String { rawValue }
}

extension Loss: ExpressibleByArgument, CommandLineChoice {
    static var meanings: [Loss: String] {
        [
            .l1: "(1/n) Σ |y_j − f(x_j)|",
            .squared: "(1/2n) Σ (y_j − f(x_j))², a QP master: needs --backend clp",
            .hinge: "(1/n) Σ max(0, 1 − y_j f(x_j)) for labels of exactly two classes; not in sweep, whose noise-free "
                + "limit is for real-valued labels",
        ]
    }
}

extension LPBackend: ExpressibleByArgument, CommandLineChoice {}

extension MasterForm: ExpressibleByArgument, CommandLineChoice {
    static var meanings: [MasterForm: String] {
        [
            .primal: "a row per data point, a column per neuron",
            .dual: "a column per data point, a row per neuron: a basis of the neurons' size, fast when many points "
                + "need few neurons",
            .auto: "dual from \(MasterForm.dualFromPoints) points, except for the squared loss, whose quadratic "
                + "master is primal",
        ]
    }
}

extension PricingMode: ExpressibleByArgument, CommandLineChoice {
    static var meanings: [PricingMode: String] {
        [
            .enumerate: "scan every dual region (stored)",
            .branchAndBound: "search over sign splits, regions never stored",
            .auto: "enumerate when the general-position estimate is at most \(PricingMode.enumerationLimit) regions, "
                + "else search",
        ]
    }
}

extension TrainingMethod: ExpressibleByArgument, CommandLineChoice {
    static var meanings: [TrainingMethod: String] {
        [
            .columnGeneration: "exact, certified by the duality gap",
            .vertices: "the LP over every region's extreme rays: an upper bound only",
        ]
    }
}

extension InputDistribution: ExpressibleByArgument, CommandLineChoice {
    static var meanings: [InputDistribution: String] {
        [
            .uniform: "independent coordinates uniform in [−1, 1]",
            .gaussian: "independent standard normal coordinates",
            .grid: "a regular grid on [−1, 1]^m, n of its nodes evenly subsampled",
        ]
    }
}

extension AtomMatching.Method: ExpressibleByArgument, CommandLineChoice {
    static var meanings: [AtomMatching.Method: String] {
        [
            .greedy: "repeatedly pair the two closest unpaired atoms",
            .hungarian: "minimal total angle",
        ]
    }
}

extension PlotKind: ExpressibleByArgument, CommandLineChoice {
    static var meanings: [PlotKind: String] {
        [
            .certificate: "η over the circle (d = 2) or the sphere (d = 3) with the region boundaries and the Diracs; "
                + "needs the model's dual vector",
            .network: "the fitted function (one feature) or a heat map over the input plane (two features)",
        ]
    }
}

/// `--features a,b,c`: the feature columns by name, parsed the same way by every subcommand. Names are trimmed
/// and empty ones are kept, so the data reader refuses `x1,,x2` and `''` with the column it cannot find.
struct FeatureList: ExpressibleByArgument, Equatable {
    var names: [String]

    init(names: [String]) {
        self.names = names
    }

    init?(argument: String) {
        names = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    var defaultValueDescription: String { names.joined(separator: ",") }
}

/// Refuses a count or limit option below 1 as a usage error, before any file is read: a negative or zero
/// `--max-regions` would otherwise refuse every data set with a confusing message, or quietly switch the pricing.
func requirePositive(_ value: Int, option: String) throws(ValidationError) {
    guard value >= 1 else { throw ValidationError("\(option) must be at least 1, got \(value)") }
}
