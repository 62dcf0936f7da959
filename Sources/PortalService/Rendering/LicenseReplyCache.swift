import Foundation
import PortalCore
import PortalProtocol
import Synchronization

/// `license.get` results kept in memory, written once and sent again while nothing they show
/// can have changed: a license's detail page is opened again and again, and reading it (license,
/// history, activations, party names, catalogue in one read transaction) and writing it cost
/// four fifths of the request.
///
/// A result is kept for the caller's company and view, so it is only ever sent to callers who
/// were allowed to read it. It is sent again only while the store's license change number
/// stands where it stood before the result was read (no commit since changed anything a license
/// shows, by this process, or within 10 ms by another one) and while what the license shows by
/// the clock (its status, service state and activations' states) is what it was when written.
/// Such a commit empties the cache: they are few next to the reads (sessions and logins do not
/// count), and telling which results a commit touched is not worth its risk.
public final class LicenseReplyCache: Sendable {
    struct Key: Hashable {
        let license: String
        let view: PortalView
        let company: String
    }

    /// A written result and what it showed by the clock.
    struct Entry {
        let result: JSONText
        let license: License
        let activations: [Activation]?
        let clockStates: ClockStates

        /// Kept as small as it can be: the result in an array of its own length (a writer's has
        /// room to spare), the activations without their certificates (the result leaves them
        /// out, the clock does not need them).
        init(result: JSONText, license: License, activations: [Activation]?, at now: Date) {
            self.result = result.compacted
            self.license = license
            self.activations = activations?.map { activation in
                var kept = activation
                kept.certificate = ""
                return kept
            }
            clockStates = ClockStates(license, activations: activations, at: now)
        }

        /// About the memory it holds: the result's bytes, and a guess at the license's and its
        /// activations' values and the dictionary's slot.
        var bytes: Int { result.bytes.count + 1_024 + 256 * (activations?.count ?? 0) }
    }

    /// The states of a license and its activations that change with time alone.
    struct ClockStates: Equatable {
        let status: LicenseStatus
        let service: ServiceState
        let activations: [Activation.State]

        init(_ license: License, activations: [Activation]?, at now: Date) {
            status = license.status(at: now)
            service = license.serviceState(at: now)
            self.activations = activations?.map { $0.state(at: now, runtimeEnd: license.activationsEnd) } ?? []
        }
    }

    private struct Contents {
        /// The change number the entries were read at.
        var changeNumber: UInt64 = 0
        var entries: [Key: Entry] = [:]
        /// The sum of the entries' `bytes`.
        var bytes = 0
    }

    private let capacityBytes: Int
    private let contents = Mutex(Contents())

    /// The memory results may hold by default, in MiB: thousands of details.
    public static let defaultMebibytes = 32

    /// `capacityBytes` 0 keeps nothing.
    public init(capacityBytes: Int = defaultMebibytes << 20) {
        self.capacityBytes = capacityBytes
    }

    /// Whether results are kept at all: without, a request need not look at the change number.
    var keepsResults: Bool { capacityBytes > 0 }

    /// The result kept for `key` if the store's change number is still `changeNumber` and the
    /// license shows the same by the clock at `now`.
    func result(for key: Key, changeNumber: UInt64, at now: Date) -> JSONText? {
        let entry = contents.withLock { contents in
            contents.changeNumber == changeNumber ? contents.entries[key] : nil
        }
        guard let entry, ClockStates(entry.license, activations: entry.activations, at: now) == entry.clockStates else {
            return nil
        }
        return entry.result
    }

    /// Keeps a result read after the store's change number stood at `changeNumber`. Past the
    /// capacity the cache starts again, rather than keep track of which entry was used last.
    func keep(_ entry: Entry, for key: Key, changeNumber: UInt64) {
        guard keepsResults, entry.bytes <= capacityBytes else { return }
        contents.withLock { contents in
            if changeNumber != contents.changeNumber {
                // A result read before the latest change the cache knows of may be stale already.
                guard changeNumber > contents.changeNumber else { return }
                contents.changeNumber = changeNumber
                contents.entries.removeAll()
                contents.bytes = 0
            }
            if let replaced = contents.entries.removeValue(forKey: key) { contents.bytes -= replaced.bytes }
            if contents.bytes + entry.bytes > capacityBytes {
                contents.entries.removeAll(keepingCapacity: true)
                contents.bytes = 0
            }
            contents.entries[key] = entry
            contents.bytes += entry.bytes
        }
    }

    /// The results kept now, and the memory they hold (`Entry.bytes`), for tests and operators.
    public var count: Int { contents.withLock { $0.entries.count } }
    public var bytes: Int { contents.withLock { $0.bytes } }
}
