import Foundation
import PortalCore
import PortalStore
import Synchronization

/// Authenticated callers kept in memory, so that a session's every request does not read its
/// session, user and company again (a read transaction and three lookups: a third of a
/// `license.get`).
///
/// An entry is trusted while the store's `AccessChangeCounter` is where it was when the entry
/// was read, and for at most `SessionPolicy.callerCacheLifetime`: changes of this process
/// (logout, a user removed or changed, a company's views changed) take effect at once, those of
/// another process or node sharing the database within that lifetime. A session that the cached
/// rows say has expired is read again, never refused from memory.
public final class CallerCache: Sendable {
    private struct Entry {
        var caller: Caller
        let readAt: Date
        let changeCount: UInt64
    }

    private let changes: AccessChangeCounter?
    private let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    /// Sessions kept at most; past that, entries too old to use are dropped, then all.
    public static let defaultCapacity = 10_000

    /// `changes`: the store's counter; without one nothing is kept.
    public init(changes: AccessChangeCounter?, capacity: Int = defaultCapacity) {
        self.changes = changes
        self.capacity = capacity
    }

    /// Where the counter is now: note it before reading a caller, give it to `remember`.
    public var changeCount: UInt64? { changes?.count }

    /// The caller of the session with `tokenHash` as read within `lifetime` before `now`, if
    /// nothing that could change it has been committed since.
    public func caller(tokenHash: String, at now: Date, lifetime: TimeInterval) -> Caller? {
        guard let current = changes?.count else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[tokenHash] else { return nil }
            guard entry.changeCount == current, entry.readAt <= now, now.timeIntervalSince(entry.readAt) < lifetime else {
                entries[tokenHash] = nil
                return nil
            }
            return entry.caller
        }
    }

    /// Keeps `caller`, read at `now` after the counter stood at `changeCount`.
    public func remember(_ caller: Caller, readAt now: Date, changeCount: UInt64, lifetime: TimeInterval) {
        guard changes != nil, lifetime > 0 else { return }
        var caller = caller
        caller.view = nil
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { now.timeIntervalSince($0.value.readAt) < lifetime }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[caller.session.tokenHash] = Entry(caller: caller, readAt: now, changeCount: changeCount)
        }
    }

    /// Records that the session was used at a later time (its `lastUsedAt` was written).
    public func touched(_ session: Session) {
        entries.withLock { entries in
            entries[session.tokenHash]?.caller.session = session
        }
    }

    /// Sessions kept now.
    public var count: Int { entries.withLock { $0.count } }
}
