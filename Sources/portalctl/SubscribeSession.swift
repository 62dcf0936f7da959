import CommandLineSupport
import Foundation
import PortalProtocol
import ZeroMQ

/// The loop of `portalctl subscribe`: live events from the event socket, gaps filled from the
/// command socket through an `EventSequencer`, each wanted event printed once and in order.
struct SubscribeSession {
    /// What the event socket delivers.
    private enum Message {
        case event(EventSequencer.Event)
        case heartbeat(lastSeq: Int64)
    }

    private let subscriber: ZMQSocket
    private let topics: [String]
    private let replay: ReplayClient?
    private var remaining: Int?

    /// Subscribes before anything is replayed, so no event falls between the replay and the live
    /// stream (the Clone pattern's order). `replay` is `nil` for live events only.
    init(context: ZMQContext, endpoint: String, topics: [String], replay: ReplayClient?, count: Int?) throws {
        subscriber = try ZMQSocket(context: context, type: .sub)
        try subscriber.setLinger(milliseconds: 0)
        for topic in topics.isEmpty ? [EventTopic.allEvents] : topics { try subscriber.subscribe(Array(topic.utf8)) }
        try subscriber.subscribe(Array(EventTopic.heartbeat.utf8))
        do {
            try subscriber.connect(endpoint)
        } catch {
            throw CommandFailure(status: 2, "\(error)")
        }
        self.topics = topics
        self.replay = replay
        remaining = count
    }

    /// Prints events from seq `from` on; without it, from the next event committed.
    mutating func run(from: Int64?) throws {
        var sequencer = try start(from: from)
        while remaining != 0 {
            if let after = sequencer.needsReplay {
                if let replay {
                    let page = try replay.page(after: after, filter: sequencer.replayFilter)
                    output(sequencer.replayed(page.events, after: after, nextAfter: page.nextAfter, lastSeq: page.lastSeq))
                    // The event socket told of events this server does not have yet: ask again
                    // shortly rather than in a tight loop.
                    if page.nextAfter <= after { Thread.sleep(forTimeInterval: 0.1) }
                } else if let gap = sequencer.skipGap() {
                    if seesEveryEvent { warn("missed \(describe(gap.missed)) (no credentials to replay)") }
                    output(gap.ready)
                }
                continue
            }
            switch try receive() {
            case .event(let event): output(sequencer.live(event))
            case .heartbeat(let lastSeq): sequencer.heartbeat(lastSeq: lastSeq)
            }
        }
    }

    private mutating func start(from: Int64?) throws -> EventSequencer {
        if let replay {
            let lastSeq = try replay.lastSeq()
            return EventSequencer(next: from ?? lastSeq + 1, lastSeq: lastSeq, topics: topics)
        }
        warn("no credentials: printing live events only; events the event socket loses cannot be recovered")
        if let from { return EventSequencer(next: from, topics: topics) }
        // With no server to ask, "now" is whatever the event socket says first.
        switch try receive() {
        case .heartbeat(let lastSeq):
            return EventSequencer(next: lastSeq + 1, topics: topics)
        case .event(let event):
            var sequencer = EventSequencer(next: event.seq, topics: topics)
            output(sequencer.live(event))
            return sequencer
        }
    }

    /// Whether the subscription covers every event, so that a skipped seq is a lost event and not
    /// just one of another topic.
    private var seesEveryEvent: Bool {
        topics.isEmpty || topics.contains { EventTopic.allEvents.utf8.starts(with: $0.utf8) }
    }

    /// The next heartbeat or event; malformed messages are skipped (a lost event is found by its
    /// seq's absence, like any other).
    private func receive() throws -> Message {
        while true {
            guard let frames = try subscriber.receive() else { continue }
            guard frames.count == 2, let json = try? JSONParser.parse(frames[1], maxDepth: 512) else {
                warn("ignoring a malformed message on the event socket")
                continue
            }
            if frames[0] == Array(EventTopic.heartbeat.utf8), let lastSeq = json["last_seq"]?.intValue {
                return .heartbeat(lastSeq: lastSeq)
            }
            // The topic as published: the subscription matched it already.
            if let seq = json["seq"]?.intValue {
                return .event(EventSequencer.Event(seq: seq, topic: String(decoding: frames[0], as: UTF8.self), text: frames[1]))
            }
            warn("ignoring a malformed message on the event socket")
        }
    }

    /// Prints each event as one line, written at once so a reader of a pipe sees it promptly,
    /// and stops at the count.
    private mutating func output(_ events: [EventSequencer.Event]) {
        for event in events where remaining != 0 {
            FileHandle.standardOutput.write(Data(event.text + [UInt8(ascii: "\n")]))
            remaining = remaining.map { $0 - 1 }
        }
    }

    private func describe(_ missed: ClosedRange<Int64>) -> String {
        missed.count == 1 ? "event \(missed.lowerBound)" : "events \(missed.lowerBound)…\(missed.upperBound)"
    }

    private func warn(_ message: String) {
        FileHandle.standardError.write(Data("portalctl: \(message)\n".utf8))
    }
}
