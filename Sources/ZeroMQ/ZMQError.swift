import CZeroMQ
import Glibc

/// A failed libzmq call: the errno it left behind and the operation that failed.
public struct ZMQError: Error, Sendable, CustomStringConvertible {
    /// The errno value libzmq reported (`EAGAIN`, `EHOSTUNREACH`, `EADDRINUSE`, …).
    public let code: Int32
    /// What was being attempted, e.g. `bind tcp://127.0.0.1:5555`.
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The error libzmq reports for the calling thread's last failed call.
    static func last(_ operation: @autoclosure () -> String) -> ZMQError {
        ZMQError(code: zmq_errno(), operation: operation())
    }

    /// libzmq's text for the errno, e.g. "Address already in use".
    public var reason: String { String(cString: zmq_strerror(code)) }

    public var description: String { "\(operation): \(reason)" }

    /// The call would have blocked: a non-blocking send hit the high-water mark, or nothing to receive.
    public var wouldBlock: Bool { code == EAGAIN }
    /// A ROUTER_MANDATORY socket has no connected peer with that routing id.
    public var peerUnreachable: Bool { code == EHOSTUNREACH }
    /// The context is being terminated; the socket must be closed.
    public var contextTerminated: Bool { code == ETERM }
}
