import PortalProtocol
import ZeroMQ

/// The transport's ceiling: a ROUTER that answers every request line with an empty success
/// (`{"id":…,"ok":true,"result":{}}`, the id echoed as written), one reply frame per request
/// frame, the envelope mirrored as `portald` mirrors it. It decodes nothing else and touches no
/// store, so a bench against it measures ZeroMQ, the loopback and the client.
///
/// Replies are sent as `portald` sends them (ROUTER_MANDATORY, non-blocking): one the peer
/// cannot take yet is kept and tried again, one for a peer that has gone is dropped.
public final class EchoServer {
    private let socket: ZMQSocket
    /// The endpoint bound, its wildcard port resolved.
    public let endpoint: String
    private var held: [[[UInt8]]] = []
    /// Reply messages dropped because their peer had gone.
    public private(set) var droppedReplies = 0

    public init(context: ZMQContext, endpoint: String) throws {
        socket = try ZMQSocket(context: context, type: .router)
        try socket.setLinger(milliseconds: 0)
        try socket.setRouterMandatory(true)
        try socket.setSendHighWaterMark(0)
        try socket.setReceiveHighWaterMark(0)
        try socket.bind(endpoint)
        self.endpoint = try socket.lastEndpoint()
    }

    /// Answers until `shouldStop` says so (asked at least every `checkMilliseconds`), or forever.
    public func run(checkMilliseconds: Int = 100, shouldStop: () -> Bool = { false }) throws {
        var poller = ZMQPoller()
        let item = poller.add(socket)
        while !shouldStop() {
            try poller.poll(timeoutMilliseconds: held.isEmpty ? checkMilliseconds : 1)
            if poller.isReadable(item) {
                while let message = try socket.receive(dontWait: true) {
                    if let reply = Self.reply(to: message) { try send(reply) }
                }
            }
            try sendHeld()
        }
    }

    /// The reply message to `message` (routing id, envelope, payload); nil for one without a payload.
    static func reply(to message: [[UInt8]]) -> [[UInt8]]? {
        guard message.count >= 2, let payload = message.last else { return nil }
        var reply = Array(message.dropLast())
        var frame: [UInt8] = []
        for line in RequestFrameDecoder.lines(in: payload) {
            frame.append(contentsOf: #"{"id":"#.utf8)
            frame.append(contentsOf: ReplyScanner.rawID(ofRequest: line) ?? ArraySlice("null".utf8))
            frame.append(contentsOf: #","ok":true,"result":{}}"#.utf8)
            frame.append(UInt8(ascii: "\n"))
        }
        reply.append(frame)
        return reply
    }

    private func send(_ reply: [[UInt8]]) throws {
        guard held.isEmpty else {
            held.append(reply)
            return
        }
        do {
            if try !socket.send(reply, dontWait: true) { held.append(reply) }
        } catch let error as ZMQError where error.peerUnreachable {
            droppedReplies += 1
        }
    }

    private func sendHeld() throws {
        var index = 0
        defer { held.removeFirst(index) }
        while index < held.count {
            do {
                guard try socket.send(held[index], dontWait: true) else { return }
            } catch let error as ZMQError where error.peerUnreachable {
                droppedReplies += 1
            }
            index += 1
        }
    }
}
