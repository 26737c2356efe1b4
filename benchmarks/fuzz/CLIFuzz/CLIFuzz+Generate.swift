/// The command lines of the harness: for each subcommand its positional arguments and options, each with
/// values that are valid, values that are invalid (the run must fail) and wild ones (either outcome is right:
/// limits, odd but legal values, combinations that may not fit).
extension CLIFuzz {
    /// An argument's values by kind; `flag` options take no value.
    struct Spec {
        var name: String
        var valid: [String]
        var invalid: [String]
        var wild: [String] = []
        var flag = false
        /// How often an option is given (positional arguments always are).
        var share = 0.35
    }

    /// SplitMix64: case `i` of seed `s` depends on (s, i) only.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
        mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
    }

    static let positive = ["0.01", "0.1", "1", "2.5e-3"]
    static let badNumbers = ["0", "-1", "nan", "inf", "-inf", "abc", "", "1e400", "1,5", " 1"]
    static let badPaths = ["missing.csv", "dir", "empty.csv", "bad.csv", "latin1.csv", "/dev/null", "", "data.csv/x"]

    static let training: [Spec] = [
        Spec(name: "--backend", valid: ["clp", "glpk"], invalid: ["cplex", ""]),
        Spec(name: "--tolerance", valid: ["1e-9", "1e-6", "0.01"], invalid: ["0", "1", "2", "-1e-9", "nan", "x"]),
        Spec(name: "--loss", valid: ["l1"], invalid: ["l3", ""], wild: ["squared", "hinge"]),
        Spec(name: "--master", valid: ["primal", "dual", "auto"], invalid: ["both"]),
        Spec(name: "--max-regions", valid: ["1000000"], invalid: ["-1", "0", "x"], wild: ["3", "100"]),
        Spec(name: "--max-rounds", valid: ["50", "200"], invalid: ["-3", "x"], wild: ["0", "1"]),
        Spec(name: "--max-master-entries", valid: ["1000000000"], invalid: ["-5", "x"], wild: ["1", "100"]),
        Spec(name: "--time-limit", valid: ["30", "5"], invalid: ["-1", "nan", "x"], wild: ["0", "1e-9", "1e300"]),
        Spec(name: "--pricing", valid: ["enumerate", "branch-and-bound", "auto"], invalid: ["sample"]),
        Spec(name: "--max-search-regions", valid: ["1000000"], invalid: ["-1", "x"], wild: ["1", "0"]),
        Spec(name: "--max-input-bytes", valid: ["1000000"], invalid: ["-1", "x"], wild: ["10", "0"]),
    ]
    static let dataOptions: [Spec] = [
        Spec(name: "--target", valid: ["y"], invalid: ["nosuch", ""], wild: ["x1"]),
        Spec(name: "--features", valid: ["x1"], invalid: ["", "nosuch", "x1,x1", "y", ","], wild: ["x2", "x1,x2"]),
        Spec(name: "--no-bias", valid: [], invalid: [], flag: true),
    ]
    static let data = Spec(name: "", valid: ["data.csv"], invalid: badPaths, wild: ["data2.csv"])
    static let model = Spec(
        name: "", valid: ["model.json"], invalid: ["data.csv", "missing.json", "dir", "empty.csv", "/dev/null"],
        wild: ["teacher.json"])
    static let lambdas = Spec(
        name: "--lambdas", valid: ["1e-1:1e-3:3", "0.1,0.01", "0.05"],
        invalid: ["", "0", "-1", "a", "1:2:1000000000000", "1e-1:1e-2:0", "nan", "0.1,,0.2"],
        wild: ["1e-1:1e-3:20", "0.1,0.1"], share: 0.9)

    /// The subcommands with their arguments (positional ones have an empty name).
    static var commands: [(words: [String], specs: [Spec])] {
        let solveOnly: [Spec] = [
            Spec(name: "--lambda", valid: positive, invalid: badNumbers, wild: ["5e-324", "1e300"], share: 0.9),
            Spec(name: "--interpolate", valid: [], invalid: [], flag: true, share: 0.15),
            Spec(name: "--method", valid: ["column-generation"], invalid: ["simplex", ""], wild: ["vertices"]),
            Spec(name: "--columns-per-round", valid: ["1", "5"], invalid: ["0", "-2", "x"]),
            Spec(name: "--no-newton", valid: [], invalid: [], flag: true),
            Spec(name: "--no-heuristic-pricing", valid: [], invalid: [], flag: true),
            Spec(name: "-o", valid: ["out/m.json"], invalid: ["out/missing/m.json", "out", "data.csv"], share: 0.7),
            Spec(name: "--quiet", valid: [], invalid: [], flag: true),
        ]
        let certify: [Spec] = [
            model, data,
            Spec(name: "--json", valid: ["out/r.json", "-"], invalid: ["out/no/r.json", "model.json", "out"]),
            Spec(name: "--tolerance", valid: ["1e-9", "1e-6"], invalid: ["0", "1", "nan", "x"]),
            Spec(name: "--max-regions", valid: ["1000000"], invalid: ["-1", "0"], wild: ["3"]),
            Spec(name: "--pricing", valid: ["enumerate", "branch-and-bound", "auto"], invalid: ["x"]),
            Spec(name: "--max-search-regions", valid: ["1000000"], invalid: ["-1"], wild: ["1"]),
            Spec(name: "--max-input-bytes", valid: ["1000000"], invalid: ["-1"], wild: ["10"]),
            Spec(name: "--quiet", valid: [], invalid: [], flag: true),
        ]
        let predict: [Spec] = [
            model, data,
            Spec(name: "-o", valid: ["out/p.csv"], invalid: ["out/no/p.csv", "data.csv", "model.json", "out"]),
            Spec(name: "--max-input-bytes", valid: ["1000000"], invalid: ["-1"], wild: ["10"]),
        ]
        let plot: [Spec] = [
            model, data,
            Spec(name: "-o", valid: ["out/p.svg"], invalid: ["out/no/p.svg", "data.csv", "model.json"], share: 0.95),
            Spec(name: "--kind", valid: ["certificate", "network"], invalid: ["pie", ""]),
            Spec(name: "--title", valid: ["A title", "<&\">", "", "\u{1}\t]]>"], invalid: []),
        ]
        let generate: [Spec] = [
            Spec(name: "--n", valid: ["12", "30"], invalid: ["1", "0", "-5", "100000000", "x"], share: 0.95),
            Spec(name: "--features", valid: ["1", "2"], invalid: ["0", "-1", "x"], wild: ["50"]),
            Spec(name: "--neurons", valid: ["1", "3"], invalid: ["0", "-2"], wild: ["1000"]),
            Spec(name: "--noise", valid: ["0", "0.1"], invalid: ["-1", "nan", "inf"], wild: ["1e300"]),
            Spec(name: "--seed", valid: ["1", "7"], invalid: ["-1", "x"], wild: ["18446744073709551615"]),
            Spec(name: "--inputs", valid: ["uniform", "gaussian", "grid"], invalid: ["zipf"]),
            Spec(name: "-o", valid: ["out/g.csv"], invalid: ["out/no/g.csv", "out"], share: 0.95),
            Spec(name: "--teacher", valid: ["out/g.json"], invalid: ["out/no/t.json", "out"], share: 0.95),
        ]
        let path: [Spec] =
            [data, lambdas] + dataOptions + training + [
                Spec(name: "-o", valid: ["out/path"], invalid: ["data.csv"], wild: ["out/no/such/x"], share: 0.95),
                Spec(name: "--quiet", valid: [], invalid: [], flag: true),
            ]
        let regions: [Spec] =
            [data] + dataOptions + [
                Spec(name: "--max-regions", valid: ["1000000"], invalid: ["-1", "0", "x"], wild: ["3"]),
                Spec(name: "--max-input-bytes", valid: ["1000000"], invalid: ["-1"], wild: ["10"]),
                Spec(name: "--json", valid: ["out/r.json"], invalid: ["out/no/r.json", "data.csv"]),
                Spec(name: "--list", valid: [], invalid: [], flag: true),
                Spec(name: "--quiet", valid: [], invalid: [], flag: true),
            ]
        let sweep: [Spec] =
            [data, lambdas] + dataOptions + training + [
                Spec(name: "--teacher", valid: ["teacher.json"], invalid: ["missing.json", "data.csv"]),
                Spec(name: "--noise-levels", valid: ["0", "0,0.01"], invalid: ["-1", "", "nan", "x"]),
                Spec(name: "--seeds", valid: ["1", "1-2"], invalid: ["", "x", "-1"], wild: ["2-1"]),
                Spec(name: "--matching", valid: ["greedy", "hungarian"], invalid: ["best"]),
                Spec(name: "--atom-floor", valid: ["1e-7"], invalid: ["-1", "nan"], wild: ["0", "0.5"]),
                Spec(name: "--shard", valid: ["1/2", "2/2"], invalid: ["0/2", "3/2", "x", "1/0"]),
                Spec(name: "-o", valid: ["out/s"], invalid: ["data.csv"], wild: ["out/no/such/s"], share: 0.95),
                Spec(name: "--quiet", valid: [], invalid: [], flag: true),
            ]
        let merge: [Spec] = [
            Spec(
                name: "", valid: ["sweep"], invalid: ["data.csv", "missing", "dir", "out"], wild: ["sweep/shard-1-of-2"]
            ),
            Spec(name: "-o", valid: ["out/merged"], invalid: ["data.csv"], share: 0.95),
            Spec(name: "--max-input-bytes", valid: ["1000000"], invalid: ["-1"], wild: ["10"]),
        ]
        return [
            (["solve"], [data] + dataOptions + training + solveOnly), (["certify"], certify), (["predict"], predict),
            (["plot"], plot), (["generate"], generate), (["path"], path), (["regions"], regions),
            (["sweep", "run"], sweep), (["sweep", "merge"], merge),
        ]
    }

    /// Case `index` of `seed`: a subcommand, its positional arguments, a random subset of its options (in random
    /// order), each value valid with probability 0.9, else invalid or wild; now and then an unknown option.
    public static func generate(seed: UInt64, index: Int) -> Case {
        var g = Generator(state: seed &* 0x2545_f491_4f6c_dd1d &+ UInt64(index))
        _ = g.next()
        let (words, specs) = g.pick(commands)
        var positional: [String] = []
        var options: [[String]] = []
        var invalid = false
        for spec in specs {
            guard spec.name.isEmpty || g.chance(spec.share) else { continue }
            if spec.flag {
                options.append([spec.name])
                continue
            }
            var value = g.pick(spec.valid.isEmpty ? [""] : spec.valid)
            if g.chance(0.1), !(spec.invalid.isEmpty && spec.wild.isEmpty) {
                let useInvalid = !spec.invalid.isEmpty && (spec.wild.isEmpty || g.chance(0.6))
                value = g.pick(useInvalid ? spec.invalid : spec.wild)
                invalid = invalid || useInvalid
            }
            if spec.name.isEmpty { positional.append(value) } else { options.append([spec.name, value]) }
        }
        if g.chance(0.03) {
            // An unknown option is an error; `--` (end of options) alone is not.
            let extra = g.pick(["--no-such-option", "-z", "--lambda=", "--"])
            options.append([extra])
            invalid = invalid || extra != "--"
        }
        for i in options.indices.reversed() where i > 0 { options.swapAt(i, Int(g.next() % UInt64(i + 1))) }
        return Case(arguments: words + positional + options.flatMap { $0 }, invalid: invalid)
    }
}
