import CommandLineSupport
import Foundation
import Glibc
import PortalProtocol
import ZeroMQ

/// Sends frames of request lines over one DEALER socket with a window of frames in flight, and
/// prints the replies in request order.
///
/// Each frame goes out as `[sequence number, empty delimiter, payload]`; the server mirrors the
/// envelope, so each reply names the frame it answers even when workers finish out of order.
/// A frame the server refused whole with `busy` ran nothing, so it is sent again after a pause
/// that doubles each time, up to `busyRetries` times; only then is its `busy` reply printed.
/// Each refusal also halves the frames kept in flight, and each frame answered lets one more
/// in again, up to `window`: the session settles at what the server can take, instead of
/// keeping it saturated with frames it can only refuse.
struct PipelinedSession {
    private let context: ZMQContext
    private let socket: ZMQSocket
    private let window: Int
    /// Frames in flight allowed now: `window`, less after `busy` refusals.
    private var allowedInFlight: Int
    /// Frames sent and not answered yet.
    private var inFlight = 0
    private let timeout: Duration
    private var nextSequence: UInt64 = 0
    private var nextToPrint: UInt64 = 0
    private var linesPerFrame: [UInt64: Int] = [:]
    private var arrived: [UInt64: [UInt8]] = [:]
    /// Frames awaiting their replies, kept to be sent again when refused as `busy`.
    private var payloads: [UInt64: [UInt8]] = [:]
    private var busyRefusals: [UInt64: Int] = [:]
    private var resendAt: [UInt64: ContinuousClock.Instant] = [:]

    static let busyRetries = 8
    static let firstBusyPause: Duration = .milliseconds(20)
    private(set) var anyFailed = false

    init(endpoint: String, window: Int, timeout: Double) throws {
        context = try ZMQContext()
        socket = try ZMQSocket(context: context, type: .dealer)
        try socket.setLinger(milliseconds: 0)
        try socket.connect(endpoint)
        self.window = window
        allowedInFlight = window
        self.timeout = .milliseconds(Int64(timeout * 1_000))
    }

    mutating func run(input: LineSource, batch: Int) throws {
        var input = input
        var poller = ZMQPoller()
        let socketItem = poller.add(socket)
        let inputItem = input.pollableDescriptor.map { poller.add(fileDescriptor: $0) }
        var lastProgress = ContinuousClock.now

        while true {
            // The timeout counts from the last frame sent or reply received: a pause before
            // sending a refused frame again is the client's own wait, not the server's silence.
            if try resendDueFrames() { lastProgress = .now }
            while linesPerFrame.count < window, inFlight < allowedInFlight, !input.lines.isEmpty {
                try sendFrame(input.take(batch))
                lastProgress = .now
            }
            if input.isFinished && input.lines.isEmpty && linesPerFrame.isEmpty { return }
            if let inputItem {
                let wantInput = input.pollableDescriptor != nil && linesPerFrame.count < window && inFlight < allowedInFlight
                poller.setEvents(wantInput ? ZMQPoller.readable : 0, at: inputItem)
            }
            let waiting = inFlight > 0
            let remaining = timeout - (ContinuousClock.now - lastProgress)
            if waiting && remaining <= .zero {
                throw CommandFailure(status: 2, "no reply within \(timeout) (\(inFlight) frames unanswered)")
            }
            var wait: Duration? = waiting ? remaining : nil
            if inFlight < allowedInFlight, let nextResend = resendAt.values.min() {
                wait = min(wait ?? .seconds(3_600), max(.zero, nextResend - .now))
            }
            try poller.poll(timeoutMilliseconds: wait.map { Int($0 / .milliseconds(1)) + 1 } ?? -1)
            if poller.isReadable(socketItem) {
                try receiveReplies()
                lastProgress = .now
            }
            if let inputItem, poller.isReadable(inputItem) {
                try input.readAvailable()
            }
        }
    }

    private mutating func sendFrame(_ lines: [[UInt8]]) throws {
        let sequence = nextSequence
        nextSequence += 1
        linesPerFrame[sequence] = lines.count
        let payload = Array(lines.joined(separator: [UInt8(ascii: "\n")])) + [UInt8(ascii: "\n")]
        payloads[sequence] = payload
        try send(payload, sequence: sequence)
    }

    private mutating func send(_ payload: [UInt8], sequence: UInt64) throws {
        try socket.send([withUnsafeBytes(of: sequence.bigEndian, Array.init), [], payload])
        inFlight += 1
    }

    /// Refused frames whose pause is over, oldest first, as far as the frames allowed in flight
    /// go: they come before new input. Returns whether any was sent.
    private mutating func resendDueFrames() throws -> Bool {
        let now = ContinuousClock.now
        var sent = false
        for (sequence, due) in resendAt.sorted(by: { $0.key < $1.key }) where due <= now && inFlight < allowedInFlight {
            resendAt[sequence] = nil
            if let payload = payloads[sequence] {
                try send(payload, sequence: sequence)
                sent = true
            }
        }
        return sent
    }

    /// Whether every line of a reply frame is a `busy` error: the frame was refused whole.
    private static func isRefusedAsBusy(_ frame: [UInt8]) -> Bool {
        let lines = RequestFrameDecoder.lines(in: frame)
        return !lines.isEmpty && lines.allSatisfy { line in
            (try? JSONParser.parse(line, maxDepth: 8))?["error"]?["code"] == .string(ErrorCode.busy.rawValue)
        }
    }

    private mutating func receiveReplies() throws {
        while let frames = try socket.receive(dontWait: true) {
            guard frames.count == 3, frames[0].count == 8, frames[1].isEmpty else {
                FileHandle.standardError.write(Data("portalctl: ignoring a malformed reply message\n".utf8))
                continue
            }
            let sequence = frames[0].withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
            guard linesPerFrame[sequence] != nil else { continue }
            inFlight -= 1
            let refusals = busyRefusals[sequence, default: 0]
            if refusals < Self.busyRetries && Self.isRefusedAsBusy(frames[2]) {
                busyRefusals[sequence] = refusals + 1
                resendAt[sequence] = .now + Self.firstBusyPause * (1 << refusals)
                allowedInFlight = max(1, allowedInFlight / 2)
                continue
            }
            arrived[sequence] = frames[2]
            allowedInFlight = min(window, allowedInFlight + 1)
        }
        while let reply = arrived.removeValue(forKey: nextToPrint) {
            payloads[nextToPrint] = nil
            busyRefusals[nextToPrint] = nil
            let expected = linesPerFrame.removeValue(forKey: nextToPrint) ?? 0
            try printReply(reply, expectedLines: expected)
            nextToPrint += 1
        }
    }

    private mutating func printReply(_ frame: [UInt8], expectedLines: Int) throws {
        let lines = RequestFrameDecoder.lines(in: frame)
        for line in lines {
            if (try? JSONParser.parse(line, maxDepth: 512))?["ok"] != .bool(true) { anyFailed = true }
        }
        if lines.count != expectedLines {
            anyFailed = true
            FileHandle.standardError.write(Data(
                "portalctl: a frame of \(expectedLines) requests got \(lines.count) reply lines\n".utf8))
        }
        FileHandle.standardOutput.write(Data(frame))
    }
}
