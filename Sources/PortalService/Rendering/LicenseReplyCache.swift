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
/// shows, by this process or another one) and while what the license shows by the clock (its
/// status, service state and activations' states) is what it was when written. Such a commit
/// empties the cache: they are few next to the reads (sessions and logins do not count), and
/// telling which results a commit touched is not worth its risk.
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
    }

    private let capacity: Int
    private let contents = Mutex(Contents())

    /// Results kept at most by default: about 2 KiB each.
    public static let defaultCapacity = 10_000

    /// `capacity` 0 keeps nothing.
    public init(capacity: Int = defaultCapacity) {
        self.capacity = capacity
    }

    /// False when the capacity is 0.
    var keepsResults: Bool { capacity > 0 }

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

    /// Keeps a result read after the store's change number stood at `changeNumber`.
    func keep(_ entry: Entry, for key: Key, changeNumber: UInt64) {
        guard capacity > 0 else { return }
        contents.withLock { contents in
            if changeNumber != contents.changeNumber {
                // A result read before the latest change the cache knows of may be stale already.
                guard changeNumber > contents.changeNumber else { return }
                contents.changeNumber = changeNumber
                contents.entries.removeAll()
            }
            if contents.entries.count >= capacity { contents.entries.removeAll(keepingCapacity: true) }
            contents.entries[key] = entry
        }
    }

    /// Results kept now.
    public var count: Int { contents.withLock { $0.entries.count } }
}
