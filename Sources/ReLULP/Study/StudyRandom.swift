import Foundation

/// A small deterministic generator (SplitMix64): the same seed gives the same study on every machine.
public struct SplitMix64: Sendable, RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double = 0, _ b: Double = 1) -> Double {
        a + (b - a) * Double(next() >> 11) / Double(UInt64(1) << 53)
    }

    /// Standard normal (Box–Muller, one value per call).
    public mutating func gaussian() -> Double {
        let u = max(uniform(), 1e-300)
        let v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Uniform on the unit sphere of R^d.
    public mutating func unitVector(_ d: Int) -> [Double] {
        while true {
            let g = (0..<d).map { _ in gaussian() }
            let s = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if s > 1e-12 { return g.map { $0 / s } }
        }
    }
}

/// Errors of the study tools (generation, sweeps, shards, merging), with messages a user can act on.
public struct StudyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
