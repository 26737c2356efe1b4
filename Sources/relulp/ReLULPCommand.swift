import ArgumentParser
import ReLULP

@main
struct ReLULPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relulp",
        abstract: "Train infinite-width shallow ReLU networks exactly, through their dual regions.",
        discussion: """
            A shallow ReLU network of unbounded width trained with an L1 loss and weight decay is a convex problem \
            over measures on the sphere. Its dual certificate is piecewise linear over the dual regions: the cones \
            of weight vectors w with the same activation pattern sign(⟨w, x̃_j⟩) on the data. relulp enumerates \
            those regions exactly and builds on them.

            Data are CSV files with a header row; the label column is `y` unless --target says otherwise, every \
            other column is a feature unless --features lists them. Points are lifted to x̃ = (x, 1) (a bias) \
            unless --no-bias is given.

            Exit status: 0 on success; 1 when a run fails or is not certified optimal (one line `error: …` on \
            stderr); 64 for a bad command line (the message, then the usage).
            """,
        version: "relulp \(relulpVersion)\n" + LPBackend.allCases.map(\.libraryVersion).joined(separator: "\n"),
        subcommands: [
            Regions.self, Solve.self, Predict.self, Certify.self, PrecertificateCommand.self, Plot.self, Generate.self,
            SweepCommand.self,
            PathCommand.self,
        ]
    )
}
