import Foundation

/// How long sessions live and how failed logins are throttled.
public struct SessionPolicy: Sendable, Equatable {
    /// A session unused for this long has expired.
    public var idleTimeout: TimeInterval = 30 * 60
    /// A session ends this long after login, however active.
    public var absoluteTimeout: TimeInterval = 12 * 60 * 60
    /// `lastUsedAt` is written at most this often, so reads do not each cost a durable commit.
    public var touchInterval: TimeInterval = 60
    /// How long a node may serve a session from memory, unread: the longest that a logout or a
    /// removed user on another node sharing the database goes unnoticed here (this node's own
    /// changes take effect at once). Zero reads the session for every request.
    public var callerCacheLifetime: TimeInterval = 10
    /// Failed logins in a row an account may have before attempts are throttled.
    public var freeFailures = 5
    /// The first throttling pause; it doubles with every further failure.
    public var firstPause: TimeInterval = 1
    /// The longest throttling pause.
    public var longestPause: TimeInterval = 15 * 60

    public init() {}

    /// When `session` stops being valid: idle or absolute expiry, whichever comes first.
    public func expiry(of session: Session) -> Date {
        min(session.lastUsedAt.addingTimeInterval(idleTimeout), session.absoluteExpiry)
    }

    public func isValid(_ session: Session, at now: Date) -> Bool {
        now < expiry(of: session)
    }

    /// Whether the stored `lastUsedAt` is old enough to be worth writing again.
    public func needsTouch(_ session: Session, at now: Date) -> Bool {
        now.timeIntervalSince(session.lastUsedAt) >= touchInterval
    }

    /// The pause after `failures` consecutive failed logins; nil while under `freeFailures`.
    public func pause(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= freeFailures else { return nil }
        let doublings = min(failures - freeFailures, 30)
        return min(firstPause * pow(2, Double(doublings)), longestPause)
    }
}
