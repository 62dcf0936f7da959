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
struct PipelinedSession {
    private let context: ZMQContext
    private let socket: ZMQSocket
    private let window: Int
    private let timeout: Duration
    private var nextSequence: UInt64 = 0
    private var nextToPrint: UInt64 = 0
    private var linesPerFrame: [UInt64: Int] = [:]
    private var arrived: [UInt64: [UInt8]] = [:]
    private(set) var anyFailed = false

    init(endpoint: String, window: Int, timeout: Double) throws {
        context = try ZMQContext()
        socket = try ZMQSocket(context: context, type: .dealer)
        try socket.setLinger(milliseconds: 0)
        try socket.connect(endpoint)
        self.window = window
        self.timeout = .milliseconds(Int64(timeout * 1_000))
    }

    mutating func run(input: LineSource, batch: Int) throws {
        var input = input
        var poller = ZMQPoller()
        let socketItem = poller.add(socket)
        let inputItem = input.pollableDescriptor.map { poller.add(fileDescriptor: $0) }
        var lastProgress = ContinuousClock.now

        while true {
            while linesPerFrame.count < window, !input.lines.isEmpty {
                try sendFrame(input.take(batch))
                lastProgress = .now
            }
            if input.isFinished && input.lines.isEmpty && linesPerFrame.isEmpty { return }
            if let inputItem {
                let wantInput = input.pollableDescriptor != nil && linesPerFrame.count < window
                poller.setEvents(wantInput ? ZMQPoller.readable : 0, at: inputItem)
            }
            let waiting = !linesPerFrame.isEmpty
            let remaining = timeout - (ContinuousClock.now - lastProgress)
            if waiting && remaining <= .zero {
                throw CommandFailure(status: 2, "no reply within \(timeout) (\(linesPerFrame.count) frames unanswered)")
            }
            try poller.poll(timeoutMilliseconds: waiting ? Int(remaining / .milliseconds(1)) + 1 : -1)
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
        try socket.send([withUnsafeBytes(of: sequence.bigEndian, Array.init), [], payload])
    }

    private mutating func receiveReplies() throws {
        while let frames = try socket.receive(dontWait: true) {
            guard frames.count == 3, frames[0].count == 8, frames[1].isEmpty else {
                FileHandle.standardError.write(Data("portalctl: ignoring a malformed reply message\n".utf8))
                continue
            }
            let sequence = frames[0].withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
            guard linesPerFrame[sequence] != nil else { continue }
            arrived[sequence] = frames[2]
        }
        while let reply = arrived.removeValue(forKey: nextToPrint) {
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
