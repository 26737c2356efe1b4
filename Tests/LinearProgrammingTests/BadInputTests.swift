import LinearProgramming
import Testing

/// Invalid input must throw a descriptive `LPError` before reaching C (GLPK would `abort()` the process).
@Suite struct BadInputTests {
    static let good = LPColumn(cost: 1, rows: [0, 1], values: [1, 2])

    static func model(rowLower: [Double] = [0, 0], rowUpper: [Double] = [1, 1], _ columns: [LPColumn]) -> LinearProgram
    {
        LinearProgram(rowLower: rowLower, rowUpper: rowUpper, columns: columns)
    }

    /// (model, text the message must contain)
    static let cases: [(LinearProgram, String)] = [
        (
            model([good, LPColumn(cost: 1, rows: [0], values: [.infinity])]),
            "column 1: value inf in row 0 is not finite"
        ),
        (model([LPColumn(cost: 1, rows: [1], values: [.nan])]), "column 0: value nan in row 1 is not finite"),
        (model([good, LPColumn(cost: .nan, rows: [0], values: [1])]), "column 1: cost nan is not finite"),
        (model([LPColumn(cost: .infinity, rows: [0], values: [1])]), "column 0: cost inf is not finite"),
        (
            model([good, good, LPColumn(cost: 1, rows: [2], values: [1])]),
            "column 2: row index 2 is out of range 0..<2"
        ),
        (model([LPColumn(cost: 1, rows: [-1], values: [1])]), "column 0: row index -1 is out of range"),
        (
            model([good, LPColumn(cost: 1, rows: [1, 0, 1], values: [1, 2, 3])]), "column 1: row index 1 appears twice"
        ),
        (model(rowLower: [0, 3], rowUpper: [1, 2], [good]), "row 1: lower bound 3.0 > upper bound 2.0"),
        (model(rowLower: [.nan, 0], [good]), "row 0: lower bound nan is invalid"),
        (model(rowLower: [0, .infinity], rowUpper: [1, .infinity], [good]), "row 1: lower bound inf is invalid"),
        (model(rowUpper: [-.infinity, 1], [good]), "row 0: upper bound -inf is invalid"),
        (
            model([LPColumn(cost: 1, lower: 2, upper: 1, rows: [0], values: [1])]),
            "column 0: lower bound 2.0 > upper bound 1.0"
        ),
        (model([LPColumn(cost: 1, lower: .infinity, rows: [0], values: [1])]), "column 0: lower bound inf is invalid"),
        (model([LPColumn(cost: 1, upper: .nan, rows: [0], values: [1])]), "column 0: upper bound nan is invalid"),
        (model([LPColumn(cost: 1, rows: [0, 1], values: [1])]), "column 0: 2 row indices but 1 values"),
        (model(rowLower: [0, 0], rowUpper: [1], [good]), "rowLower has 2 entries but rowUpper has 1"),
    ]

    @Test(arguments: LPBackend.allCases, cases.indices) func loadRejects(_ backend: LPBackend, _ index: Int) throws {
        let (lp, text) = Self.cases[index]
        let error = #expect(throws: LPError.self) { try lp.validate() }
        #expect(error.map(message)?.contains(text) ?? false, "\(String(describing: error))")
        let solver = backend.makeSolver()
        let loadError = #expect(throws: LPError.self) { try solver.load(lp) }
        #expect(loadError.map(message)?.contains(text) ?? false, "\(String(describing: loadError))")
        // Nothing was loaded, and the solver is still usable afterwards.
        #expect(throws: LPError.noModelLoaded) { try solver.solve() }
        #expect(throws: Never.self) { try solver.load(Self.model([Self.good])) }
        #expect(try solver.solve().status == .optimal)
    }

    @Test(arguments: LPBackend.allCases) func addColumnsBeforeLoad(_ backend: LPBackend) {
        #expect(throws: LPError.noModelLoaded) { try backend.makeSolver().addColumns([Self.good]) }
    }

    @Test(arguments: LPBackend.allCases) func addColumnsRejectsInvalidColumns(_ backend: LPBackend) throws {
        let solver = backend.makeSolver()
        try solver.load(Self.model([Self.good, Self.good]))
        let bad: [([LPColumn], String)] = [
            ([Self.good, LPColumn(cost: 1, rows: [0, 0], values: [1, 1])], "column 3: row index 0 appears twice"),
            ([LPColumn(cost: 1, rows: [2], values: [1])], "column 2: row index 2 is out of range 0..<2"),
            ([LPColumn(cost: .nan, rows: [0], values: [1])], "column 2: cost nan is not finite"),
            (
                [LPColumn(cost: 1, lower: 1, upper: 0, rows: [0], values: [1])],
                "column 2: lower bound 1.0 > upper bound 0.0"
            ),
        ]
        for (columns, text) in bad {
            let error = #expect(throws: LPError.self) { try solver.addColumns(columns) }
            #expect(error.map(message)?.contains(text) ?? false, "\(String(describing: error))")
        }
        // Nothing was added: the model still has its two columns and solves.
        #expect(solver.numberOfColumns == 2)
        #expect(try solver.solve().status == .optimal)
    }

    /// Options GLPK would abort on are a thrown error (a misused call), not a termination status.
    @Test(arguments: LPBackend.allCases) func invalidOptionsDoNotReachTheLibrary(_ backend: LPBackend) throws {
        let solver = backend.makeSolver(options: LPOptions(primalTolerance: 0))
        try solver.load(Self.model([Self.good]))
        let error = #expect(throws: LPError.self) { try solver.solve() }
        guard case .invalidOption(let why) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(why.contains("primalTolerance"))
    }

    @Test func validateColumnsAlone() {
        #expect(throws: Never.self) { try LinearProgram.validate(columns: [Self.good], rows: 2) }
        let error = #expect(throws: LPError.self) {
            try LinearProgram.validate(columns: [Self.good], rows: 1, firstIndex: 4)
        }
        #expect(error.map(message) == "column 4: row index 1 is out of range 0..<1")
    }
}

/// The message inside `.invalidModel`, or the description otherwise.
func message(_ error: LPError) -> String {
    if case .invalidModel(let why) = error { return why }
    return error.description
}
