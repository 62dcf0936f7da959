import Logging
import PortalService
import ZeroMQ

/// Sends reply frames to clients through the command ROUTER without ever blocking the broker.
///
/// The ROUTER runs with ROUTER_MANDATORY and every send is non-blocking, so nothing is dropped
/// silently: a peer whose queue is at its high-water mark gets its reply held here and retried as
/// it drains (replies to one peer stay in order); a peer that has gone is counted and logged once
/// per reply, never retried. A peer that stays connected but does not read for `holdSeconds`
/// loses its held replies, so one stuck client cannot pin the backlog forever.
struct ReplyOutbox {
    private struct HeldReply {
        let routing: [[UInt8]]
        let reply: [UInt8]
        let admission: Admission?
        let since: ContinuousClock.Instant
    }

    private var held: [[UInt8]: FIFOQueue<HeldReply>] = [:]
    private let holdDuration: Duration
    private let statistics: ServerStatistics
    private let logger: Logger

    init(holdSeconds: Double, statistics: ServerStatistics, logger: Logger) {
        self.holdDuration = .milliseconds(Int64(holdSeconds * 1_000))
        self.statistics = statistics
        self.logger = logger
    }

    /// Whether replies are waiting for a slow peer (the broker then polls with a short timeout).
    var hasHeldReplies: Bool { !held.isEmpty }

    /// Sends `reply` along `routing` (the peer's routing id first), or holds it when the peer is slow.
    ///
    /// Replies to admitted work (`admission` set) are held; a rejection (`busy`, `too_large`) to
    /// a peer that is not reading is dropped instead, so a flooding client cannot grow memory.
    /// Returns the admission when its reply is finished with, delivered or dropped.
    mutating func send(_ reply: [UInt8], along routing: [[UInt8]], admission: Admission?, through socket: ZMQSocket) -> Admission? {
        let peer = routing[0]
        // Nothing held is the usual case: then not even the peer's id needs hashing.
        if !held.isEmpty, held[peer] != nil {
            if admission != nil {
                held[peer]!.push(HeldReply(routing: routing, reply: reply, admission: admission, since: .now))
            } else {
                countUndeliverable(peer: peer, reason: "peer not reading")
            }
            return nil
        }
        switch attempt(reply, along: routing, through: socket) {
        case .sent:
            return admission
        case .gone(let reason):
            countUndeliverable(peer: peer, reason: reason)
            return admission
        case .blocked:
            guard let admission else {
                countUndeliverable(peer: peer, reason: "peer not reading")
                return nil
            }
            var queue = FIFOQueue<HeldReply>()
            queue.push(HeldReply(routing: routing, reply: reply, admission: admission, since: .now))
            held[peer] = queue
            return nil
        }
    }

    /// Retries held replies; returns the admissions finished with.
    mutating func flush(through socket: ZMQSocket) -> [Admission] {
        var finished: [Admission] = []
        let now = ContinuousClock.now
        for peer in Array(held.keys) {
            var queue = held.removeValue(forKey: peer)!
            drain: while let reply = queue.first {
                if now - reply.since > holdDuration {
                    countUndeliverable(peer: peer, reason: "peer has not read its replies for too long")
                } else {
                    switch attempt(reply.reply, along: reply.routing, through: socket) {
                    case .sent: break
                    case .gone(let reason): countUndeliverable(peer: peer, reason: reason)
                    case .blocked: break drain
                    }
                }
                _ = queue.pop()
                if let admission = reply.admission { finished.append(admission) }
            }
            if !queue.isEmpty { held[peer] = queue }
        }
        return finished
    }

    private enum Outcome { case sent, blocked, gone(String) }

    private func attempt(_ reply: [UInt8], along routing: [[UInt8]], through socket: ZMQSocket) -> Outcome {
        do {
            return try socket.send(routing, CollectionOfOne(reply), dontWait: true) ? .sent : .blocked
        } catch let error as ZMQError where error.peerUnreachable {
            return .gone("peer disconnected")
        } catch {
            return .gone("\(error)")
        }
    }

    private func countUndeliverable(peer: [UInt8], reason: String) {
        statistics.undeliverableReplies.add(1, ordering: .relaxed)
        logger.warning("reply not delivered", metadata: [
            "zmq.peer": "\(peer.map { String($0, radix: 16) }.joined())", "reason": "\(reason)",
        ])
    }
}
