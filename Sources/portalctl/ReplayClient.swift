import CommandLineSupport
import Foundation
import PortalProtocol
import ZeroMQ

/// The command-socket side of `portalctl subscribe`: logs in and asks `events.since`, one request
/// at a time, waiting for each reply.
///
/// A request without a reply within the timeout is sent again under a new id on a new socket (the
/// guide's Lazy Pirate: nothing stale stays queued for a server that comes back), for as long as it
/// takes, so a restarting server is simply waited for; each streak of failures is told once.
final class ReplayClient {
    struct Credentials {
        var email: String
        var password: String
    }

    /// One `events.since` reply.
    struct Page {
        var events: [EventSequencer.Event]
        var nextAfter: Int64
        var lastSeq: Int64
    }

    /// An `"ok":false` reply.
    struct ReplyError: Error, CustomStringConvertible {
        let code: String
        let message: String
        let details: JSONValue?

        init(_ error: JSONValue?) {
            code = error?["code"]?.stringValue ?? "internal"
            message = error?["message"]?.stringValue ?? "an error without a message"
            details = error?["details"]
        }

        var description: String { "\(code): \(message)" }
    }

    /// The most events a page may hold (the protocol's limit).
    static let pageLimit: Int64 = 1_000

    private let context: ZMQContext
    private let endpoint: String
    private let timeout: Double
    private let credentials: Credentials?
    private var token: String?
    private var socket: ZMQSocket
    private var lastID: Int64 = 0
    private var failing = false

    /// Needs `token` or `credentials`; with both, the token is tried first and the credentials
    /// log in again when it has expired.
    init(context: ZMQContext, endpoint: String, timeout: Double, token: String?, credentials: Credentials?) throws {
        self.context = context
        self.endpoint = endpoint
        self.timeout = timeout
        self.token = token
        self.credentials = credentials
        socket = try Self.connect(context: context, endpoint: endpoint)
    }

    /// The last committed seq (a page of `limit: 0`).
    func lastSeq() throws -> Int64 {
        try events(after: 0, limit: 0, filter: nil).lastSeq
    }

    /// The events after `after`, up to a page of them; a pruned range ends the command.
    func page(after: Int64, filter: EventSequencer.ReplayFilter?) throws -> Page {
        try events(after: after, limit: Self.pageLimit, filter: filter)
    }

    private func events(after: Int64, limit: Int64, filter: EventSequencer.ReplayFilter?) throws -> Page {
        var args: [String: JSONValue] = ["after": .int(after), "limit": .int(limit)]
        if let filter {
            args["types"] = [.string(filter.type)]
            args["company"] = filter.company.map(JSONValue.string)
        }
        let result: JSONValue
        do {
            result = try authorized("events.since", args: .object(args))
        } catch let error as ReplyError {
            if error.code == ErrorCode.notFound.rawValue, let oldest = error.details?["oldest_seq"]?.intValue {
                throw CommandFailure(
                    status: 2, "events from seq \(after + 1) on are no longer kept; the oldest available is seq \(oldest)")
            }
            throw CommandFailure(status: 2, "events.since failed: \(error)")
        }
        guard let events = result["events"]?.arrayValue, let nextAfter = result["next_after"]?.intValue,
            let lastSeq = result["last_seq"]?.intValue
        else { throw CommandFailure(status: 2, "events.since replied without events, next_after or last_seq") }
        return Page(
            events: try events.map { json in
                guard let event = EventSequencer.Event(json) else {
                    throw CommandFailure(status: 2, "events.since replied with an event without seq, type or company")
                }
                return event
            },
            nextAfter: nextAfter, lastSeq: lastSeq)
    }

    /// Sends `command` with the session, logging in first, and once more if the session expired.
    private func authorized(_ command: String, args: JSONValue) throws -> JSONValue {
        do {
            if token == nil { token = try logIn() }
            return try call(command, args: args, auth: token)
        } catch let error as ReplyError where error.code == ErrorCode.unauthenticated.rawValue && credentials != nil {
            token = try logIn()
            return try call(command, args: args, auth: token)
        } catch let error as ReplyError where error.code == ErrorCode.unauthenticated.rawValue {
            throw CommandFailure(status: 2, "--auth: \(error.message)")
        }
    }

    private func logIn() throws -> String {
        guard let credentials else { throw CommandFailure(status: 2, "no session: give --auth or --email and --password") }
        do {
            let result = try call(
                "auth.login", args: ["email": .string(credentials.email), "password": .string(credentials.password)], auth: nil)
            guard let token = result["token"]?.stringValue else {
                throw CommandFailure(status: 2, "auth.login replied without a token")
            }
            return token
        } catch let error as ReplyError {
            throw CommandFailure(status: 2, "cannot log in as \(credentials.email): \(error.message)")
        }
    }

    /// The `result` of `command`; retries until there is a reply, and throws `ReplyError` for an
    /// error that retrying cannot cure.
    private func call(_ command: String, args: JSONValue, auth: String?) throws -> JSONValue {
        while true {
            lastID += 1
            var request: [String: JSONValue] = ["id": .int(lastID), "cmd": .string(command), "args": args]
            request["auth"] = auth.map(JSONValue.string)
            guard let reply = try exchange(JSONValue.object(request).serialized() + [UInt8(ascii: "\n")], id: lastID) else {
                reportFailure("no reply from \(endpoint) within \(timeout) s; retrying")
                socket = try Self.connect(context: context, endpoint: endpoint)
                continue
            }
            if reply["ok"] == .bool(true) {
                failing = false
                return reply["result"] ?? .null
            }
            let error = ReplyError(reply["error"])
            // The server is saturated or shutting down: nothing was done, so asking again is safe.
            if error.code == ErrorCode.busy.rawValue || error.code == ErrorCode.rateLimited.rawValue {
                reportFailure("\(command): \(error.message); retrying")
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            failing = false
            throw error
        }
    }

    /// Sends one request line and waits up to the timeout for the reply to it; `nil` without one.
    /// The envelope `[id, empty]` tells the reply apart from late replies to earlier attempts.
    private func exchange(_ line: [UInt8], id: Int64) throws -> JSONValue? {
        let tag = withUnsafeBytes(of: id.bigEndian, Array.init)
        // Never blocks: the socket queues the one request until it is connected.
        try socket.send([tag, [], line])
        var poller = ZMQPoller()
        let item = poller.add(socket)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1_000))
        while ContinuousClock.now < deadline {
            try poller.poll(timeoutMilliseconds: Int((deadline - .now) / .milliseconds(1)) + 1)
            guard poller.isReadable(item) else { continue }
            while let frames = try socket.receive(dontWait: true) {
                guard frames.count == 3, frames[0] == tag, frames[1].isEmpty else { continue }
                guard let reply = try? JSONParser.parse(frames[2], maxDepth: 512) else {
                    throw CommandFailure(status: 2, "the reply from \(endpoint) is not JSON")
                }
                return reply
            }
        }
        return nil
    }

    /// Tells the first failure of a streak; the streak ends with the next reply.
    private func reportFailure(_ message: String) {
        guard !failing else { return }
        failing = true
        FileHandle.standardError.write(Data("portalctl: \(message)\n".utf8))
    }

    private static func connect(context: ZMQContext, endpoint: String) throws -> ZMQSocket {
        let socket = try ZMQSocket(context: context, type: .dealer)
        try socket.setLinger(milliseconds: 0)
        do {
            try socket.connect(endpoint)
        } catch {
            throw CommandFailure(status: 2, "\(error)")
        }
        return socket
    }
}
