import Foundation
import LinearProgramming
import Synchronization

/// One time budget for a run (docs/mathematics.md §11): the instant it ends, and whether SIGINT/SIGTERM end it too
/// (`Interruption`). A value, so every part of the run (search workers, the master's solver, Newton) reads the
/// same end; each checks it at its own pace, which gives the documented overrun `allowedOverrun`.
public struct Deadline: Sendable {
    /// When the budget ends; nil: no time limit.
    public var end: Date?
    /// Whether a first SIGINT or SIGTERM (`Interruption.requested`) ends the run as the deadline does.
    public var watchesSignals: Bool
    /// Ends the budget early when set: the subset bounds beside a column generation that has stopped
    /// (`SubsetPhase`).
    public var cancellation: Cancellation? = nil

    /// No limit and no signals.
    public static let none = Deadline(end: nil, watchesSignals: false)

    public init(end: Date?, watchesSignals: Bool = false) {
        self.end = end
        self.watchesSignals = watchesSignals
    }

    /// A budget of `seconds` from `start` (nil: none).
    public init(seconds: Double?, from start: Date = Date(), watchesSignals: Bool = false) {
        self.init(end: seconds.map { start.addingTimeInterval($0) }, watchesSignals: watchesSignals)
    }

    /// The overrun a run may take past its budget: max(1 s, 5 %) (the search reads the clock every few nodes, an
    /// LP solve or a Newton step is not cut in the middle, and the model is written after).
    public static func allowedOverrun(_ budget: Double) -> Double { max(1, 0.05 * budget) }

    /// A signal asked the run to end.
    public var interrupted: Bool { watchesSignals && Interruption.requested }

    /// Seconds left (nil: no limit), never negative; 0 once cancelled.
    public var remaining: Double? {
        if cancellation?.isCancelled == true { return 0 }
        return end.map { max(0, $0.timeIntervalSinceNow) }
    }

    /// Whether the run must stop now: the end passed or a signal came.
    public var expired: Bool { reason != nil }

    /// Why the run must stop now (`.interrupted`, or `.timeLimit` for the end or a cancellation), nil while it may
    /// go on.
    public var reason: Termination? {
        if interrupted { return .interrupted }
        if cancellation?.isCancelled == true { return .timeLimit }
        if let end, end.timeIntervalSinceNow <= 0 { return .timeLimit }
        return nil
    }

    /// The deadline as a solver's stop hook (`LPSolver.stopHook`, `MIPSolver.stopHook`): nil when it has no end,
    /// watches no signals and cannot be cancelled (nothing to poll).
    public var stopHook: LPStopHook? {
        end != nil || watchesSignals || cancellation != nil ? { expired } : nil
    }

    /// The earlier of this deadline and `seconds` from now (nil: this one).
    public func cut(after seconds: Double?) -> Deadline {
        guard let seconds else { return self }
        let other = Date().addingTimeInterval(seconds)
        var cut = self
        cut.end = end.map { min($0, other) } ?? other
        return cut
    }

    /// The earlier of two deadlines; signals are watched if either watches them; the cancellation is this one's,
    /// else the other's.
    public func earlier(_ other: Deadline) -> Deadline {
        let ends = [end, other.end].compactMap { $0 }
        var both = Deadline(end: ends.min(), watchesSignals: watchesSignals || other.watchesSignals)
        both.cancellation = cancellation ?? other.cancellation
        return both
    }
}

/// A flag one thread sets and others read (`Deadline.cancellation`).
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public var isCancelled: Bool { flag.load(ordering: .acquiring) }

    public func cancel() { flag.store(true, ordering: .releasing) }
}

/// SIGINT and SIGTERM as a request to stop (`Deadline.watchesSignals`): inside `deferring`, a first signal only
/// sets `requested` and the run ends with status `interrupted`; a second one ends the process at once (after
/// removing the temporaries of `OutputFile`, `TemporaryFiles`). Outside it, a signal ends the process at once.
public enum Interruption {
    /// Whether a signal came while deferring.
    public static var requested: Bool { TemporaryFiles.deferral[1] != 0 }

    /// Runs `body` with the first SIGINT/SIGTERM deferred to `requested`.
    public static func deferring<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        TemporaryFiles.deferSignals(true)
        defer { TemporaryFiles.deferSignals(false) }
        return try body()
    }
}
