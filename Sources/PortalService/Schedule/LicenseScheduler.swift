import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// Applies time to licenses: announces, each exactly once, the changes of status and service
/// state that time makes (a runtime ends: `expired`; a service enters its last 28 days:
/// `expiring`, with `license.expiring`; a service ends: `expired`).
///
/// Status and service state are computed from the clock whenever a license is read, so nothing
/// about a license is changed here: a pass only records the events, with cause `schedule`.
///
/// **What has been announced.** The store keeps one moment, the scheduler's progress: every
/// change time made up to it has been announced. A pass takes the window from there to `now`,
/// finds the licenses with a runtime end, service end or start of an expiring window inside it
/// (index range scans, so unchanged licenses are never read), compares each license's state at
/// the window's start with its state at the window's end, appends an event per difference, and
/// moves the progress to the window's end, all in one write transaction. Every moment lies in
/// exactly one window, so every change is announced once, and a license crossing several
/// moments in one window (the server was down) gets one event per field, from its old state to
/// its new one.
///
/// Commands announce their own changes (activation, destruction, renewal each emit
/// `license.status` / `license.service`), and the state "at the window's start" is computed
/// with the license's current data, which already holds those changes. A command that moves a
/// license's ends (a renewal) also records when it announced the license's state; the
/// scheduler then starts that license from that moment instead, so nothing the command
/// announced is announced again.
///
/// **The first pass** (a new or upgraded database) only records `now` as its progress: the
/// state every license has then is the one it was created or imported with, and is not an
/// event. Licenses imported later with an end already behind them are not announced either,
/// except for ends within the one interval before their import.
///
/// **Grace periods** that end with time are announced too, although the license's status does
/// not change (it follows its current activation): the 30-day test phase of an ALM license never
/// activated (`license.test_phase_ended`) and the grace of an activation superseded by a
/// reactivation (`license.reactivation_grace_ended`), each at its end, found through partial
/// indexes and, like the rest, exactly once because each end lies in exactly one window. Trial
/// licenses end with their runtime, like every other license.
///
/// **Several nodes.** The progress is read and moved in the same write transaction as the
/// events. SQLite has one writer at a time, so a second pass, on this node or another, waits
/// and then sees the moved progress: no change is announced twice. A PostgreSQL store needs
/// the same guarantee explicitly: `SELECT … FROM schedule_progress … FOR UPDATE` at the start of
/// the transaction (or SERIALIZABLE isolation), so that concurrent passes queue on that row.
public struct LicenseScheduler: Sendable {
    public let store: any Store
    /// Licenses (strictly: moments of change) handled per transaction, so that a pass after a
    /// long downtime never holds the writer for long. Licenses sharing the same second are
    /// handled together, even past it.
    public var batchSize: Int

    /// What one pass announced.
    public struct Counts: Sendable, Equatable {
        public var licenses = 0
        public var statusChanges = 0
        public var serviceChanges = 0
        public var expiring = 0
        public var testPhaseEnds = 0
        public var graceEnds = 0
        public var events: Int { statusChanges + serviceChanges + expiring + testPhaseEnds + graceEnds }

        public init() {}
    }

    public init(store: any Store, batchSize: Int = 1_000) {
        self.store = store
        self.batchSize = batchSize
    }

    /// Announces what time changed up to `now`, in batches; returns what was announced.
    @discardableResult
    public func run(now: Date) throws -> Counts {
        let now = Date(unixSeconds: now.unixSeconds)
        var counts = Counts()
        while try runBatch(now: now, counts: &counts) {}
        return counts
    }

    /// One transaction: the next batch of the window up to `now`; whether more is left.
    private func runBatch(now: Date, counts: inout Counts) throws -> Bool {
        let batch = try store.write { writer -> (counts: Counts, more: Bool) in
            guard let appliedThrough = try writer.scheduleAppliedThrough() else {
                try writer.saveScheduleAppliedThrough(now)
                return (Counts(), false)
            }
            // A node whose clock is behind another's finds the window empty.
            guard appliedThrough < now else { return (Counts(), false) }
            let moments = try writer.scheduleTransitions(after: appliedThrough, through: now, limit: batchSize)
            let end = moments.count >= batchSize ? moments[moments.count - 1] : now
            var counts = Counts()
            var events: [PortalEvent] = []
            for (license, announcedAt) in try writer.scheduledLicenses(after: appliedThrough, through: end) {
                let start = max(appliedThrough, announcedAt ?? appliedThrough)
                guard start < end else { continue }
                let changes = try self.changes(of: license, from: start, to: end, writer: writer, counts: &counts)
                if !changes.isEmpty { counts.licenses += 1 }
                events += changes
            }
            events += try graceEnds(after: appliedThrough, through: end, writer: writer, counts: &counts)
            // In the order they happened; the sort is stable, so a license's status comes first.
            events.sort { $0.at < $1.at }
            try writer.append(events)
            try writer.saveScheduleAppliedThrough(end)
            return (counts, end < now)
        }
        counts.licenses += batch.counts.licenses
        counts.statusChanges += batch.counts.statusChanges
        counts.serviceChanges += batch.counts.serviceChanges
        counts.expiring += batch.counts.expiring
        counts.testPhaseEnds += batch.counts.testPhaseEnds
        counts.graceEnds += batch.counts.graceEnds
        return batch.more
    }

    /// The grace periods that ended in the window: ALM test phases of licenses never activated,
    /// and superseded activations' grace. Neither changes the license's status (it follows the
    /// current activation), but both stop software from working, which the parties must hear.
    private func graceEnds(after start: Date, through end: Date, writer: any StoreWriter, counts: inout Counts) throws -> [PortalEvent] {
        var events: [PortalEvent] = []
        for license in try writer.testPhaseEnds(after: start, through: end) {
            guard let event = PortalEvent.licenseTestPhaseEnded(license, integrators: try writer.delegatedIntegrators(of: license), cause: .schedule)
            else { continue }
            events.append(event)
            counts.testPhaseEnds += 1
        }
        for (activation, license) in try writer.graceEnds(after: start, through: end) {
            guard let event = PortalEvent.licenseReactivationGraceEnded(
                activation, of: license, integrators: try writer.delegatedIntegrators(of: license), cause: .schedule)
            else { continue }
            events.append(event)
            counts.graceEnds += 1
        }
        return events
    }

    /// The events of what time changed about `license` between `start` and `end`, each dated
    /// when its change happened.
    private func changes(
        of license: License, from start: Date, to end: Date, writer: any StoreWriter, counts: inout Counts
    ) throws -> [PortalEvent] {
        let statusBefore = license.status(at: start), statusAfter = license.status(at: end)
        let serviceBefore = license.serviceState(at: start), serviceAfter = license.serviceState(at: end)
        guard statusBefore != statusAfter || serviceBefore != serviceAfter else { return [] }
        let integrators = try writer.delegatedIntegrators(of: license)
        var events: [PortalEvent] = []
        if let event = PortalEvent.licenseStatus(
            license, from: statusBefore, to: statusAfter, integrators: integrators, cause: .schedule,
            at: license.runtimeEnd ?? end)
        {
            events.append(event)
            counts.statusChanges += 1
        }
        if let service = license.service {
            let expiringFrom = service.end.addingTimeInterval(-TimeInterval(ServiceState.expiringWindowDays * 86_400))
            let at = serviceAfter == .expired ? service.end : expiringFrom
            if let event = PortalEvent.licenseService(
                license, from: serviceBefore, to: serviceAfter, integrators: integrators, cause: .schedule, at: at)
            {
                events.append(event)
                counts.serviceChanges += 1
            }
            // Once per service period: its expiring window starts in exactly one window of the scheduler.
            if serviceAfter == .expiring && serviceBefore != .expiring,
               let event = PortalEvent.licenseExpiring(license, integrators: integrators, cause: .schedule, at: expiringFrom)
            {
                events.append(event)
                counts.expiring += 1
            }
        }
        return events
    }
}
