import Foundation
import Logging
import PortalCore
import PortalService
import PortalStore
import ZeroMQ

/// The endpoints the server actually listens on, wildcard ports resolved.
public struct ListeningEndpoints: Sendable, Equatable {
    public let command: String
    public let events: String
}

/// The running portal worker: store, broker, worker and publisher threads, from start to stop.
///
/// `start` returns once the sockets are bound, so a caller can print where it listens;
/// `requestShutdown` may come from any thread (a signal handler's queue); `wait` returns after
/// in-flight requests are answered, their events published and every thread has ended.
public final class PortalServer: Sendable {
    public let endpoints: ListeningEndpoints
    public let statistics: ServerStatistics
    private let shutdown: ShutdownTrigger
    private let publisherStop: ShutdownTrigger
    private let broker: JoinableThread
    private let workers: [JoinableThread]
    private let publisher: JoinableThread
    private let schedulerStop: ShutdownTrigger
    private let scheduler: JoinableThread
    /// The commit syncer and its thread, when commits are synced later (group commit).
    private let committer: (syncer: CommitSyncThread, thread: JoinableThread)?
    /// The thread that copies the WAL into the database, so that writes do not wait for it.
    private let checkpoints: BackgroundCheckpoints?
    private let context: ZMQContext
    private let logger: Logger

    /// Opens and migrates the store, binds the sockets and starts the threads.
    /// - Parameter clock: the time the server runs on; by default the machine's, movable when the
    ///   configuration asks for a test clock.
    public init(configuration: ServerConfiguration, clock: (any WallClock)? = nil, logger: Logger) throws {
        try configuration.validate()
        let clock = clock ?? (configuration.testClock ? MovableWallClock() : SystemWallClock())
        if configuration.testClock { logger.warning("test clock: staff admins can move this server's time forward") }
        let sqliteStore: SQLiteStore
        do {
            sqliteStore = try SQLiteStore(
                path: configuration.databasePath, commits: configuration.groupCommit ? .groupedSyncedLater : .separate)
        } catch {
            throw ServerError("cannot open the database \(configuration.databasePath): \(error)")
        }
        let store: any Store = sqliteStore
        let keyRing = try Self.loadKeyRing(configuration.keysDirectory)
        let context = try ZMQContext()
        let statistics = ServerStatistics()
        let shutdown = try ShutdownTrigger()
        let publisherStop = try ShutdownTrigger()
        let schedulerStop = try ShutdownTrigger()
        let backendEndpoint = "inproc://portal-workers-\(UUID().uuidString)"
        let syncEndpoint = store.deferredSync.map { _ in "inproc://portal-syncs-\(UUID().uuidString)" }

        let (publisher, publisherStarted) = Self.startThread("portal-publisher") {
            let publisher = try EventPublisher(
                context: context, configuration: configuration, store: store, clock: clock, statistics: statistics,
                stop: publisherStop, logger: logger)
            return (publisher.endpoint, publisher.run)
        }
        let (broker, brokerStarted) = Self.startThread("portal-broker") {
            let broker = try Broker(
                context: context, configuration: configuration, backendEndpoint: backendEndpoint,
                syncEndpoint: syncEndpoint, statistics: statistics, shutdown: shutdown, logger: logger)
            return (broker.endpoint, broker.run)
        }
        let eventEndpoint: String, commandEndpoint: String
        do {
            eventEndpoint = try publisherStarted.get()
            commandEndpoint = try brokerStarted.get()
        } catch {
            // Whichever did start stops again (a broker that could not start has ended already).
            shutdown.fire()
            publisherStop.fire()
            publisher.join()
            broker.join()
            context.terminate()
            throw error
        }

        let environment = ServiceEnvironment(
            store: store, clock: clock,
            runtime: RuntimeFacts(
                workerCount: configuration.workerCount, startedAt: clock.now,
                transportVersion: ZMQContext.libraryVersion),
            statistics: statistics, logger: logger, access: AccessPolicy(sessions: configuration.sessionPolicy),
            signer: Self.signer(keyRing, logger: logger), reactivation: configuration.reactivationPolicy,
            tickets: configuration.ticketPolicy, licenseReplyBytes: configuration.licenseCacheMebibytes << 20)
        let executor = CommandExecutor(limits: configuration.limits, environment: environment)
        let workers = (0..<configuration.workerCount).map { index in
            let name = "portal-worker-\(index)"
            return JoinableThread(name: name) {
                Worker.run(
                    name: name, number: index, context: context, backendEndpoint: backendEndpoint, executor: executor,
                    commitSync: store.deferredSync, logger: logger)
            }
        }
        let scheduler = JoinableThread(name: "portal-scheduler") {
            SchedulerThread(
                scheduler: LicenseScheduler(store: store), clock: clock, intervalSeconds: configuration.scheduleIntervalSeconds,
                stop: schedulerStop, logger: logger
            ).run()
        }
        // Started after the broker has bound the socket it reports to.
        let committer: (syncer: CommitSyncThread, thread: JoinableThread)?
        if let sync = store.deferredSync, let syncEndpoint {
            let syncer = CommitSyncThread(
                sync: sync, context: context, brokerEndpoint: syncEndpoint, shutdown: shutdown, logger: logger)
            committer = (syncer: syncer, thread: JoinableThread(name: "portal-commit-sync") { syncer.run() })
        } else {
            committer = nil
        }
        // Last, when nothing can fail any more: a start that fails leaves no thread behind.
        let checkpoints: BackgroundCheckpoints?
        do {
            checkpoints = try sqliteStore.startBackgroundCheckpoints(every: Self.checkpointPeriod) { failure in
                logger.error("a background checkpoint failed; the writer's own checkpoints keep the WAL bounded", metadata: ["error": "\(failure)"])
            }
        } catch {
            logger.warning("no background checkpoints; writes wait for the checkpoints made within them", metadata: ["error": "\(error)"])
            checkpoints = nil
        }
        self.endpoints = ListeningEndpoints(command: commandEndpoint, events: eventEndpoint)
        self.statistics = statistics
        self.shutdown = shutdown
        self.publisherStop = publisherStop
        self.broker = broker
        self.workers = workers
        self.publisher = publisher
        self.schedulerStop = schedulerStop
        self.scheduler = scheduler
        self.committer = committer
        self.checkpoints = checkpoints
        self.context = context
        self.logger = logger
    }

    /// The signing keys of `keysDirectory`. A key file that cannot be used stops the start:
    /// signing with the wrong key, or none, would be found out only by customers.
    private static func loadKeyRing(_ keysDirectory: String) throws -> KeyRing {
        do {
            return try KeyRing.load(folder: keysDirectory)
        } catch {
            throw ServerError("signing keys: \(error)")
        }
    }

    /// The ring, or without keys a signer that refuses with a clear message, so that everything
    /// else still runs. Logged once the sockets are bound, so that a start that fails after all
    /// ends with its one error line only.
    private static func signer(_ ring: KeyRing, logger: Logger) -> any TokenSigner {
        guard let active = ring.activeKey else {
            logger.warning(
                "no signing keys; activation and downloads fail until portald keys generate",
                metadata: ["keys.dir": "\(ring.folder)"])
            return MissingTokenSigner()
        }
        logger.info("signing keys loaded", metadata: [
            "keys.dir": "\(ring.folder)", "keys.count": "\(ring.keys.count)", "keys.signing_kid": "\(active.id)",
        ])
        return ring
    }

    /// How often the WAL is copied into the database: at a thousand activations a second, some
    /// 800 pages each time.
    static let checkpointPeriod: Duration = .milliseconds(50)

    /// Starts a thread that makes a component (binding its socket there, since a socket belongs
    /// to its thread) and then runs it; returns once it is made, with its endpoint or its error.
    private static func startThread(
        _ name: String, _ make: @escaping @Sendable () throws -> (endpoint: String, run: () -> Void)
    ) -> (JoinableThread, Result<String, ServerError>) {
        let started = OneShot<Result<String, ServerError>>()
        let thread = JoinableThread(name: name) {
            do {
                let (endpoint, run) = try make()
                started.send(.success(endpoint))
                run()
            } catch {
                started.send(.failure(error as? ServerError ?? ServerError("cannot start \(name): \(error)")))
            }
        }
        return (thread, started.wait())
    }

    /// Asks the server to stop: no new work is admitted, in-flight requests are answered.
    public func requestShutdown() {
        shutdown.fire()
    }

    /// Blocks until the broker and the workers have stopped and the last replies have left, and
    /// the publisher has sent the events they committed.
    ///
    /// A worker still inside a command when the grace period ended is given a few more seconds;
    /// if it is still busy then, `wait` returns without it (its transaction commits or rolls
    /// back on its own; its events are published after the next start) rather than keep the
    /// process from exiting.
    public func wait() {
        broker.join()
        schedulerStop.fire()
        scheduler.join()
        let stragglers = workers.filter { !$0.join(timeout: 3) }
        // The last sync covers every commit made by then, so the publisher may send their events.
        committer?.syncer.stop()
        committer?.thread.join()
        publisherStop.fire()
        publisher.join()
        // A failure was logged when it happened.
        try? checkpoints?.stop()
        guard stragglers.isEmpty else {
            logger.warning("workers still busy after shutdown; exiting without them", metadata: ["workers": "\(stragglers.count)"])
            return
        }
        context.terminate()
    }
}
