import Foundation
import Synchronization

/// Where the domain reads the current time, injected so that expiry, grace periods and quotas
/// are tested by moving time instead of sleeping.
public protocol WallClock: Sendable {
    var now: Date { get }
}

/// The real time of the machine.
public struct SystemWallClock: WallClock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that stands still until moved; for tests.
public final class ManualWallClock: WallClock {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(by interval: TimeInterval) {
        current.withLock { $0.addTimeInterval(interval) }
    }
}

/// The machine's time moved forward by an offset that can grow while the program runs: for
/// end-to-end tests of what time changes (expiry, grace ends), through `portald serve --test-clock`.
public final class MovableWallClock: WallClock {
    private let offset = Mutex<TimeInterval>(0)

    public init() {}

    public var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves the clock forward; it never goes back, as the scheduler's progress assumes.
    public func advance(by interval: TimeInterval) {
        precondition(interval >= 0, "a movable clock only moves forward")
        offset.withLock { $0 += interval }
    }
}
