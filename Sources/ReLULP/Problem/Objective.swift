/// What a training run minimises (docs/mathematics.md §1): (P), the data term plus λ times the total variation,
/// or its noise-free limit λ → 0, the least total variation of a network that fits every label exactly.
/// Carried from `TrainingOptions` through `TrainingResult` to the model file.
public enum Objective: Sendable, Equatable, Hashable {
    /// (P): `loss(f_μ) + λ ‖μ‖_TV` with `λ > 0`.
    case regularized(lambda: Double)
    /// The noise-free limit: `‖μ‖_TV` subject to `f_μ(x_j) = y_j` for every j (solved with the L1 master).
    case interpolation

    /// The weight λ of the total variation; 0 for the interpolation, the limit λ → 0 (the model file's `lambda`).
    public var lambda: Double {
        switch self {
        case .regularized(let lambda): lambda
        case .interpolation: 0
        }
    }

    /// What the model file's dual `p` is divided by to give the certificate η (docs/mathematics.md §5): λ for (P),
    /// where η = (1/λ) Σ_j p_j σ(⟨w, x̃_j⟩), and 1 for the interpolation, whose dual is η's coefficients itself.
    public var certificateScale: Double {
        switch self {
        case .regularized(let lambda): lambda
        case .interpolation: 1
        }
    }
}
