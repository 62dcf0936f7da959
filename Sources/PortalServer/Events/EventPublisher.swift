import Foundation
import Logging
import PortalCore
import PortalProtocol
import PortalService
import PortalStore
import ZeroMQ

/// Sends committed events in `seq` order on the PUB socket, a heartbeat every
/// `heartbeatSeconds`, and prunes events past the retention period.
///
/// Runs on its own thread, which alone touches the socket. It reads the outbox rather than being
/// handed events by the workers, so publishing never slows a command, events committed by other
/// nodes sharing the database are published too, and after a crash it resumes from where it had
/// recorded its progress: nothing committed is lost for subscribers (at worst a few events are
/// sent twice, which subscribers drop by `seq`).
final class EventPublisher {
    private let socket: ZMQSocket
    private let store: any Store
    private let clock: any WallClock
    private let configuration: ServerConfiguration
    private let statistics: ServerStatistics
    private let stop: ShutdownTrigger
    private let logger: Logger
    let endpoint: String

    /// How often the outbox is checked for new events: the most a published event lags its commit.
    static let pollMilliseconds = 20
    /// Events read per query while catching up.
    static let batch = 1_000
    /// Progress is recorded at most this often: a crash re-sends at most these seconds of events.
    static let progressInterval: Duration = .seconds(1)
    static let pruneInterval: Duration = .seconds(600)

    init(
        context: ZMQContext, configuration: ServerConfiguration, store: any Store, clock: any WallClock,
        statistics: ServerStatistics, stop: ShutdownTrigger, logger: Logger
    ) throws {
        socket = try ZMQSocket(context: context, type: .pub)
        try socket.setSendHighWaterMark(Int32(configuration.eventHighWaterMark))
        // Events not yet sent at shutdown are in the outbox: nothing to wait for.
        try socket.setLinger(milliseconds: 0)
        try socket.bind(configuration.eventEndpoint, role: "event")
        endpoint = try socket.lastEndpoint()
        self.store = store
        self.clock = clock
        self.configuration = configuration
        self.statistics = statistics
        self.stop = stop
        self.logger = logger
    }

    /// Publishes until `stop` fires, then publishes what is committed by then and records it.
    func run() {
        var published = startingPoint()
        statistics.publishedSeq.store(published, ordering: .relaxed)
        var saved = published
        var lastSave = ContinuousClock.now
        var nextHeartbeat = ContinuousClock.now
        var nextPrune = ContinuousClock.now
        var poller = ZMQPoller()
        let stopItem = poller.add(fileDescriptor: stop.readDescriptor)
        while true {
            do {
                try poller.poll(timeoutMilliseconds: Self.pollMilliseconds)
            } catch {
                logger.critical("polling failed; the event publisher stops", metadata: ["error": "\(error)"])
                break
            }
            let stopping = poller.isReadable(stopItem)
            do {
                published = try publish(after: published)
                let now = ContinuousClock.now
                if now >= nextHeartbeat {
                    sendHeartbeat(lastSeq: published)
                    nextHeartbeat = now + .milliseconds(Int64(configuration.heartbeatSeconds * 1_000))
                }
                if published != saved && (stopping || now - lastSave >= Self.progressInterval) {
                    try store.write { writer in try writer.savePublishedSeq(published, node: configuration.nodeName) }
                    saved = published
                    lastSave = now
                }
                if now >= nextPrune {
                    nextPrune = now + Self.pruneInterval
                    let pruned = try EventRetention(days: configuration.eventRetentionDays).prune(store, now: clock.now)
                    if pruned > 0 { logger.info("pruned events past the retention period", metadata: ["events": "\(pruned)"]) }
                }
            } catch {
                // The store is unreachable for now (e.g. locked too long): try again next round.
                logger.error("publishing events failed; retrying", metadata: ["error": "\(error)"])
            }
            if stopping { break }
        }
        socket.close()
    }

    /// Where this node stopped publishing last time; on its very first start, the present (the
    /// history before it is there for replay, not re-sent live).
    private func startingPoint() -> Int64 {
        do {
            return try store.read { reader in
                let range = try reader.eventRange()
                guard let saved = try reader.publishedSeq(node: configuration.nodeName) else { return range.lastSeq }
                return min(max(saved, range.oldestSeq - 1), range.lastSeq)
            }
        } catch {
            logger.error("cannot read the event outbox; publishing from its start", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// Sends every event committed after `after`, and durable (a power cut could otherwise take
    /// back what subscribers were told); returns the last `seq` sent.
    private func publish(after: Int64) throws -> Int64 {
        var published = after
        let durable = store.deferredSync?.durableEventSeq ?? Int64.max
        while true {
            let events = try store.read { reader in
                try reader.events(after: published, through: durable, types: [], company: nil, limit: Self.batch)
            }
            for event in events {
                // PUB never blocks: a subscriber at its high-water mark loses the event and replays it.
                _ = try socket.send([Array(EventTopic.event(type: event.type, company: event.company).utf8), Array(event.body.utf8)])
            }
            if let last = events.last {
                published = last.seq
                statistics.publishedSeq.store(published, ordering: .relaxed)
            }
            if events.count < Self.batch { return published }
        }
    }

    private func sendHeartbeat(lastSeq: Int64) {
        let body: JSONValue = ["last_seq": .int(lastSeq), "at": .string(RFC3339.string(from: clock.now))]
        do {
            _ = try socket.send([Array(EventTopic.heartbeat.utf8), body.serialized()])
        } catch {
            logger.error("sending a heartbeat failed", metadata: ["error": "\(error)"])
        }
    }
}
