extension ModelFile {
    /// The model file of a sparsest interpolant (`"loss": "sparsest"`): the count as objective, the proven count
    /// as lower bound, status `optimal`, `time-limit`, `interrupted`, or `upper-bound` for the heuristic alone; no certificate
    /// (the proof is the MIP's bound, not a dual vector).
    public init(sparsest result: SparsestResult, data: Dataset, bias: Bool, tolerance: Double) {
        let status: TrainingStatus =
            switch result.status {
            case .optimal: .optimal
            case .timeLimit: .timeLimit
            case .interrupted: .interrupted
            case .heuristic: .upperBound
            }
        self.init(
            problem: .interpolation, lossFunction: .l1, status: .trained(status), atoms: result.measure.atoms,
            data: data, bias: bias, tolerance: tolerance)
        sparsest = true
        objective = Double(result.count)
        lowerBound = Double(result.lowerBound)
        gap = result.count == 0 ? 0 : Double(result.count - result.lowerBound) / Double(result.count)
        totalVariation = result.measure.totalVariation
        dataLoss = 0
        solver = Solver(
            backend: result.backend, method: "sparsest-support-cuts", master: nil, rounds: 0, columns: result.columns,
            regions: result.regions, seconds: result.seconds)
    }
}
