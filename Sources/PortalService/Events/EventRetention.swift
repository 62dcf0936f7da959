import Foundation
import PortalStore

/// Prunes events past the retention period from the outbox (the license history stays).
public struct EventRetention: Sendable {
    public var days: Int

    public init(days: Int) {
        self.days = days
    }

    /// Events deleted per transaction: a long backlog of old events is pruned in short
    /// transactions that never hold the writer for long.
    static let batch = 10_000

    /// Deletes the events older than `days` before `now`; returns how many.
    public func prune(_ store: any Store, now: Date) throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        var total = 0
        while true {
            let deleted = try store.write { writer in try writer.pruneEvents(before: cutoff, limit: Self.batch) }
            total += deleted
            if deleted < Self.batch { return total }
        }
    }
}
