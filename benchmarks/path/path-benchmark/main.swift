// Regularisation path vs cold solves (issue 6): the same 20 values of λ solved by one warm-started path
// (`ExactTrainer.path`) and by 20 independent solves, on seeded teacher data. Prints a markdown table.
//
//     swift run -c release path-benchmark [clp] [glpk] [primal|dual] [--per-lambda]    (default: both backends, --master auto)
//
// `--per-lambda` adds, after each row, the rounds and seconds of every λ (path, then cold) on stderr.
import Foundation
import ReLULP

let lambdas = try LambdaGrid.logSpaced(from: 1e-1, to: 1e-4, count: 20)
let chosen = CommandLine.arguments.dropFirst().compactMap { LPBackend(rawValue: $0) }
let backends = chosen.isEmpty ? LPBackend.allCases : chosen
let perLambda = CommandLine.arguments.contains("--per-lambda")
let master = CommandLine.arguments.dropFirst().compactMap { MasterForm(rawValue: $0) }.last ?? .auto

print(
    "| instance | n | m | regions | backend | path s | path rounds | cold s (20 solves) | cold rounds | cold / path | max rel. diff |"
)
print("|---|---|---|---|---|---|---|---|---|---|---|")
for (n, m) in [(40, 1), (40, 2), (120, 2)] {
    let data = try TeacherGenerator(count: n, features: m, neurons: 3, noise: 0.01, seed: 7).generate().data
    let trainer = try ExactTrainer(data: data)
    for backend in backends {
        var options = TrainingOptions(lambda: 1, backend: backend)
        options.master = master
        let pathStart = Date()
        let path = try trainer.path(lambdas: lambdas, options: options)
        let pathSeconds = Date().timeIntervalSince(pathStart)
        let coldStart = Date()
        let cold = try lambdas.map { lambda -> TrainingResult in
            var single = options
            single.lambda = lambda
            return try trainer.train(single)
        }
        let coldSeconds = Date().timeIntervalSince(coldStart)
        let allOptimal = (path + cold).allSatisfy { $0.status == .optimal }
        let difference = zip(path, cold).map { abs($0.objective - $1.objective) / max(1, abs($1.objective)) }.max() ?? 0
        print(
            String(
                format: "| teacher k=3 | %d | %d | %d | %@ | %.3f | %d | %.3f | %d | %.1f× | %.1e%@ |", n, m,
                trainer.arrangement?.numberOfRegions ?? 0, backend.rawValue, pathSeconds,
                path.map(\.rounds).reduce(0, +),
                coldSeconds, cold.map(\.rounds).reduce(0, +), coldSeconds / pathSeconds, difference,
                allOptimal ? "" : " (not all optimal!)"))
        if perLambda {
            for (index, lambda) in lambdas.enumerated() {
                FileHandle.standardError.write(
                    Data(
                        String(
                            format: "  λ = %.3e  path %3d rounds %7.3f s %4d diracs   cold %3d rounds %7.3f s\n",
                            lambda,
                            path[index].rounds, path[index].seconds, path[index].measure.atoms.count,
                            cold[index].rounds,
                            cold[index].seconds
                        ).utf8))
            }
        }
        fflush(nil)
    }
}
