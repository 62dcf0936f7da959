/// Merges the live event stream, heartbeats and `events.since` pages into every wanted event
/// exactly once, in `seq` order: the subscriber's half of the ZeroMQ guide's Clone pattern.
///
/// The live stream is fast but may lose events (PUB drops them at the high-water mark, before the
/// subscription arrives, and across a restart of the server); a replay page is complete but has to
/// be asked for. The sequencer prints what it can at once, holds live events that arrive beyond a
/// gap, and says through `needsReplay` where the missing part starts. Nothing here touches a socket.
public struct EventSequencer: Sendable {
    /// One event as the sequencer orders it, with the text it is printed as.
    public struct Event: Sendable, Equatable {
        public let seq: Int64
        /// `event/<type>/<company>/`, the topic it is (or would be) published under.
        public let topic: String
        /// The event's JSON text.
        public let text: [UInt8]

        public init(seq: Int64, topic: String, text: [UInt8]) {
            self.seq = seq
            self.topic = topic
            self.text = text
        }

        /// The event `json` (`{"seq":…,"type":…,"company":…,…}`), printed as `text` when given (the
        /// bytes as received) or else as its serialization; `nil` when a member it needs is missing.
        public init?(_ json: JSONValue, text: [UInt8]? = nil) {
            guard let seq = json["seq"]?.intValue, let type = json["type"]?.stringValue,
                let company = json["company"]?.stringValue
            else { return nil }
            self.init(seq: seq, topic: EventTopic.event(type: type, company: company), text: text ?? json.serialized())
        }
    }

    /// The `events.since` filters (`types`, `company`) that select exactly the subscribed events.
    public struct ReplayFilter: Sendable, Equatable {
        public let type: String
        public let company: String?

        public init(type: String, company: String?) {
            self.type = type
            self.company = company
        }
    }

    /// The seq of the next event to put out; every lower one has been put out or is not wanted.
    public private(set) var next: Int64
    /// The highest seq known to exist, from heartbeats, live events and replies.
    public private(set) var lastSeq: Int64
    /// The subscribed topic prefixes; empty means every event.
    public let topics: [String]
    /// The most live events held beyond a gap; later ones are dropped and replayed with the gap.
    public let bufferLimit: Int
    /// Live events beyond a gap, by seq; every key is above `next`.
    private var buffered: [Int64: Event] = [:]

    /// Starts with event `next` as the first to put out. Give `lastSeq` when already known, so a gap before it is
    /// replayed at once instead of when the next heartbeat or event reveals it.
    public init(next: Int64, lastSeq: Int64? = nil, topics: [String] = [], bufferLimit: Int = 100_000) {
        self.next = next
        self.lastSeq = max(lastSeq ?? next - 1, next - 1)
        self.topics = topics
        self.bufferLimit = bufferLimit
    }

    /// The `after` to ask `events.since` for, while events from `next` on are known to exist
    /// but have not been put out; `nil` when there is no known gap.
    public var needsReplay: Int64? { lastSeq >= next ? next - 1 : nil }

    /// The server-side filters equivalent to the subscription, to save replay traffic; `nil` when
    /// the topics are not one `event/<type>/` or `event/<type>/<company>/` prefix (the replay then
    /// brings every event and the topics sort them here).
    public var replayFilter: ReplayFilter? {
        guard topics.count == 1 else { return nil }
        let parts = topics[0].split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 || parts.count == 4, parts.first == "event", parts.last == "",
            parts.dropFirst().dropLast().allSatisfy({ !$0.isEmpty })
        else { return nil }
        return ReplayFilter(type: String(parts[1]), company: parts.count == 4 ? String(parts[2]) : nil)
    }

    /// Takes an event from the live stream; returns the events now ready to put out, in order.
    public mutating func live(_ event: Event) -> [Event] {
        lastSeq = max(lastSeq, event.seq)
        guard event.seq >= next, wants(event) else { return [] }
        guard event.seq == next else {
            if buffered.count < bufferLimit { buffered[event.seq] = event }
            return []
        }
        next += 1
        return [event] + releaseBuffered()
    }

    /// Takes a heartbeat: the server has committed every event up to `lastSeq`.
    public mutating func heartbeat(lastSeq: Int64) {
        self.lastSeq = max(self.lastSeq, lastSeq)
    }

    /// Takes an `events.since` page: `events` are all the events (of the replay filter, if any)
    /// in `(after, nextAfter]`, and `lastSeq` is the server's `last_seq`. Returns the events now
    /// ready to put out, in order.
    ///
    /// Events between them that are not wanted leave natural gaps, which the page closes: `next`
    /// moves past `nextAfter` either way. A page starting beyond `next` proves nothing about the
    /// events before it and is ignored.
    public mutating func replayed(_ events: [Event], after: Int64, nextAfter: Int64, lastSeq: Int64) -> [Event] {
        self.lastSeq = max(self.lastSeq, lastSeq, nextAfter)
        guard after < next, nextAfter >= next else { return [] }
        var ready: [Int64: Event] = [:]
        for event in events where (next...nextAfter).contains(event.seq) && wants(event) {
            ready[event.seq] = event
        }
        // Live events the page covers are normally in it too; keeping them anyway costs nothing.
        for (seq, event) in buffered where seq <= nextAfter {
            ready[seq] = ready[seq] ?? event
            buffered[seq] = nil
        }
        next = nextAfter + 1
        return ready.keys.sorted().map { ready[$0]! } + releaseBuffered()
    }

    /// Gives up on the known gap, for a subscriber that cannot replay: moves `next` to the first
    /// held live event (or past `lastSeq`). Returns the seqs never seen (not all of them wanted,
    /// when the topics filter) and the events now ready; `nil` when there is no gap.
    public mutating func skipGap() -> (missed: ClosedRange<Int64>, ready: [Event])? {
        guard lastSeq >= next else { return nil }
        let resume = buffered.keys.min() ?? lastSeq + 1
        let missed = next...(resume - 1)
        next = resume
        return (missed, releaseBuffered())
    }

    /// Byte-wise prefix matching, as ZeroMQ subscriptions match topics.
    private func wants(_ event: Event) -> Bool {
        topics.isEmpty || topics.contains { event.topic.utf8.starts(with: $0.utf8) }
    }

    /// Takes the held events that follow on from `next` without a gap.
    private mutating func releaseBuffered() -> [Event] {
        var ready: [Event] = []
        while let event = buffered.removeValue(forKey: next) {
            ready.append(event)
            next += 1
        }
        return ready
    }
}
