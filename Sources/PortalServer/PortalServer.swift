import Foundation
import Logging
import PortalCore
import PortalService
import PortalStore
import ZeroMQ

/// The running portal worker: store, broker thread and worker threads, from start to stop.
///
/// `start` returns once the sockets are bound, so a caller can print where it listens;
/// `requestShutdown` may come from any thread (a signal handler's queue); `wait` returns after
/// in-flight requests are answered and every thread has ended.
public final class PortalServer: Sendable {
    public let endpoints: ListeningEndpoints
    public let statistics: ServerStatistics
    private let shutdown: ShutdownTrigger
    private let broker: JoinableThread
    private let workers: [JoinableThread]
    private let context: ZMQContext
    private let logger: Logger

    /// Opens and migrates the store, binds the sockets and starts the threads.
    public init(
        configuration: ServerConfiguration, clock: any WallClock = SystemWallClock(), logger: Logger
    ) throws {
        try configuration.validate()
        let store: any Store
        do {
            store = try SQLiteStore(path: configuration.databasePath)
        } catch {
            throw ServerError("cannot open the database \(configuration.databasePath): \(error)")
        }
        let context = try ZMQContext()
        let statistics = ServerStatistics()
        let shutdown = try ShutdownTrigger()
        let backendEndpoint = "inproc://portal-workers-\(UUID().uuidString)"

        let started = OneShot<Result<ListeningEndpoints, ServerError>>()
        let broker = JoinableThread(name: "portal-broker") {
            do {
                let broker = try Broker(
                    context: context, configuration: configuration, backendEndpoint: backendEndpoint,
                    statistics: statistics, shutdown: shutdown, logger: logger)
                started.send(.success(broker.endpoints))
                broker.run()
            } catch let error as ServerError {
                started.send(.failure(error))
            } catch {
                started.send(.failure(ServerError("cannot start the broker: \(error)")))
            }
        }
        let endpoints = try started.wait().get()

        let environment = ServiceEnvironment(
            store: store, clock: clock,
            runtime: RuntimeFacts(
                workerCount: configuration.workerCount, startedAt: clock.now,
                transportVersion: ZMQContext.libraryVersion),
            statistics: statistics, logger: logger, access: AccessPolicy(sessions: configuration.sessionPolicy))
        let executor = CommandExecutor(limits: configuration.limits, environment: environment)
        let workers = (0..<configuration.workerCount).map { index in
            let name = "portal-worker-\(index)"
            return JoinableThread(name: name) {
                Worker.run(name: name, context: context, backendEndpoint: backendEndpoint, executor: executor, logger: logger)
            }
        }
        self.endpoints = endpoints
        self.statistics = statistics
        self.shutdown = shutdown
        self.broker = broker
        self.workers = workers
        self.context = context
        self.logger = logger
    }

    /// Asks the server to stop: no new work is admitted, in-flight requests are answered.
    public func requestShutdown() {
        shutdown.fire()
    }

    /// Blocks until the broker and the workers have stopped and the last replies have left.
    ///
    /// A worker still inside a command when the grace period ended is given a few more seconds;
    /// if it is still busy then, `wait` returns without it (its transaction commits or rolls
    /// back on its own) rather than keep the process from exiting.
    public func wait() {
        broker.join()
        let stragglers = workers.filter { !$0.join(timeout: 3) }
        guard stragglers.isEmpty else {
            logger.warning("workers still busy after shutdown; exiting without them", metadata: ["workers": "\(stragglers.count)"])
            return
        }
        context.terminate()
    }
}
