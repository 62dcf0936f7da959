import CZeroMQ
import Foundation
import Logging
import PortalProtocol
import PortalService
import ZeroMQ

/// Owns the client-facing sockets and hands frames to idle workers (the load-balancing broker).
///
/// Runs on one thread, which creates and alone touches its sockets. It never executes a command:
/// it admits a frame against the bounded backlog (or answers `busy` at once), gives it to a worker
/// that has said it is idle, and sends the worker's reply back along the client's envelope.
/// Frames wait in a FIFO backlog while every worker is busy, so a slow command holds up only
/// the worker running it.
final class Broker {
    private let configuration: ServerConfiguration
    private let statistics: ServerStatistics
    private let logger: Logger
    private let decoder: RequestFrameDecoder
    private let shutdown: ShutdownTrigger

    private let frontend: ZMQSocket
    private let backend: ZMQSocket
    /// Where the command socket listens, a wildcard port resolved.
    let endpoint: String

    private var outbox: ReplyOutbox
    private var idleWorkers: [[UInt8]] = []
    private var knownWorkers: Set<[UInt8]> = []
    private var jobsByWorker: [[UInt8]: Job] = [:]
    private var backlog = FIFOQueue<Job>()
    private var backlogLines = 0
    private var backlogBytes = 0

    private static let shuttingDown = "the server is shutting down; retry shortly or on another node"

    /// A frame admitted for execution, with the envelope to answer along.
    private struct Job {
        let routing: [[UInt8]]
        let payload: [UInt8]
        let admission: Admission
    }

    /// Creates and binds the sockets; throws with the endpoint named when one cannot be bound.
    init(
        context: ZMQContext, configuration: ServerConfiguration, backendEndpoint: String,
        statistics: ServerStatistics, shutdown: ShutdownTrigger, logger: Logger
    ) throws {
        self.configuration = configuration
        self.statistics = statistics
        self.logger = logger
        self.shutdown = shutdown
        self.decoder = RequestFrameDecoder(limits: configuration.limits)
        self.outbox = ReplyOutbox(holdSeconds: configuration.replyHoldSeconds, statistics: statistics, logger: logger)

        frontend = try ZMQSocket(context: context, type: .router)
        try frontend.setRouterMandatory(true)
        try frontend.setMaxMessageSize(Int64(configuration.hardMaxMessageBytes))
        try frontend.bind(configuration.commandEndpoint, role: "command")

        backend = try ZMQSocket(context: context, type: .router)
        try backend.setRouterMandatory(true)
        try backend.bind(backendEndpoint)

        endpoint = try frontend.lastEndpoint()
    }

    /// Serves until shutdown is requested and the in-flight work is answered (or the grace period
    /// is over), then stops the workers and closes the sockets.
    func run() {
        var poller = ZMQPoller()
        let backendItem = poller.add(backend)
        let frontendItem = poller.add(frontend)
        let shutdownItem = poller.add(fileDescriptor: shutdown.readDescriptor)
        var drainDeadline: ContinuousClock.Instant?

        while true {
            if let deadline = drainDeadline {
                // Nothing in flight: answer (busy) whatever clients have already queued at the
                // socket, so no request that reached the server goes unanswered, then stop.
                if backlogLines == 0 && !receiveFromClients(stopping: true) && backlogLines == 0 && !outbox.hasHeldReplies {
                    break
                }
                if ContinuousClock.now >= deadline {
                    logger.warning("shutdown grace period over", metadata: ["backlog.lines": "\(backlogLines)"])
                    answerWaitingJobsBusy()
                    break
                }
            }
            do {
                try poller.poll(timeoutMilliseconds: pollTimeout(until: drainDeadline))
            } catch {
                logger.critical("polling failed; stopping", metadata: ["error": "\(error)"])
                break
            }
            if poller.isReadable(shutdownItem), drainDeadline == nil {
                drainDeadline = .now + .milliseconds(Int64(configuration.shutdownGraceSeconds * 1_000))
                poller.setEvents(0, at: shutdownItem)
                logger.notice("shutting down: answering in-flight requests", metadata: ["backlog.lines": "\(backlogLines)"])
            }
            if poller.isReadable(backendItem) { receiveFromWorkers() }
            if poller.isReadable(frontendItem) { receiveFromClients(stopping: drainDeadline != nil) }
            if outbox.hasHeldReplies { release(outbox.flush(through: frontend)) }
        }
        stopWorkers()
        frontend.close()
        backend.close()
    }

    /// Waits indefinitely when idle, briefly while replies are held for slow peers, and never past
    /// the shutdown deadline.
    private func pollTimeout(until deadline: ContinuousClock.Instant?) -> Int {
        var timeout = outbox.hasHeldReplies ? 5 : -1
        if let deadline {
            let remaining = max(0, Int((deadline - .now) / .milliseconds(1)) + 1)
            timeout = timeout < 0 ? remaining : min(timeout, remaining)
        }
        return timeout
    }

    // MARK: - Clients

    /// Takes the waiting client messages, a bounded number per round so workers' replies are
    /// never starved behind a flood of requests. Returns whether any message was taken.
    @discardableResult
    private func receiveFromClients(stopping: Bool) -> Bool {
        for count in 0..<256 {
            let frames: [[UInt8]]
            do {
                guard let received = try frontend.receive(dontWait: true) else { return count > 0 }
                frames = received
            } catch {
                logger.error("receiving a client message failed", metadata: ["error": "\(error)"])
                return count > 0
            }
            handleClientMessage(ClientEnvelope(frames: frames), stopping: stopping)
        }
        return true
    }

    private func handleClientMessage(_ envelope: ClientEnvelope, stopping: Bool) {
        guard envelope.payloads.count == 1, let payload = envelope.payloads.first else {
            reject(envelope, with: .badRequest(
                "expected exactly one payload frame after the envelope, got \(envelope.payloads.count)"))
            return
        }
        let lines: [ArraySlice<UInt8>]
        switch decoder.checkedLines(payload) {
        case .failure(let error):
            statistics.tooLargeFrames.add(1, ordering: .relaxed)
            reject(envelope, with: error)
            return
        case .success(let checked):
            lines = checked
        }
        if lines.isEmpty {
            // Only blank lines: the reply holds no lines either, and no worker is needed for that.
            release(outbox.send(envelope.routing + [[]], admission: nil, through: frontend))
            return
        }
        if stopping {
            answerBusy(envelope, lines: lines, reason: Self.shuttingDown)
            return
        }
        guard backlogLines + lines.count <= configuration.backlogLines,
              backlogBytes + payload.count <= configuration.backlogBytes
        else {
            answerBusy(envelope, lines: lines, reason: "the server is at capacity; retry shortly")
            return
        }
        let job = Job(routing: envelope.routing, payload: payload, admission: Admission(lines: lines.count, bytes: payload.count))
        backlogLines += job.admission.lines
        backlogBytes += job.admission.bytes
        statistics.admittedLines.add(lines.count, ordering: .relaxed)
        statistics.backlogLines.store(backlogLines, ordering: .relaxed)
        if let worker = idleWorkers.popLast() {
            dispatch(job, to: worker)
        } else {
            backlog.push(job)
        }
    }

    /// Answers every line of a frame with `busy`, echoing each line's id.
    private func answerBusy(_ envelope: ClientEnvelope, lines: [ArraySlice<UInt8>], reason: String) {
        statistics.busyLines.add(lines.count, ordering: .relaxed)
        let reply = replyFrame(answering: lines, with: PortalError(.busy, reason))
        release(outbox.send(envelope.routing + [reply], admission: nil, through: frontend))
    }

    /// A reply frame answering every line with the same error, each line's id echoed.
    private func replyFrame(answering lines: [ArraySlice<UInt8>], with error: PortalError) -> [UInt8] {
        var writer = ReplyFrameWriter()
        for line in lines { writer.appendFailure(id: decoder.decodeLine(line).id, error: error) }
        return writer.bytes
    }

    /// Answers a whole frame with a single error line.
    private func reject(_ envelope: ClientEnvelope, with error: PortalError) {
        var writer = ReplyFrameWriter()
        writer.appendFailure(id: .null, error: error)
        release(outbox.send(envelope.routing + [writer.bytes], admission: nil, through: frontend))
    }

    // MARK: - Workers

    private func receiveFromWorkers() {
        while true {
            let frames: [[UInt8]]
            do {
                guard let received = try backend.receive(dontWait: true) else { return }
                frames = received
            } catch {
                logger.error("receiving a worker message failed", metadata: ["error": "\(error)"])
                return
            }
            guard frames.count >= 2 else { continue }
            let worker = frames[0]
            switch frames[1] {
            case WorkerMessage.ready:
                knownWorkers.insert(worker)
            case WorkerMessage.done where frames.count == 3:
                if let job = jobsByWorker.removeValue(forKey: worker) {
                    release(outbox.send(job.routing + [frames[2]], admission: job.admission, through: frontend))
                }
            default:
                logger.error("unexpected message from a worker")
                continue
            }
            if let job = backlog.pop() {
                dispatch(job, to: worker)
            } else {
                idleWorkers.append(worker)
            }
        }
    }

    /// Frames admitted but never started are answered `busy` when the grace period ends: nothing
    /// of them ran, so the client may safely retry. Frames still running cannot be answered.
    private func answerWaitingJobsBusy() {
        while let job = backlog.pop() {
            let lines = RequestFrameDecoder.lines(in: job.payload)
            statistics.busyLines.add(lines.count, ordering: .relaxed)
            let reply = replyFrame(answering: lines, with: PortalError(.busy, Self.shuttingDown))
            release(outbox.send(job.routing + [reply], admission: job.admission, through: frontend))
        }
        release(outbox.flush(through: frontend))
    }

    private func dispatch(_ job: Job, to worker: [UInt8]) {
        do {
            try backend.send([worker, WorkerMessage.job, job.payload])
            jobsByWorker[worker] = job
        } catch {
            // Only a worker thread that died can cause this; answer the job rather than lose it.
            logger.critical("a worker could not take a job", metadata: ["error": "\(error)"])
            knownWorkers.remove(worker)
            let reply = replyFrame(
                answering: RequestFrameDecoder.lines(in: job.payload),
                with: PortalError(.internal, "no worker could run the request"))
            release(outbox.send(job.routing + [reply], admission: job.admission, through: frontend))
        }
    }

    private func stopWorkers() {
        for worker in knownWorkers {
            do {
                try backend.send([worker, WorkerMessage.stop])
            } catch {
                logger.error("a worker could not be told to stop", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Returns finished admissions to the backlog's budget.
    private func release(_ admissions: [Admission]) {
        guard !admissions.isEmpty else { return }
        for admission in admissions {
            backlogLines -= admission.lines
            backlogBytes -= admission.bytes
        }
        statistics.backlogLines.store(backlogLines, ordering: .relaxed)
    }
}
