import Testing
@testable import LinearProgramming

@Test(arguments: LPBackend.allCases) func probe(_ backend: LPBackend) throws {
    // min x + 2y  s.t.  x + y >= 1 (row0), x - y <= 2 (row1), x,y >= 0
    let lp = LinearProgram(rowLower: [1, -.infinity], rowUpper: [.infinity, 2], columns: [
        LPColumn(cost: 1, rows: [0, 1], values: [1, 1]),
        LPColumn(cost: 2, rows: [0, 1], values: [1, -1]),
    ])
    let s = backend.makeSolver()
    try s.load(lp)
    let r = s.solve()
    print(backend, r)
    // unbounded
    let u = LinearProgram(rowLower: [1], rowUpper: [.infinity], columns: [LPColumn(cost: -1, rows: [0], values: [1])])
    try s.load(u); print(backend, "unb", s.solve())
    let inf = LinearProgram(rowLower: [1], rowUpper: [.infinity], columns: [LPColumn(cost: 1, upper: 0.5, rows: [0], values: [1])])
    try s.load(inf); print(backend, "inf", s.solve())
    // both infeasible: x - y >= 1, x - y <= -1... min -x
    let both = LinearProgram(rowLower: [1, -.infinity], rowUpper: [.infinity, -1], columns: [
        LPColumn(cost: -1, rows: [0, 1], values: [1, 1]), LPColumn(cost: 0, rows: [0,1], values: [-1,-1])])
    try s.load(both); print(backend, "both", s.solve())
    let e = backend.makeSolver(); print(backend, "noload", e.solve())
    try e.load(LinearProgram(rowLower: [], rowUpper: [])); print(backend, "empty", e.solve())
    try s.load(lp); _ = s.solve(); print(backend, "again", s.solve())
    try s.addColumns([LPColumn(cost: 0.5, rows: [0], values: [1])]); print(backend, "added", s.solve())
}
