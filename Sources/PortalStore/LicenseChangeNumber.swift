import Dispatch
import GRDB
import Synchronization

/// The license change number (`StoreMigrations.licenseChangeSchema`'s counter) as this process
/// knows it, so that `license.get` need not read it from the file for every request: that read,
/// a read transaction of its own with SQLite's file locks taken and released, cost a cached
/// `license.get` a third of its throughput.
///
/// This process's writes tell it the number their commit leaves (read in their transaction, made
/// known after the commit, before their writers return), so what they change shows at once.
/// Other processes' commits (an import, SQL typed by hand) are found by reading the number from
/// the file again when the last read is `rereadInterval` old: they show within that time.
final class LicenseChangeNumber: Sendable {
    /// The highest number read from the file or made known by a commit of this process.
    private let known = Atomic<UInt64>(0)
    /// When the file was last read (`DispatchTime.uptimeNanoseconds`); 0 before the first read.
    private let readAt = Atomic<UInt64>(0)
    private let rereadNanoseconds: UInt64
    /// Commits of this process whose number could not be read in their transaction, and how many
    /// of them a read of the file begun after them has covered: while some are not covered, every
    /// caller reads the file, so that no reply after such a write can show what was before it.
    private let unknownCommits = Atomic<UInt64>(0)
    private let coveredCommits = Atomic<UInt64>(0)

    /// How long another process's commit may go unseen.
    static let rereadInterval: Duration = .milliseconds(10)

    init(rereadInterval: Duration = rereadInterval) {
        rereadNanoseconds = UInt64(rereadInterval / .nanoseconds(1))
    }

    /// The number as known, after reading it with `read` when the last read is too old. Of
    /// threads that find it too old at once one reads; the others take the number as known.
    func current(reading read: () throws -> UInt64) throws -> UInt64 {
        let unknown = unknownCommits.load(ordering: .acquiring)
        if unknown > coveredCommits.load(ordering: .acquiring) {
            let number = known.max(try read(), ordering: .acquiringAndReleasing).newValue
            coveredCommits.max(unknown, ordering: .releasing)
            return number
        }
        let now = DispatchTime.now().uptimeNanoseconds
        let last = readAt.load(ordering: .relaxed)
        if last != 0 && now &- last < rereadNanoseconds { return known.load(ordering: .acquiring) }
        guard readAt.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged else {
            return known.load(ordering: .acquiring)
        }
        do {
            return known.max(try read(), ordering: .acquiringAndReleasing).newValue
        } catch {
            // The next caller tries again.
            readAt.store(0, ordering: .relaxed)
            throw error
        }
    }

    /// Makes known the number a commit of this process left (read within its transaction); nil
    /// when that read failed, and callers then read the file until one read has covered it.
    func committed(_ number: UInt64?) {
        if let number {
            known.max(number, ordering: .releasing)
        } else {
            unknownCommits.add(1, ordering: .releasing)
        }
    }

    /// The number as known, without reading the file.
    var knownNumber: UInt64 { known.load(ordering: .acquiring) }

    /// The counter as `db` sees it: within a write transaction, what its commit will leave.
    static func read(in db: Database) throws -> UInt64 {
        guard let number = try db.first("SELECT value FROM license_change_counter WHERE id = 1", [], { row in UInt64(row[0] as Int64) }) else {
            throw StoreError("the license change counter has no row")
        }
        return number
    }
}
