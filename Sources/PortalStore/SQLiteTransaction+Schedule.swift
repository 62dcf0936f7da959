import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// Renewals (new runtime and service ends) and the scheduler's progress through time.
extension SQLiteTransaction {
    // MARK: Renewal

    func updateTerm(licenseID: String, runtimeEnd: Date?, service: License.Service?) throws {
        try db.execute(
            sql: "UPDATE licenses SET runtime_end = ?, service_level = ?, service_start = ?, service_end = ? WHERE id = ?",
            arguments: [
                runtimeEnd?.unixSeconds ?? Self.openEnd, service?.level, service?.start.unixSeconds,
                service?.end.unixSeconds ?? Self.openEnd, licenseID,
            ])
    }

    func markAnnounced(licenseID: String, at: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO license_announcements (license_id, announced_at) VALUES (?, ?)
                ON CONFLICT (license_id) DO UPDATE SET announced_at = excluded.announced_at
                """,
            arguments: [licenseID, at.unixSeconds])
    }

    // MARK: Schedule

    func scheduleAppliedThrough() throws -> Date? {
        try Int64.fetchOne(db, sql: "SELECT applied_through FROM schedule_progress WHERE id = 1").map(Date.init(unixSeconds:))
    }

    func saveScheduleAppliedThrough(_ moment: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO schedule_progress (id, applied_through) VALUES (1, ?)
                ON CONFLICT (id) DO UPDATE SET applied_through = excluded.applied_through
                """,
            arguments: [moment.unixSeconds])
        // A command's announcement at or before the applied moment tells the scheduler nothing more.
        try db.execute(sql: "DELETE FROM license_announcements WHERE announced_at <= ?", arguments: [moment.unixSeconds])
    }

    func scheduleTransitions(after: Date, through: Date, limit: Int) throws -> [Date] {
        let ranges = Self.transitionRanges(after: after, through: through)
        var moments: [Int64] = []
        for range in ranges {
            // Each range is one index range scan, earliest first, cut at `limit`.
            moments += try Int64.fetchAll(
                db,
                sql: """
                    SELECT \(range.column) - ? FROM licenses
                    WHERE destroyed_at IS NULL AND \(range.column) > ? AND \(range.column) <= ?
                    ORDER BY \(range.column) LIMIT ?
                    """,
                arguments: [range.offset, range.from, range.to, limit])
        }
        // The grace periods' ends count too, so that a large order bought on one day cuts the
        // scheduler's work into batches like any other moment.
        let testPhase = Int64(License.almTestPhase)
        moments += try Int64.fetchAll(
            db,
            sql: """
                SELECT order_date + ? FROM licenses
                WHERE model = 'alm' AND activation_state = 'none' AND destroyed_at IS NULL AND order_date > ? AND order_date <= ?
                ORDER BY order_date LIMIT ?
                """,
            arguments: [testPhase, after.unixSeconds - testPhase, through.unixSeconds - testPhase, limit])
        moments += try Int64.fetchAll(
            db, sql: "SELECT grace_end FROM activations WHERE grace_end > ? AND grace_end <= ? ORDER BY grace_end LIMIT ?",
            arguments: [after.unixSeconds, through.unixSeconds, limit])
        return moments.sorted().prefix(limit).map(Date.init(unixSeconds:))
    }

    func testPhaseEnds(after: Date, through: Date) throws -> [License] {
        // The same conditions as the partial index licenses_test_phase, so that it serves.
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM licenses
                WHERE model = 'alm' AND activation_state = 'none' AND destroyed_at IS NULL AND order_date > ? AND order_date <= ?
                ORDER BY id
                """,
            arguments: [after.unixSeconds - Int64(License.almTestPhase), through.unixSeconds - Int64(License.almTestPhase)]
        ).map(Self.license(from:))
    }

    func graceEnds(after: Date, through: Date) throws -> [(activation: Activation, license: License)] {
        let activations = try Row.fetchAll(
            db,
            sql: """
                SELECT a.* FROM activations a JOIN licenses l ON l.id = a.license_id
                WHERE a.grace_end > ? AND a.grace_end <= ? AND l.destroyed_at IS NULL
                ORDER BY a.license_id, a.position
                """,
            arguments: [after.unixSeconds, through.unixSeconds]
        ).map(Self.activation(from:))
        return try activations.compactMap { activation in try license(id: activation.licenseID).map { (activation, $0) } }
    }

    func scheduledLicenses(after: Date, through: Date) throws -> [(license: License, announcedAt: Date?)] {
        let ranges = Self.transitionRanges(after: after, through: through)
        let selects = ranges.map { range in
            "SELECT id FROM licenses WHERE destroyed_at IS NULL AND \(range.column) > ? AND \(range.column) <= ?"
        }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT l.*, a.announced_at AS announced_at FROM licenses l
                LEFT JOIN license_announcements a ON a.license_id = l.id
                WHERE l.id IN (\(selects.joined(separator: " UNION ")))
                ORDER BY l.id
                """,
            arguments: StatementArguments(ranges.flatMap { [$0.from, $0.to] }))
        return rows.map { row in
            (Self.license(from: row), (row["announced_at"] as Int64?).map(Date.init(unixSeconds:)))
        }
    }

    /// The index ranges whose ends make a change in `after...through` (after excluded): runtime
    /// ends, service ends, and service ends 28 days ahead (the start of their expiring window).
    /// `offset` turns a stored end into the moment of its change.
    private static func transitionRanges(after: Date, through: Date) -> [(column: String, offset: Int64, from: Int64, to: Int64)] {
        let from = after.unixSeconds, to = through.unixSeconds
        let window = Int64(ServiceState.expiringWindowDays) * 86_400
        return [
            ("runtime_end", 0, from, to),
            ("service_end", 0, from, to),
            ("service_end", window, from + window, to + window),
        ]
    }
}
