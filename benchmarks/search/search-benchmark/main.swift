// The branch and bound of `CertificateSearch` on the duals of stored models (issue 22): nodes to the exact maximum
// and the bound on M after a fixed number of nodes, for each branching rule, with and without the incumbents of
// the model's atoms (`CertificateSearch.localExtremes`). Every search runs on one thread (a node limit), so the
// counts do not depend on the load. Prints a markdown table.
//
//     swift build -c release --product search-benchmark
//     .build/release/search-benchmark DATA.csv MODEL.json [MODEL.json …] [--nodes 1000,4000] [--exact]
//         [--keep K] [--rules range,contribution,intercept] [--incumbents] [--dives 16,max]
//         [--pools 256,1024]
//
// The dual is the model's certificate (`p = λu`), so the pricing threshold `λ` is η = 1; M is reported in units
// of η. `--exact` runs each search to its end (keep 1: the maximum only); `--nodes` cuts it (keep 200, the
// column budget of a round on ≥ 200 points). `--dives` lists the dives of the search's order
// (`CertificateSearch.dive`; `max`: depth first in each subtree in turn, the order before; default: the search's),
// `--pools` the capacities of its pool (`CertificateSearch.poolCapacity`). Exact runs are depth first per subtree.
import Foundation
import ReLULP

/// Removes `name` and its value from the arguments; the value, or nil when absent.
func option(_ name: String, in arguments: inout [String]) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(i...(i + 1)) }
    return arguments[i + 1]
}
/// Removes the flag `name` from the arguments; whether it was there.
func flag(_ name: String, in arguments: inout [String]) -> Bool {
    guard let i = arguments.firstIndex(of: name) else { return false }
    arguments.remove(at: i)
    return true
}
var arguments = Array(CommandLine.arguments.dropFirst())
let nodeLimits = option("--nodes", in: &arguments).map { $0.split(separator: ",").compactMap { Int($0) } } ?? []
let rules =
    option("--rules", in: &arguments).map {
        $0.split(separator: ",").compactMap { CertificateSearch.Branching(rawValue: String($0)) }
    }
    ?? CertificateSearch.Branching.allCases
let exact = flag("--exact", in: &arguments)
let exactKeep = option("--keep", in: &arguments).flatMap { Int($0) } ?? 1
let withIncumbents = flag("--incumbents", in: &arguments)
let pools = option("--pools", in: &arguments).map { $0.split(separator: ",").compactMap { Int($0) } }
let dives =
    option("--dives", in: &arguments).map { $0.split(separator: ",").map { $0 == "max" ? Int.max : Int($0) ?? 0 } }
    ?? [CertificateSearch.cutDive]
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: search-benchmark DATA.csv MODEL.json … [options]\n".utf8))
    exit(64)
}
let data = try Dataset.load(csv: arguments[0])
print("| model | rule | dive | pool | incumbents | nodes | M̄ (η units) | attained | leaves | pruned | open | seconds |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for path in arguments.dropFirst() {
    let model = try ModelFile.load(path)
    guard let p = model.certificate?.dual else {
        print("| \(path) | no certificate in the model | | | | | | | | |")
        continue
    }
    let points = data.lifted(bias: model.bias)
    let lambda = model.lambda
    let name = URL(fileURLWithPath: path).lastPathComponent
    // The cut runs in every order asked for; the exact runs depth first per subtree (as a certifying run's).
    let orders = dives.flatMap { dive in (pools ?? [CertificateSearch.cutPoolCapacity]).map { (dive, $0) } }
    var runs: [(limit: Int?, keep: Int, dive: Int, pool: Int)] = nodeLimits.flatMap { limit in
        orders.map { (limit, 200, $0.0, $0.1) }
    }
    if exact { runs.append((nil, exactKeep, .max, .max)) }
    for rule in rules {
        for incumbents in withIncumbents ? [false, true] : [false] {
            for run in runs {
                var search = CertificateSearch(points: points, branching: rule)
                (search.dive, search.poolCapacity) = (run.dive, run.pool)
                let known = incumbents ? search.localExtremes(dual: p, around: model.atoms.map(\.weights)) : []
                let result = search.maximize(
                    dual: p, threshold: lambda, keep: run.keep, maxNodes: run.limit ?? Int.max, incumbents: known)
                print(
                    String(
                        format: "| %@ | %@ | %@ | %@ | %@ | %d%@ | %.6g | %.6g | %d | %d | %d | %.2f |", name,
                        rule.rawValue, run.dive == .max ? "max" : "\(run.dive)",
                        run.pool == .max ? "–" : "\(run.pool)", incumbents ? "\(known.count)" : "none",
                        result.nodes, run.limit == nil ? " (exact)" : "", result.maxValue / lambda,
                        result.attained / lambda, result.leaves, result.pruned, result.openNodes, result.seconds))
            }
        }
    }
}
