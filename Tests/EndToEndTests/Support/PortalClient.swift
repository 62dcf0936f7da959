import Foundation
import PortalProtocol
import ZeroMQ

/// A command-socket client over the project's own ZeroMQ wrapper: one context, one socket.
///
/// Every receive is bounded (`receiveTimeout`) and the socket drops unsent messages on close, so
/// a server that never answers fails the test instead of hanging it. Like any ZeroMQ socket, a
/// client belongs to the thread that made it.
final class PortalClient {
    enum Kind {
        /// Sends the payload frame as is; the server mirrors any envelope frames before it.
        case dealer
        /// Strict send/receive turns; libzmq adds and removes the empty delimiter frame.
        case req
    }

    static let defaultReceiveTimeout: Duration = .seconds(10)

    let kind: Kind
    let receiveTimeout: Duration
    private let context: ZMQContext
    private let socket: ZMQSocket

    init(endpoint: String, kind: Kind = .dealer, receiveTimeout: Duration = defaultReceiveTimeout) throws {
        self.kind = kind
        self.receiveTimeout = receiveTimeout
        context = try ZMQContext()
        socket = try ZMQSocket(context: context, type: kind == .dealer ? .dealer : .req)
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveTimeout(milliseconds: Int32(receiveTimeout / .milliseconds(1)))
        try socket.setSendTimeout(milliseconds: 10_000)
        try socket.connect(endpoint)
    }

    deinit {
        socket.close()
        context.terminate()
    }

    /// Sends one message of raw frames.
    func send(frames: [[UInt8]]) throws {
        try socket.send(frames)
    }

    /// Sends `lines` as one payload frame.
    func send(lines: [String]) throws {
        try socket.send([Self.frame(lines)])
    }

    /// The next message, all its frames; throws when none arrives within the receive timeout.
    func receiveMessage() throws -> [[UInt8]] {
        guard let message = try socket.receive() else { throw HarnessError("no reply within the receive timeout") }
        return message
    }

    /// The next message, or nil when none arrives within `timeout` (default: the receive timeout).
    func receiveMessageIfAny(within timeout: Duration? = nil) throws -> [[UInt8]]? {
        guard let timeout else { return try socket.receive() }
        try socket.setReceiveTimeout(milliseconds: Int32(timeout / .milliseconds(1)))
        defer { try? socket.setReceiveTimeout(milliseconds: Int32(receiveTimeout / .milliseconds(1))) }
        return try socket.receive()
    }

    /// The reply lines of the next message, which must be a single reply frame.
    func receiveReplies() throws -> [JSONValue] {
        let message = try receiveMessage()
        guard message.count == 1 else { throw HarnessError("expected one reply frame, got \(message.count) frames") }
        return try Self.replyLines(message[0])
    }

    /// Sends `lines` as one frame and returns the reply lines.
    func request(_ lines: [String]) throws -> [JSONValue] {
        try send(lines: lines)
        return try receiveReplies()
    }

    /// Sends one request line and returns its single reply line.
    func request(_ line: String) throws -> JSONValue {
        let replies = try request([line])
        guard replies.count == 1 else { throw HarnessError("expected one reply line, got \(replies.count)") }
        return replies[0]
    }

    /// A payload frame: the lines, each ended by a newline.
    static func frame(_ lines: [String]) -> [UInt8] {
        Array(lines.map { $0 + "\n" }.joined().utf8)
    }

    /// Parses a reply frame into its lines.
    static func replyLines(_ frame: [UInt8]) throws -> [JSONValue] {
        try RequestFrameDecoder.lines(in: frame).map { line in
            do throws(JSONParser.Failure) {
                return try JSONParser.parse(line, maxDepth: 512)
            } catch {
                throw HarnessError("reply line is not JSON (\(error.message)): \(String(decoding: line, as: UTF8.self))")
            }
        }
    }
}
