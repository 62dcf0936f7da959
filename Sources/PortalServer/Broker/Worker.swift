import Logging
import PortalService
import PortalStore
import ZeroMQ

/// A worker thread's loop: announce readiness, run each job the broker sends (one or more request
/// frames), return their replies together, with the commits they may have seen (when commits are
/// synced later, the broker holds the replies until those are durable).
///
/// The socket is a DEALER created on the worker's own thread; it has at most one job at a time,
/// which is what lets the broker hand work only to idle workers.
enum Worker {
    static func run(
        name: String, number: Int, context: ZMQContext, backendEndpoint: String, executor: CommandExecutor, commitSync: CommitSync?,
        logger: Logger
    ) {
        do {
            let socket = try ZMQSocket(context: context, type: .dealer)
            defer { socket.close() }
            try socket.setRoutingID(WorkerIdentity.routingID(number: number))
            // The broker always takes replies at once; a send that blocks means the broker has
            // gone (its shutdown grace period ended mid-job), and the worker must end too.
            try socket.setSendTimeout(milliseconds: 1_000)
            try socket.connect(backendEndpoint)
            try socket.send(WorkerMessage.ready)
            while let frames = try socket.receive() {
                switch frames.first {
                case WorkerMessage.job where frames.count >= 2:
                    let replies = frames[1...].map(executor.execute(frame:))
                    // Read after the commands ran: it counts every commit they could have read.
                    let done = WorkerMessage.done(commitsSeen: commitSync?.committed ?? 0)
                    try socket.send(CollectionOfOne(done), replies)
                case WorkerMessage.stop:
                    return
                default:
                    logger.error("unexpected message from the broker", metadata: ["worker": "\(name)"])
                }
            }
        } catch {
            logger.critical("worker stopped by a socket error", metadata: ["worker": "\(name)", "error": "\(error)"])
        }
    }
}
