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
