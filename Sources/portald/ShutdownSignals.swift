import Dispatch
import Glibc
import PortalServer
import Synchronization

/// Turns SIGINT and SIGTERM into a graceful shutdown of the server.
///
/// Installed before the server starts, so a stop requested during start-up (systemd stopping a
/// unit that is still starting) is remembered and applied as soon as the server exists, instead
/// of being ignored.
final class ShutdownSignals {
    /// What the signal handlers share with `attach`, on whichever thread each runs.
    private final class Request: Sendable {
        struct State {
            var server: PortalServer?
            var requested = false
        }
        let state = Mutex(State())
    }

    private let request = Request()
    private let sources: [any DispatchSourceSignal]

    init() {
        // Ignore the default action (terminate) so the dispatch sources see the signals instead.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let request = self.request
        sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let server = request.state.withLock { state in
                    state.requested = true
                    return state.server
                }
                server?.requestShutdown()
            }
            source.resume()
            return source
        }
    }

    /// The server to stop from now on; stops it at once if a signal came first.
    func attach(_ server: PortalServer) {
        let alreadyRequested = request.state.withLock { state in
            state.server = server
            return state.requested
        }
        if alreadyRequested { server.requestShutdown() }
    }

    func cancel() {
        sources.forEach { $0.cancel() }
    }
}
