import Logging
import PortalStore
import Synchronization
import ZeroMQ

/// Runs `CommitSync` on its own thread: syncs whenever commits wait for it, and tells the broker
/// after each sync how far commits are durable, so that it releases the replies it holds.
///
/// While one sync runs (2.2 ms here), the workers go on committing; the next sync takes all of
/// those commits at once. That is where group commit's throughput comes from.
final class CommitSyncThread: Sendable {
    private let sync: CommitSync
    private let brokerEndpoint: String
    private let context: ZMQContext
    private let stopRequested = Atomic<Bool>(false)
    /// Fired when a sync fails: the server stops rather than acknowledge writes it cannot keep.
    private let shutdown: ShutdownTrigger
    private let logger: Logger

    /// How long the thread sleeps when no commit waits before it looks at the stop flag again.
    static let idleWait: Duration = .milliseconds(20)

    init(sync: CommitSync, context: ZMQContext, brokerEndpoint: String, shutdown: ShutdownTrigger, logger: Logger) {
        self.sync = sync
        self.context = context
        self.brokerEndpoint = brokerEndpoint
        self.shutdown = shutdown
        self.logger = logger
    }

    /// Syncs until `stop()`, then once more for the commits made by then.
    func run() {
        let socket: ZMQSocket
        do {
            socket = try ZMQSocket(context: context, type: .push)
            try socket.setSendTimeout(milliseconds: 1_000)
            try socket.connect(brokerEndpoint)
        } catch {
            logger.critical("the commit syncer cannot reach the broker; stopping", metadata: ["error": "\(error)"])
            shutdown.fire()
            return
        }
        defer { socket.close() }
        // A report that could not be sent is sent again, or replies would wait for the next commit.
        var reported = sync.synced
        while true {
            let stopping = stopRequested.load(ordering: .acquiring)
            guard sync.hasUnsyncedCommits(waitingUpTo: Self.idleWait) || stopping || reported < sync.synced else { continue }
            do {
                try sync.sync()
            } catch {
                logger.critical("syncing commits failed; the server stops (unsynced writes stay unacknowledged)",
                                metadata: ["error": "\(error)"])
                shutdown.fire()
                return
            }
            // Stopping, the broker has ended: the last sync is for the publisher.
            if stopping { return }
            do {
                try socket.send([CommitCountFrame.encode(sync.synced)])
                reported = sync.synced
            } catch {
                logger.error("cannot tell the broker of a sync; retrying", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Asks the thread to sync what is committed and end.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
    }
}

/// A count of commits as 8 bytes, little-endian: the syncer tells the broker how many are durable,
/// a worker's done frame how many its replies saw (`WorkerMessage.done(commitsSeen:)`).
enum CommitCountFrame {
    static func encode(_ synced: UInt64) -> [UInt8] {
        withUnsafeBytes(of: synced.littleEndian) { Array($0) }
    }

    static func decode(_ frame: some BidirectionalCollection<UInt8>) -> UInt64? {
        guard frame.count == 8 else { return nil }
        return frame.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}
