import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// Renewals (new runtime and service ends) and the scheduler's progress through time.
extension SQLiteTransaction {
    // MARK: Renewal

    func updateTerm(licenseID: String, runtimeEnd: Date?, service: License.Service?) throws {
        try run("UPDATE licenses SET runtime_end = ?, service_level = ?, service_start = ?, service_end = ? WHERE id = ?", [
                runtimeEnd?.unixSeconds ?? Self.openEnd, service?.level, service?.start.unixSeconds,
                service?.end.unixSeconds ?? Self.openEnd, licenseID,
            ])
    }

    func markAnnounced(licenseID: String, at: Date) throws {
        try run("""
                INSERT INTO license_announcements (license_id, announced_at) VALUES (?, ?)
                ON CONFLICT (license_id) DO UPDATE SET announced_at = excluded.announced_at
                """, [licenseID, at.unixSeconds])
    }

    // MARK: Schedule

    func scheduleAppliedThrough() throws -> Date? {
        try Int64.fetchOne(statement("SELECT applied_through FROM schedule_progress WHERE id = 1")).map(Date.init(unixSeconds:))
    }

    func saveScheduleAppliedThrough(_ moment: Date) throws {
        try run("""
                INSERT INTO schedule_progress (id, applied_through) VALUES (1, ?)
                ON CONFLICT (id) DO UPDATE SET applied_through = excluded.applied_through
                """, [moment.unixSeconds])
        // A command's announcement at or before the applied moment tells the scheduler nothing more.
        try run("DELETE FROM license_announcements WHERE announced_at <= ?", [moment.unixSeconds])
    }

    func scheduleTransitions(after: Date, through: Date, limit: Int) throws -> [Date] {
        let ranges = Self.transitionRanges(after: after, through: through)
        var moments: [Int64] = []
        for range in ranges {
            // Each range is one index range scan, earliest first, cut at `limit`.
            moments += try Int64.fetchAll(
                statement("""
                    SELECT \(range.column) - ? FROM licenses
                    WHERE destroyed_at IS NULL AND \(range.column) > ? AND \(range.column) <= ?
                    ORDER BY \(range.column) LIMIT ?
                    """),
                arguments: [range.offset, range.from, range.to, limit])
        }
        // The grace periods' ends count too, so that a large order bought on one day cuts the
        // scheduler's work into batches like any other moment.
        let testPhase = Int64(License.almTestPhase)
        moments += try Int64.fetchAll(
            statement("""
                SELECT order_date + ? FROM licenses
                WHERE model = 'alm' AND activation_state = 'none' AND destroyed_at IS NULL AND order_date > ? AND order_date <= ?
                ORDER BY order_date LIMIT ?
                """),
            arguments: [testPhase, after.unixSeconds - testPhase, through.unixSeconds - testPhase, limit])
        moments += try Int64.fetchAll(
            statement("SELECT grace_end FROM activations WHERE grace_end > ? AND grace_end <= ? ORDER BY grace_end LIMIT ?"),
            arguments: [after.unixSeconds, through.unixSeconds, limit])
        return moments.sorted().prefix(limit).map(Date.init(unixSeconds:))
    }

    func testPhaseEnds(after: Date, through: Date) throws -> [License] {
        // The same conditions as the partial index licenses_test_phase, so that it serves.
        try licenses(
            """
            SELECT \(Self.licenseColumns) FROM licenses l
            WHERE model = 'alm' AND activation_state = 'none' AND destroyed_at IS NULL AND order_date > ? AND order_date <= ?
            ORDER BY id
            """,
            [after.unixSeconds - Int64(License.almTestPhase), through.unixSeconds - Int64(License.almTestPhase)])
    }

    func graceEnds(after: Date, through: Date) throws -> [(activation: Activation, license: License)] {
        let activations = try all(
            """
            SELECT \(Self.activationColumns) FROM activations a JOIN licenses l ON l.id = a.license_id
            WHERE a.grace_end > ? AND a.grace_end <= ? AND l.destroyed_at IS NULL
            ORDER BY a.license_id, a.position
            """,
            [after.unixSeconds, through.unixSeconds], Self.activation(from:))
        return try activations.compactMap { activation in try license(id: activation.licenseID).map { (activation, $0) } }
    }

    func scheduledLicenses(after: Date, through: Date) throws -> [(license: License, announcedAt: Date?)] {
        let ranges = Self.transitionRanges(after: after, through: through)
        let selects = ranges.map { range in
            "SELECT id FROM licenses WHERE destroyed_at IS NULL AND \(range.column) > ? AND \(range.column) <= ?"
        }
        return try all(
            """
            SELECT \(Self.licenseColumns), a.announced_at FROM licenses l
            LEFT JOIN license_announcements a ON a.license_id = l.id
            WHERE l.id IN (\(selects.joined(separator: " UNION ")))
            ORDER BY l.id
            """,
            ranges.flatMap { [$0.from, $0.to] }
        ) { row in
            // announced_at follows the license's columns.
            (Self.license(from: row), (row[Self.licenseColumnCount] as Int64?).map(Date.init(unixSeconds:)))
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
