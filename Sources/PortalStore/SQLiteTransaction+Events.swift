import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// The event outbox: appending in the change's transaction, replaying, pruning, and the
/// publishers' progress.
extension SQLiteTransaction {
    func append(_ events: [PortalEvent]) throws {
        guard !events.isEmpty else { return }
        try run("UPDATE event_sequence SET last_seq = last_seq + ? WHERE id = 1", [events.count])
        let last = try Int64.fetchOne(statement("SELECT last_seq FROM event_sequence WHERE id = 1")) ?? 0
        var seq = last - Int64(events.count)
        // Bound directly: imports append a license.created event per license.
        var insertEvent = try DirectStatement(db, sql: "INSERT INTO events (seq, type, at, company_id, body) VALUES (?, ?, ?, ?, ?)")
        var insertHistory = try DirectStatement(
            db, sql: "INSERT INTO license_history (license_id, seq, type, at, data) VALUES (?, ?, ?, ?, ?)")
        for event in events {
            seq += 1
            insertEvent.bind(seq)
            insertEvent.bind(event.type.rawValue)
            insertEvent.bind(event.at.unixSeconds)
            insertEvent.bind(event.company)
            insertEvent.bind { event.write(seq: seq, to: &$0) }
            try insertEvent.execute()
            if let license = event.licenseID {
                insertHistory.bind(license)
                insertHistory.bind(seq)
                insertHistory.bind(event.type.rawValue)
                insertHistory.bind(event.at.unixSeconds)
                insertHistory.bind(utf8: event.serializedData)
                try insertHistory.execute()
            }
        }
    }

    func eventRange() throws -> EventRange {
        let last = try Int64.fetchOne(statement("SELECT last_seq FROM event_sequence WHERE id = 1")) ?? 0
        let oldest = try Int64.fetchOne(statement("SELECT MIN(seq) FROM events"))
        return EventRange(lastSeq: last, oldestSeq: oldest ?? last + 1)
    }

    func events(after: Int64, through: Int64, types: Set<EventType>, company: String?, limit: Int) throws -> [StoredEvent] {
        var sql = "SELECT seq, type, company_id, body FROM events WHERE seq > ? AND seq <= ?"
        var arguments: [(any DatabaseValueConvertible)?] = [after, through]
        if !types.isEmpty {
            // The list as one JSON argument, so that the statement's text stays the same and
            // comes from the cache: the publisher runs this query fifty times a second.
            sql += " AND type IN (SELECT value FROM json_each(?))"
            arguments.append(String(decoding: try JSONEncoder().encode(types.map(\.rawValue).sorted()), as: UTF8.self))
        }
        if let company {
            sql += " AND company_id = ?"
            arguments.append(company)
        }
        sql += " ORDER BY seq LIMIT ?"
        arguments.append(limit)
        return try Row.fetchAll(statement(sql), arguments: StatementArguments(arguments)).map { row in
            StoredEvent(seq: row["seq"], type: row["type"], company: row["company_id"], body: row["body"])
        }
    }

    func licenseHistory(licenseID: String, limit: Int) throws -> [LicenseHistoryEntry] {
        let latest = try all(
            "SELECT seq, type, at, data FROM license_history WHERE license_id = ? ORDER BY seq DESC LIMIT ?", [licenseID, limit]
        ) { row in LicenseHistoryEntry(seq: row[0], type: row[1], at: Date(unixSeconds: row[2]), data: row[3]) }
        return latest.reversed()
    }

    func pruneEvents(before cutoff: Date, limit: Int) throws -> Int {
        // Oldest first and never past the first event still within the retention period, so the
        // events kept are always one unbroken range of numbers.
        let keepFrom = try Int64.fetchOne(
            statement("SELECT seq FROM events WHERE at >= ? ORDER BY seq LIMIT 1"), arguments: [cutoff.unixSeconds])
        try run(
            "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE seq < ? ORDER BY seq LIMIT ?)",
            [keepFrom ?? Int64.max, limit])
        return db.changesCount
    }

    func publishedSeq(node: String) throws -> Int64? {
        try Int64.fetchOne(statement("SELECT published_seq FROM event_publishers WHERE node = ?"), arguments: [node])
    }

    func savePublishedSeq(_ seq: Int64, node: String) throws {
        try run("""
                INSERT INTO event_publishers (node, published_seq) VALUES (?, ?)
                ON CONFLICT (node) DO UPDATE SET published_seq = excluded.published_seq
                """, [node, seq])
    }
}
