import Glibc
import PortalProtocol
import ZeroMQ

/// Runs one bench: connections as DEALER sockets, each request line in a frame of its own with
/// an id that its reply echoes, a closed loop (a fixed window in flight per connection) or an
/// open loop (requests due at a fixed rate), and every reply matched to its request by id.
///
/// Everything runs on the calling thread, so the client takes one core at most of a machine it
/// shares with the server; libzmq's I/O thread moves the bytes.
///
/// In a closed loop a request answered `busy` leaves its place in the window empty for
/// `busyPause`, as a client that honours `busy` would: sending again at once would measure how
/// fast the server can refuse, and take the cores it needs to work.
public final class BenchRunner {
    /// A request in flight.
    private struct Pending {
        var connection: Int32
        var operation: Int32
        var tag: Int
        /// When it was due (open loop) or sent (closed loop), in nanoseconds from the run's start.
        var start: Int64
        /// The rate segment it belongs to; -1 during warm-up.
        var segment: Int32
    }

    /// A connection and, in an open loop, its requests that are due but wait for the window.
    private final class Connection {
        let socket: ZMQSocket
        var inFlight = 0
        /// Closed loop: when each place in the window that was answered `busy` may be used again.
        var pausedUntil: [Int64] = []
        var waiting: [(due: Int64, segment: Int32, operation: Int)] = []
        var waitingHead = 0

        init(socket: ZMQSocket) {
            self.socket = socket
        }

        var hasWaiting: Bool { waitingHead < waiting.count }

        func takeWaiting() -> (due: Int64, segment: Int32, operation: Int) {
            let next = waiting[waitingHead]
            waitingHead += 1
            if waitingHead > 4_096 && waitingHead * 2 > waiting.count {
                waiting.removeFirst(waitingHead)
                waitingHead = 0
            }
            return next
        }
    }

    /// How long a closed loop's place in the window stays empty after a `busy` reply.
    public static let busyPause: Int64 = 10_000_000

    private let configuration: BenchConfiguration
    private let workload: BenchWorkload
    private let connections: [Connection]
    private var pending: [Int64: Pending] = [:]
    private var nextID: Int64 = 1
    private var line: [UInt8] = []
    /// When the run started: every time is counted from here.
    private var origin = ContinuousClock.now
    /// An open loop's due times; nil for a closed loop.
    private var schedule: OpenLoopSchedule?
    /// When measuring starts and sending ends, in nanoseconds from the run's start.
    private let measurementStart: Int64
    private let sendEnd: Int64
    private var measurement: BenchMeasurement

    public init(context: ZMQContext, endpoint: String, configuration: BenchConfiguration, workload: BenchWorkload) throws {
        self.configuration = configuration
        self.workload = workload
        connections = try (0..<configuration.connections).map { _ in
            let socket = try ZMQSocket(context: context, type: .dealer)
            try socket.setLinger(milliseconds: 0)
            // The window bounds what is queued; a high-water mark could only drop or block.
            try socket.setSendHighWaterMark(0)
            try socket.setReceiveHighWaterMark(0)
            try socket.connect(endpoint)
            return Connection(socket: socket)
        }
        let segmentBounds: [Range<Int64>]
        if let rate = configuration.rate {
            let schedule = OpenLoopSchedule(profile: rate, warmupSeconds: configuration.warmupSeconds)
            let start = schedule.measurementStart
            segmentBounds = rate.segments.indices.map { index in
                let bounds = schedule.bounds(ofSegment: index)
                return (bounds.lowerBound - start)..<(bounds.upperBound - start)
            }
            self.schedule = schedule
            measurementStart = start
            sendEnd = schedule.end
        } else {
            measurementStart = OpenLoopSchedule.nanoseconds(configuration.warmupSeconds)
            sendEnd = measurementStart + OpenLoopSchedule.nanoseconds(configuration.durationSeconds)
            segmentBounds = [0..<(sendEnd - measurementStart)]
        }
        measurement = BenchMeasurement(segmentBounds: segmentBounds, operationNames: workload.operations.map(\.name))
    }

    /// Runs the warm-up, the measured part and the drain; `progress` is called about twice a second.
    public func run(progress: ((BenchProgress) -> Void)? = nil) throws -> BenchMeasurement {
        origin = .now
        let drainEnd = sendEnd + OpenLoopSchedule.nanoseconds(configuration.drainSeconds)
        var poller = ZMQPoller()
        for connection in connections { _ = poller.add(connection.socket) }
        var reporter = ProgressReporter(callback: progress)
        var scheduled = 0

        if schedule == nil {
            for index in connections.indices {
                for _ in 0..<configuration.window {
                    let time = now()
                    try send(on: index, start: time, segment: segment(at: time), operation: workload.pick())
                }
            }
        }
        while true {
            let time = now()
            let sending = time < sendEnd
            if var schedule {
                // Due requests are counted as sent when due: one that never leaves the client
                // (its connection's window stayed full) is still offered load, unanswered.
                while let slot = schedule.peek(), slot.time <= time {
                    _ = schedule.next()
                    let operation = workload.pick()
                    count(sentIn: Int32(slot.segment), operation: operation)
                    connections[scheduled % connections.count].waiting.append((slot.time, Int32(slot.segment), operation))
                    scheduled += 1
                }
                self.schedule = schedule
                for index in connections.indices { try sendWaiting(on: index) }
            }
            if (!sending && pending.isEmpty) || time >= drainEnd { break }

            var until = min(reporter.nextReport, sending ? sendEnd : drainEnd)
            if sending, let due = schedule?.peek()?.time { until = min(until, due) }
            if sending, let resume = connections.lazy.compactMap({ $0.pausedUntil.min() }).min() { until = min(until, resume) }
            try poller.poll(timeoutMilliseconds: pollTimeout(from: time, until: until))
            let closedLoopSending = schedule == nil && now() < sendEnd
            for index in connections.indices {
                if poller.isReadable(index) {
                    try receive(on: index, refill: closedLoopSending)
                } else if closedLoopSending && !connections[index].pausedUntil.isEmpty {
                    try refill(index)
                }
            }
            let reportTime = now()
            reporter.report(at: reportTime) { snapshot(at: reportTime, drainEnd: drainEnd) }
        }
        for request in pending.values where request.segment >= 0 {
            countUnanswered(start: request.start, segment: request.segment, operation: Int(request.operation))
        }
        for connection in connections {
            while connection.hasWaiting {
                let request = connection.takeWaiting()
                if request.segment >= 0 { countUnanswered(start: request.due, segment: request.segment, operation: request.operation) }
            }
        }
        measurement.notes = workload.operations.compactMap(\.note)
        return measurement
    }

    /// Nanoseconds since the run started.
    private func now() -> Int64 {
        let elapsed = (ContinuousClock.now - origin).components
        return elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
    }

    /// The segment of a closed-loop request sent at `time`: -1 in the warm-up, else 0.
    private func segment(at time: Int64) -> Int32 { time < measurementStart ? -1 : 0 }

    /// How long the poll may wait, in milliseconds, to wake by `until`. With less than a
    /// millisecond left (an open loop's next request is due) it sleeps the rest precisely and
    /// then only looks, so requests leave on time without spinning on a core the server needs.
    private func pollTimeout(from time: Int64, until: Int64) -> Int {
        let remaining = until - time
        if remaining <= 0 { return 0 }
        if remaining < 1_000_000 {
            var pause = timespec(tv_sec: 0, tv_nsec: Int(remaining))
            nanosleep(&pause, nil)
            return 0
        }
        return Int(remaining / 1_000_000)
    }

    private func send(on index: Int, start: Int64, segment: Int32, operation: Int) throws {
        let id = nextID
        nextID += 1
        line.removeAll(keepingCapacity: true)
        let tag = workload.operations[operation].request(id: id, into: &line)
        guard try connections[index].socket.send(line, dontWait: true) else {
            throw BenchError("a request could not be queued on connection \(index)")
        }
        pending[id] = Pending(connection: Int32(index), operation: Int32(operation), tag: tag, start: start, segment: segment)
        connections[index].inFlight += 1
        if configuration.rate == nil { count(sentIn: segment, operation: operation) }
    }

    private func count(sentIn segment: Int32, operation: Int) {
        guard segment >= 0 else { return }
        measurement.total.sent += 1
        measurement.segments[Int(segment)].sent += 1
        measurement.operations[operation].tally.sent += 1
    }

    private func countUnanswered(start: Int64, segment: Int32, operation: Int) {
        measurement.total.unanswered += 1
        measurement.segments[Int(segment)].unanswered += 1
        measurement.operations[operation].tally.unanswered += 1
        measurement.timeline.recordUnanswered(start: start - measurementStart)
    }

    private func sendWaiting(on index: Int) throws {
        let connection = connections[index]
        while connection.inFlight < configuration.window && connection.hasWaiting {
            let request = connection.takeWaiting()
            try send(on: index, start: request.due, segment: request.segment, operation: request.operation)
        }
    }

    private func receive(on index: Int, refill: Bool) throws {
        let connection = connections[index]
        while let frames = try connection.socket.receive(dontWait: true) {
            let received = now()
            for frame in frames {
                RequestFrameDecoder.forEachLine(in: frame) { handle(frame[$0], receivedAt: received) }
            }
        }
        if refill {
            try self.refill(index)
        } else if configuration.rate != nil {
            try sendWaiting(on: index)
        }
    }

    /// Closed loop: fills the connection's window, but for the places still paused after `busy`.
    private func refill(_ index: Int) throws {
        let connection = connections[index]
        let time = now()
        connection.pausedUntil.removeAll { $0 <= time }
        while connection.inFlight + connection.pausedUntil.count < configuration.window {
            try send(on: index, start: time, segment: segment(at: time), operation: workload.pick())
        }
    }

    private func handle(_ line: ArraySlice<UInt8>, receivedAt received: Int64) {
        guard let reply = ReplyScanner.scan(line), let id = reply.integerID, let request = pending.removeValue(forKey: id) else {
            measurement.unmatchedReplies += 1
            return
        }
        let connection = connections[Int(request.connection)]
        connection.inFlight -= 1
        if schedule == nil && reply.errorCode == ErrorCode.busy.rawValue {
            connection.pausedUntil.append(received + Self.busyPause)
        }
        let operation = workload.operations[Int(request.operation)]
        operation.replied(tag: request.tag, reply: reply)
        guard request.segment >= 0 else { return }
        let outcome = reply.outcome
        let latency = received - request.start
        measurement.total.record(outcome: outcome, latency: latency)
        measurement.segments[Int(request.segment)].record(outcome: outcome, latency: latency)
        measurement.operations[Int(request.operation)].tally.record(outcome: outcome, latency: latency)
        measurement.timeline.record(start: request.start - measurementStart, end: received - measurementStart, outcome: outcome)
    }

    private func snapshot(at time: Int64, drainEnd: Int64) -> BenchProgress {
        let (phase, start, end): (BenchProgress.Phase, Int64, Int64) =
            time < measurementStart ? (.warmup, 0, measurementStart)
            : time < sendEnd ? (.measuring, measurementStart, sendEnd) : (.draining, sendEnd, drainEnd)
        let total = measurement.total
        return BenchProgress(
            phase: phase, elapsedSeconds: Double(time - start) / 1e9, phaseSeconds: Double(end - start) / 1e9,
            sent: total.sent, replies: total.replies, busy: total.busyReplies, failed: total.failedReplies,
            inFlight: pending.count, recentRate: 0)
    }
}

/// Calls the progress callback every half second with the reply rate since the previous call.
private struct ProgressReporter {
    static let interval: Int64 = 500_000_000

    let callback: ((BenchProgress) -> Void)?
    /// When the next report is due, in the runner's nanoseconds; never without a callback.
    private(set) var nextReport: Int64 = interval
    private var lastReplies: Int64 = 0
    private var lastTime: Int64 = 0

    init(callback: ((BenchProgress) -> Void)?) {
        self.callback = callback
        if callback == nil { nextReport = .max }
    }

    mutating func report(at time: Int64, _ snapshot: () -> BenchProgress) {
        guard let callback, time >= nextReport else { return }
        var progress = snapshot()
        progress.recentRate = Double(progress.replies - lastReplies) / (Double(time - lastTime) / 1e9)
        lastReplies = progress.replies
        lastTime = time
        nextReport = time + Self.interval
        callback(progress)
    }
}
