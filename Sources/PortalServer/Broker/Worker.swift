import Logging
import PortalService
import ZeroMQ

/// A worker thread's loop: announce readiness, run each job the broker sends (one or more request
/// frames), return their replies together.
///
/// The socket is a DEALER created on the worker's own thread; it has at most one job at a time,
/// which is what lets the broker hand work only to idle workers.
enum Worker {
    static func run(
        name: String, context: ZMQContext, backendEndpoint: String, executor: CommandExecutor, logger: Logger
    ) {
        do {
            let socket = try ZMQSocket(context: context, type: .dealer)
            defer { socket.close() }
            try socket.setRoutingID(Array(name.utf8))
            // The broker always takes replies at once; a send that blocks means the broker has
            // gone (its shutdown grace period ended mid-job), and the worker must end too.
            try socket.setSendTimeout(milliseconds: 1_000)
            try socket.connect(backendEndpoint)
            try socket.send(WorkerMessage.ready)
            while let frames = try socket.receive() {
                switch frames.first {
                case WorkerMessage.job where frames.count >= 2:
                    try socket.send([WorkerMessage.done] + frames[1...].map(executor.execute(frame:)))
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
