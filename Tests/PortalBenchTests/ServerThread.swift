import Foundation
import Synchronization

/// A test server on a thread of its own (its sockets are made and used there): `start` returns
/// once the server has bound and announced its endpoint; `stop` asks it to end and waits.
final class ServerThread: Sendable {
    /// What the server's body is given: whether to stop, and how to announce its endpoint.
    struct Control: Sendable {
        fileprivate let thread: ServerThread
        var shouldStop: Bool { thread.stopping.load(ordering: .relaxed) }
        func announce(_ endpoint: String) {
            thread.state.withLock { $0.endpoint = endpoint }
            thread.announced.signal()
        }
    }

    private struct State {
        var endpoint: String?
        var failure: String?
    }

    private let stopping = Atomic<Bool>(false)
    private let announced = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let state = Mutex(State())

    /// Runs `body` on a new thread and waits for its endpoint.
    static func start(_ body: @escaping @Sendable (Control) throws -> Void) throws -> (ServerThread, String) {
        let server = ServerThread()
        let thread = Thread {
            do {
                try body(Control(thread: server))
            } catch {
                server.state.withLock { $0.failure = "\(error)" }
                server.announced.signal()
            }
            server.finished.signal()
        }
        thread.start()
        guard server.announced.wait(timeout: .now() + 10) == .success else { throw TestFailure("the server did not start") }
        let state = server.state.withLock { $0 }
        guard let endpoint = state.endpoint else { throw TestFailure("the server failed: \(state.failure ?? "?")") }
        return (server, endpoint)
    }

    func stop() throws {
        stopping.store(true, ordering: .relaxed)
        guard finished.wait(timeout: .now() + 10) == .success else { throw TestFailure("the server did not stop") }
        if let failure = state.withLock({ $0.failure }) { throw TestFailure("the server failed: \(failure)") }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
