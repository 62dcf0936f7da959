import Foundation
import PortalCore

/// An event as the outbox keeps it: numbered, with its published JSON.
public struct StoredEvent: Sendable, Equatable {
    public var seq: Int64
    public var type: String
    /// The company the event is about.
    public var company: String
    /// The event's JSON exactly as it is published (`PortalEvent.json(seq:)`, serialized).
    public var body: String

    public init(seq: Int64, type: String, company: String, body: String) {
        self.seq = seq
        self.type = type
        self.company = company
        self.body = body
    }
}

/// The numbers of the outbox: the last committed `seq`, and the oldest one not yet pruned.
public struct EventRange: Sendable, Equatable {
    public var lastSeq: Int64
    /// `lastSeq + 1` when no event is kept (none written yet, or all pruned).
    public var oldestSeq: Int64

    public init(lastSeq: Int64, oldestSeq: Int64) {
        self.lastSeq = lastSeq
        self.oldestSeq = oldestSeq
    }
}

/// One change in a license's history.
public struct LicenseHistoryEntry: Sendable, Equatable {
    public var seq: Int64
    public var type: String
    public var at: Date
    /// The event's `data` as JSON text.
    public var data: String

    public init(seq: Int64, type: String, at: Date, data: String) {
        self.seq = seq
        self.type = type
        self.at = at
        self.data = data
    }
}
