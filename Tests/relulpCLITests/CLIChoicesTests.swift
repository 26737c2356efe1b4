import ArgumentParser
import Foundation
import ReLULP
import TestSupport
import Testing

@testable import relulp

/// The typed command line, parsed in process: every choice is matched case-insensitively by one rule and listed
/// by ArgumentParser, one feature-list parser serves every subcommand, and cross-option checks fail in
/// `validate()` with a usage error (exit 64) before anything is read.
@Suite struct CLIChoicesTests {
    /// Every case of `T` from its name in lower, upper and mixed case; a name no case has is refused.
    static func checkCaseRule<T: CommandLineChoice>(_ type: T.Type) {
        #expect(T.allValueStrings == T.allCases.map(\.rawValue), "\(T.self)")
        for choice in T.allCases {
            let name = choice.rawValue
            let mixed = String(
                name.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : $0.element })
            for spelling in [name, name.uppercased(), mixed] {
                #expect(T(argument: spelling) == choice, "\(T.self): '\(spelling)'")
            }
            #expect(T(argument: name + "x") == nil && T(argument: " " + name) == nil, "\(T.self): '\(name)'")
        }
    }

    @Test func everyChoiceFollowsTheOneCaseRule() {
        Self.checkCaseRule(Loss.self)
        Self.checkCaseRule(LPBackend.self)
        Self.checkCaseRule(MasterForm.self)
        Self.checkCaseRule(PricingMode.self)
        Self.checkCaseRule(TrainingMethod.self)
        Self.checkCaseRule(InputDistribution.self)
        Self.checkCaseRule(AtomMatching.Method.self)
        Self.checkCaseRule(PlotKind.self)
    }

    @Test func solveTakesEveryChoiceInAnyCase() throws {
        let solve = try Solve.parse([
            "data.csv", "--lambda", "0.1", "--loss", "L1", "--master", "DUAL", "--backend", "Glpk",
            "--pricing", "ENUMERATE", "--method", "Vertices",
        ])
        #expect(solve.solver.loss == .l1 && solve.solver.master == .dual && solve.solver.backend == .glpk)
        #expect(solve.pricingOptions.pricing == .enumerate && solve.method == .vertices)
        let generate = try Generate.parse(["--n", "5", "-o", "g.csv", "--teacher", "t.json", "--inputs", "Grid"])
        #expect(generate.inputs == .grid)
        let sweep = try SweepRun.parse(["data.csv", "--matching", "GREEDY", "-o", "out"])
        #expect(sweep.matching == .greedy)
        let plot = try Plot.parse(["m.json", "data.csv", "-o", "p.svg", "--kind", "Network"])
        #expect(plot.kind == .network)
    }

    /// The help lists the choices (from the types, not from help strings) and what each means.
    @Test func helpListsTheChoices() {
        let help = Solve.helpMessage(columns: 200)
        #expect(help.contains("--backend <backend>") && help.contains("(values: clp, glpk; default: clp)"), "\(help)")
        for choice in Loss.allCases + [] {
            #expect(help.contains("        \(choice.rawValue)"), "\(choice)")
        }
        for (mode, meaning) in PricingMode.meanings {
            #expect(help.contains(mode.rawValue) && help.contains(meaning), "\(mode)")
        }
        #expect(help.contains("default: column-generation"))
    }

    @Test(arguments: [
        ("x1, x2", ["x1", "x2"]),
        ("x1,,x2", ["x1", "", "x2"]),
        ("", [""]),
        (" x2 ,\tx1", ["x2", "x1"]),
    ])
    func oneFeatureParserKeepsEmptyNamesForTheReaderToRefuse(text: String, names: [String]) throws {
        #expect(FeatureList(argument: text)?.names == names)
        #expect(try Solve.parse(["d.csv", "--lambda", "1", "--features", text]).features?.names == names)
        #expect(try Regions.parse(["d.csv", "--features", text]).dataOptions.features?.names == names)
        #expect(
            try PathCommand.parse(["d.csv", "--lambdas", "1", "-o", "o", "--features", text]).dataOptions.features?
                .names
                == names)
        #expect(try SweepRun.parse(["d.csv", "-o", "o", "--features", text]).dataOptions.features?.names == names)
    }

    /// Each command line's usage error: the message and ArgumentParser's exit code for a bad command line.
    static func usageError<C: ParsableCommand>(_ command: C.Type, _ arguments: [String]) -> (
        message: String, code: Int32
    )? {
        do {
            _ = try command.parse(arguments)
            return nil
        } catch {
            return (command.message(for: error), command.exitCode(for: error).rawValue)
        }
    }

    @Test func crossOptionChecksAreUsageErrors() {
        let cases: [(message: String, code: Int32)?] = [
            Self.usageError(Solve.self, ["d.csv"]),
            Self.usageError(Solve.self, ["d.csv", "--lambda", "0.1", "--loss", "squared", "--backend", "glpk"]),
            Self.usageError(
                Solve.self, ["d.csv", "--lambda", "0.1", "--method", "vertices", "--pricing", "branch-and-bound"]),
            Self.usageError(Solve.self, ["d.csv", "--interpolate", "--loss", "hinge"]),
            Self.usageError(PathCommand.self, ["d.csv", "--lambdas", "1", "-o", "o", "--max-rounds", "0"]),
            Self.usageError(SweepRun.self, ["d.csv", "-o", "o", "--tolerance", "1"]),
            Self.usageError(Certify.self, ["m.json", "d.csv", "--tolerance", "1"]),
            Self.usageError(Plot.self, ["m.json", "d.csv", "-o", "p.PNG"]),
        ]
        let messages = [
            "missing --lambda: the weight of the total variation (e.g. --lambda 0.01)",
            "squared loss needs a QP backend",
            "--method vertices needs the dual regions (their extreme rays); use --pricing enumerate",
            "the interpolation (noise-free limit) is solved with the L1 master",
            "the round limit must be at least 1, got 0",
            "tolerance must lie in (0, 1), got 1.0",
            "--tolerance must lie in (0, 1), got 1.0",
            "p.PNG: relulp writes SVG only",
        ]
        for (result, message) in zip(cases, messages) {
            #expect(result?.message.hasPrefix(message) == true, "\(message): \(String(describing: result))")
            #expect(result?.code == ExitCode.validationFailure.rawValue, "\(message)")
        }
        // Without DATA the bundled example's λ is the default: no λ is missing.
        #expect(Self.usageError(Solve.self, []) == nil)
        #expect(Self.usageError(Solve.self, ["d.csv", "--interpolate"]) == nil)
    }
}

/// The same rules through the built binary: bad choices and empty feature names are refused alike by every
/// subcommand, with a message that says what to write instead.
@Suite(.enabled(if: relulpBinary() != nil, "build the relulp executable first"))
struct CLIChoicesBinaryTests {
    static let csv = "x1,x2,y\n0,0,1\n1,0,2\n0,1,0\n1,1,1\n2,3,1\n"

    /// Each subcommand that reads data with `--features`, writing below `output`.
    static func command(_ name: String, data: String, output: String) -> [String] {
        switch name {
        case "regions": ["regions", data]
        case "solve": ["solve", data, "--lambda", "0.1", "--output", output + "/model.json"]
        case "path": ["path", data, "--lambdas", "0.1,0.01", "--output", output]
        default: ["sweep", data, "--lambdas", "0.1", "--output", output]
        }
    }

    @Test(arguments: ["regions", "solve", "path", "sweep"])
    func emptyFeatureNamesAreRefusedByEveryCommand(command: String) throws {
        let data = try temporaryFile(Self.csv)
        for features in ["x1,,x2", "", "x1, "] {
            let run = try runRelulp(
                Self.command(command, data: data, output: data + "-out") + ["--features", features, "--quiet"])
            #expect(run.status == 1, "\(command) '\(features)'")
            #expect(
                run.stderr == "error: \(data):1:1: no feature column '' in the header (columns: x1, x2, y)\n",
                "\(command) '\(features)': \(run.stderr)")
            #expect(run.stdout.isEmpty && !FileManager.default.fileExists(atPath: data + "-out"), "\(command)")
        }
        try FileManager.default.createDirectory(atPath: data + "-ok", withIntermediateDirectories: true)
        let spaced = try runRelulp(
            Self.command(command, data: data, output: data + "-ok") + ["--features", " x2 , x1", "--quiet"])
        #expect(spaced.status == 0, "\(command): \(spaced.stderr)")
    }

    @Test func choicesInAnyCaseGiveTheSameSolve() throws {
        let data = try temporaryFile(Self.csv)
        let lower = try runRelulp([
            "solve", data, "--lambda", "0.1", "--loss", "l1", "--master", "dual", "--pricing", "enumerate",
            "--quiet",
        ])
        let upper = try runRelulp([
            "solve", data, "--lambda", "0.1", "--loss", "L1", "--master", "DUAL", "--pricing", "Enumerate",
            "--backend", "CLP", "--method", "Column-Generation", "--quiet",
        ])
        #expect(lower.status == 0 && upper.status == 0, "\(lower.stderr) \(upper.stderr)")
        #expect(upper.stdout.contains("clp, dual master") && upper.stdout.contains("(l1)"), "\(upper.stdout)")
        let objective = { (run: Run) in run.stdout.split(separator: "\n").first { $0.hasPrefix("objective") } }
        #expect(objective(lower) != nil && objective(lower) == objective(upper))
    }

    @Test(arguments: [
        (
            ["generate", "--n", "5", "-o", "g.csv", "--teacher", "t.json", "--inputs", "sobol"],
            "Error: The value 'sobol' is invalid for '--inputs <inputs>'. Please provide one of 'uniform', 'gaussian' or 'grid'."
        ),
        (
            ["sweep", "d.csv", "-o", "out", "--matching", "best"],
            "Error: The value 'best' is invalid for '--matching <matching>'. Please provide one of 'greedy' and 'hungarian'."
        ),
        (
            ["path", "d.csv", "--lambdas", "1", "-o", "out", "--pricing", "scan"],
            "Error: The value 'scan' is invalid for '--pricing <pricing>'. "
                + "Please provide one of 'enumerate', 'branch-and-bound' or 'auto'."
        ),
    ])
    func badChoicesNameTheChoices(arguments: [String], message: String) throws {
        let run = try runRelulp(arguments)
        #expect(run.status == 64)
        #expect(run.stderr.hasPrefix(message + "\n"), "\(run.stderr)")
        #expect(run.stderr.contains("Usage: relulp "), "\(run.stderr)")
    }
}
