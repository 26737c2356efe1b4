/// Newton's method on the optimality conditions of the master's current structure, as the column generation
/// uses it: from the LP's merged network, exact atoms and a dual for them. Only a proposal: its atoms become
/// columns and its dual is priced like any other, so a wrong structure costs a pricing scan, never a wrong answer.
/// `FaceNewton` serves the L1 loss and the interpolation, `SquaredNewton` the squared loss.
protocol Polisher {
    /// The proposal for the structure of `network` (merged, one atom per region side) and the master's
    /// `solution`, with the data term's weight `residualCost` (`1/(nλ)`, or the interpolation's penalty); nil
    /// when Newton does not converge or leaves the structure.
    func propose(
        network: [DiracAtom], solution: MasterLP.Solution, residualCost: Double,
        problem: Objective
    ) -> NewtonProposal?
}

/// A converged Newton proposal: the atoms (unit weights, signed amplitudes) and the full dual vector `u` in the
/// master's scaling (before it is moved into the loss's box).
struct NewtonProposal {
    var atoms: [DiracAtom]
    var dual: [Double]
}
