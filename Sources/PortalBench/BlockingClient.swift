import PortalProtocol
import ZeroMQ

/// One request at a time over its own DEALER, for the bench's setup (logging in, collecting
/// licenses and cursors) and for asking the server's facts before and after a run.
public final class BlockingClient {
    /// An `"ok":false` reply, or no reply in time.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// The reply's error code; nil when there was no reply.
        public let code: String?
    }

    private let socket: ZMQSocket
    private let timeoutMilliseconds: Int
    private var lastID: Int64 = 0

    public init(context: ZMQContext, endpoint: String, timeoutSeconds: Double = 10) throws {
        socket = try ZMQSocket(context: context, type: .dealer)
        try socket.setLinger(milliseconds: 0)
        try socket.connect(endpoint)
        timeoutMilliseconds = Int(timeoutSeconds * 1_000)
    }

    /// The `result` of one command; throws `Failure` for an error reply or none in time.
    public func call(_ command: String, args: JSONValue = [:], auth: String? = nil, view: String? = nil) throws -> JSONValue {
        lastID += 1
        var request: [String: JSONValue] = ["id": .int(lastID), "cmd": .string(command), "args": args]
        request["auth"] = auth.map(JSONValue.string)
        request["view"] = view.map(JSONValue.string)
        try socket.send(JSONValue.object(request).serialized())
        var poller = ZMQPoller()
        let item = poller.add(socket)
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while ContinuousClock.now < deadline {
            try poller.poll(timeoutMilliseconds: Int((deadline - .now) / .milliseconds(1)) + 1)
            guard poller.isReadable(item) else { continue }
            while let frames = try socket.receive(dontWait: true) {
                guard let payload = frames.last, let reply = try? JSONParser.parse(payload, maxDepth: 512),
                      reply["id"] == .int(lastID)
                else { continue }
                if reply["ok"] == .bool(true) { return reply["result"] ?? .null }
                let code = reply["error"]?["code"]?.stringValue ?? "internal"
                throw Failure(description: "\(command): \(code): \(reply["error"]?["message"]?.stringValue ?? "")", code: code)
            }
        }
        throw Failure(description: "\(command): no reply within \(timeoutMilliseconds / 1_000) s", code: nil)
    }
}
