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
/// Frames wait in a FIFO backlog while every worker is busy, at most `backlog_wait` (see
/// `BacklogPace`). A worker that becomes idle while frames wait takes its share of them at once
/// (`BatchShare`): one hand-off per batch instead of per frame is where throughput under load
/// comes from, and a batch's replies leave together, so they travel on in bursts. `batchTime`
/// keeps a slow command from holding up many others.
///
/// When commits are synced later (`CommitSync`), a reply leaves only once the commits its
/// commands may have seen are durable: the syncer says how far they are on the sync socket.
final class Broker {
    private let configuration: ServerConfiguration
    private let statistics: ServerStatistics
    private let logger: Logger
    private let decoder: RequestFrameDecoder
    private let shutdown: ShutdownTrigger

    private let frontend: ZMQSocket
    private let backend: ZMQSocket
    /// Where the syncer reports durable commits; nil when every commit is durable at once.
    private let syncs: ZMQSocket?
    /// Where the command socket listens, a wildcard port resolved.
    let endpoint: String

    private var outbox: ReplyOutbox
    private var idleWorkers: [[UInt8]] = []
    private var knownWorkers: Set<[UInt8]> = []
    /// The batch each busy worker runs, by the worker's number (`WorkerIdentity`).
    private var running: [Batch?]
    private var backlog = FIFOQueue<Job>()
    /// Lines admitted and not yet answered, waiting or running; the budget `backlog` bounds.
    private var backlogLines = 0
    private var backlogBytes = 0
    /// Lines admitted and not yet given to a worker.
    private var waitingLines = 0
    /// Of `waitingLines`, those of frames received in this round that idle workers start when it
    /// ends (`dispatchToIdleWorkers`): they do not wait, and frames behind them are not refused
    /// for them.
    private var startingLines = 0
    /// Commits known durable, and the replies waiting for more of them, in the order they came.
    private var syncedCommits: UInt64 = 0
    private var awaitingSync = FIFOQueue<ReplyAwaitingSync>()
    private var pace: BacklogPace
    /// Shutting down: workers take one frame at a time, so that the frames not started when
    /// the grace period ends are all still in the backlog, where they get their `busy`.
    private var draining = false

    /// Work a batch may hold by the pace: cheap commands go many at a time, expensive ones alone.
    static let batchTime: Duration = .milliseconds(2)

    /// The `busy` errors as JSON text, written once: under overload the broker refuses most of
    /// what it receives, and refusing must cost less than serving.
    private static let shuttingDown = PortalError(.busy, "the server is shutting down; retry shortly or on another node").json.serialized()

    /// A frame admitted for execution, with the envelope to answer along.
    private struct Job {
        let routing: [[UInt8]]
        let payload: [UInt8]
        let admission: Admission
        let admittedAt: ContinuousClock.Instant
    }

    /// A reply to send once `commitsSeen` commits are durable.
    private struct ReplyAwaitingSync {
        let job: Job
        let reply: [UInt8]
        let commitsSeen: UInt64
    }

    /// The frames a worker is running, in the order of its replies.
    private struct Batch {
        let jobs: [Job]
        let startedAt: ContinuousClock.Instant
    }

    /// Creates and binds the sockets; throws with the endpoint named when one cannot be bound.
    /// `syncEndpoint`: where the commit syncer reports, when commits are synced later.
    init(
        context: ZMQContext, configuration: ServerConfiguration, backendEndpoint: String, syncEndpoint: String?,
        statistics: ServerStatistics, shutdown: ShutdownTrigger, logger: Logger
    ) throws {
        self.configuration = configuration
        self.statistics = statistics
        self.logger = logger
        self.shutdown = shutdown
        self.decoder = RequestFrameDecoder(limits: configuration.limits)
        self.outbox = ReplyOutbox(holdSeconds: configuration.replyHoldSeconds, statistics: statistics, logger: logger)
        self.running = Array(repeating: nil, count: configuration.workerCount)
        self.pace = BacklogPace(
            maxWait: .milliseconds(Int64(configuration.backlogWaitSeconds * 1_000)), workers: configuration.workerCount)

        frontend = try ZMQSocket(context: context, type: .router)
        try frontend.setRouterMandatory(true)
        try frontend.setMaxMessageSize(Int64(configuration.hardMaxMessageBytes))
        try frontend.bind(configuration.commandEndpoint, role: "command")

        backend = try ZMQSocket(context: context, type: .router)
        try backend.setRouterMandatory(true)
        try backend.bind(backendEndpoint)

        if let syncEndpoint {
            let syncs = try ZMQSocket(context: context, type: .pull)
            try syncs.bind(syncEndpoint)
            self.syncs = syncs
        } else {
            syncs = nil
        }

        endpoint = try frontend.lastEndpoint()
    }

    /// Serves until shutdown is requested and the in-flight work is answered (or the grace period
    /// is over), then stops the workers and closes the sockets.
    func run() {
        var poller = ZMQPoller()
        let backendItem = poller.add(backend)
        let frontendItem = poller.add(frontend)
        let shutdownItem = poller.add(fileDescriptor: shutdown.readDescriptor)
        let syncsItem = syncs.map { poller.add($0) }
        var drainDeadline: ContinuousClock.Instant?

        while true {
            if let deadline = drainDeadline {
                // Nothing in flight: answer (busy) whatever clients have already queued at the
                // socket, so no request that reached the server goes unanswered, then stop.
                if backlogLines == 0 && !receiveFromClients(stopping: true) && backlogLines == 0 && !outbox.hasHeldReplies {
                    break
                }
                if ContinuousClock.now >= deadline {
                    logger.warning("shutdown grace period over", metadata: [
                        "backlog.lines": "\(backlogLines)", "replies.awaiting_sync": "\(awaitingSync.count)",
                    ])
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
                draining = true
                poller.setEvents(0, at: shutdownItem)
                logger.notice("shutting down: answering in-flight requests", metadata: ["backlog.lines": "\(backlogLines)"])
            }
            if let syncsItem, poller.isReadable(syncsItem) { receiveSyncs() }
            if poller.isReadable(backendItem) { receiveFromWorkers() }
            if poller.isReadable(frontendItem) {
                receiveFromClients(stopping: drainDeadline != nil)
                dispatchToIdleWorkers()
            }
            if outbox.hasHeldReplies { release(outbox.flush(through: frontend)) }
        }
        stopWorkers()
        frontend.close()
        backend.close()
        syncs?.close()
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
        let lineCount: Int
        switch decoder.checkedLineCount(payload) {
        case .failure(let error):
            statistics.tooLargeFrames.add(1, ordering: .relaxed)
            reject(envelope, with: error)
            return
        case .success(let count):
            lineCount = count
        }
        if lineCount == 0 {
            // Only blank lines: the reply holds no lines either, and no worker is needed for that.
            release(outbox.send([], along: envelope.routing, admission: nil, through: frontend))
            return
        }
        if stopping {
            answerBusy(envelope, payload: payload, lines: lineCount, error: Self.shuttingDown)
            return
        }
        guard backlogLines + lineCount <= configuration.backlogLines,
              backlogBytes + payload.count <= configuration.backlogBytes,
              !pace.wouldWaitTooLong(behind: waitingLines - startingLines)
        else {
            // A refusal answers every line of its frame: the frames admitted before it start
            // first rather than wait for that.
            dispatchToIdleWorkers()
            answerBusy(envelope, payload: payload, lines: lineCount, error: Self.atCapacity)
            return
        }
        let job = Job(
            routing: envelope.routing, payload: payload, admission: Admission(lines: lineCount, bytes: payload.count),
            admittedAt: .now)
        backlogLines += job.admission.lines
        backlogBytes += job.admission.bytes
        statistics.admittedLines.add(lineCount, ordering: .relaxed)
        statistics.backlogLines.store(backlogLines, ordering: .relaxed)
        // Handed out after the round of receiving (`dispatchToIdleWorkers`), so that frames
        // arriving together are shared among the idle workers rather than one each. Idle
        // workers mean the backlog was empty when the round began: it holds this round's frames.
        if backlog.count < idleWorkers.count { startingLines += job.admission.lines }
        backlog.push(job)
        waitingLines += job.admission.lines
    }

    private static let atCapacity = PortalError(.busy, "the server is at capacity; retry shortly").json.serialized()

    /// Answers every line of a frame of `lines` lines with the `busy` error `error` (JSON text),
    /// echoing each line's id.
    private func answerBusy(_ envelope: ClientEnvelope, payload: [UInt8], lines: Int, error: [UInt8]) {
        statistics.busyLines.add(lines, ordering: .relaxed)
        let reply = replyFrame(answering: payload, withEncoded: error)
        release(outbox.send(reply, along: envelope.routing, admission: nil, through: frontend))
    }

    /// A reply frame answering every line of `payload` with the same error (JSON text), each
    /// line's id echoed. Ids are found without parsing whole lines (`replyID(of:)`).
    private func replyFrame(answering payload: [UInt8], withEncoded error: [UInt8]) -> [UInt8] {
        var writer = ReplyFrameWriter()
        RequestFrameDecoder.forEachLine(in: payload) { line in
            writer.appendFailure(id: decoder.replyID(of: payload[line]), encodedError: error)
        }
        return writer.bytes
    }

    /// Answers a whole frame with a single error line.
    private func reject(_ envelope: ClientEnvelope, with error: PortalError) {
        var writer = ReplyFrameWriter()
        writer.appendFailure(id: .null, error: error)
        release(outbox.send(writer.bytes, along: envelope.routing, admission: nil, through: frontend))
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
            if frames[1] == WorkerMessage.ready {
                knownWorkers.insert(worker)
            } else if let commitsSeen = WorkerMessage.commitsSeen(done: frames[1]) {
                if let batch = takeBatch(of: worker) { finish(batch, replies: frames[2...], commitsSeen: commitsSeen) }
            } else {
                logger.error("unexpected message from a worker")
                continue
            }
            // The other workers are busy and take their shares when they finish.
            let jobs = nextBatch(sharedBy: running.count)
            if jobs.isEmpty {
                idleWorkers.append(worker)
            } else {
                dispatch(jobs, to: worker)
            }
        }
    }

    /// Where `running` keeps what `worker` runs; nil for an id no worker of ours has.
    private func slot(of worker: [UInt8]) -> Int? {
        WorkerIdentity.number(of: worker).flatMap { running.indices.contains($0) ? $0 : nil }
    }

    /// The batch `worker` was running, no longer running.
    private func takeBatch(of worker: [UInt8]) -> Batch? {
        guard let slot = slot(of: worker) else { return nil }
        defer { running[slot] = nil }
        return running[slot]
    }

    /// Sends a finished batch's replies, or holds them until the commits they saw are durable.
    private func finish(_ batch: Batch, replies: ArraySlice<[UInt8]>, commitsSeen: UInt64) {
        guard batch.jobs.count == replies.count else {
            // Never with this worker; answered rather than left waiting.
            logger.error("a worker's replies do not match its jobs", metadata: ["replies": "\(replies.count)"])
            for job in batch.jobs { answer(job, with: PortalError(.internal, "the worker's reply was lost")) }
            return
        }
        pace.record(lines: batch.jobs.reduce(0) { $0 + $1.admission.lines }, elapsed: .now - batch.startedAt)
        for (job, reply) in zip(batch.jobs, replies) {
            if commitsSeen <= syncedCommits {
                release(outbox.send(reply, along: job.routing, admission: job.admission, through: frontend))
            } else {
                awaitingSync.push(ReplyAwaitingSync(job: job, reply: reply, commitsSeen: commitsSeen))
            }
        }
    }

    /// Takes the syncer's reports and sends the replies whose commits are durable now.
    private func receiveSyncs() {
        guard let syncs else { return }
        while true {
            let frames: [[UInt8]]
            do {
                guard let received = try syncs.receive(dontWait: true) else { break }
                frames = received
            } catch {
                logger.error("receiving a sync report failed", metadata: ["error": "\(error)"])
                break
            }
            if let synced = frames.first.flatMap(CommitCountFrame.decode) { syncedCommits = max(syncedCommits, synced) }
        }
        // In arrival order; a reply behind one that waits for a later sync waits with it, for at
        // most one more sync.
        while let next = awaitingSync.first, next.commitsSeen <= syncedCommits {
            _ = awaitingSync.pop()
            release(outbox.send(next.reply, along: next.job.routing, admission: next.job.admission, through: frontend))
        }
    }

    /// Gives the waiting frames to the idle workers, an even share each. There are idle workers
    /// only while nothing waits, so this is needed only after frames arrive.
    private func dispatchToIdleWorkers() {
        startingLines = 0
        while !backlog.isEmpty, !idleWorkers.isEmpty {
            let jobs = nextBatch(sharedBy: idleWorkers.count)
            if !jobs.isEmpty { dispatch(jobs, to: idleWorkers.removeLast()) }
        }
    }

    /// Waiting frames for a worker that became idle: its share when `workers` workers share them
    /// (`BatchShare`), and only as many as the pace says run within `batchTime`, because a
    /// batch's replies leave together. Frames that waited past `backlog_wait` are answered
    /// `busy` instead: nothing of them ran, so a retry is safe.
    private func nextBatch(sharedBy workers: Int) -> [Job] {
        var jobs: [Job] = []
        var lines = 0
        let now = ContinuousClock.now
        // Until a batch has been timed the pace knows no cost: one frame at a time till then.
        let most = draining || !pace.isMeasured ? 1 : BatchShare.frames(waiting: backlog.count, workers: workers)
        while jobs.count < most, jobs.isEmpty || pace.runs(lines: lines, within: Self.batchTime),
              let job = backlog.pop() {
            waitingLines -= job.admission.lines
            if pace.waitedTooLong(since: job.admittedAt, now: now) {
                answerBusy(job, error: Self.atCapacity)
            } else {
                jobs.append(job)
                lines += job.admission.lines
            }
        }
        return jobs
    }

    /// Frames admitted but never started are answered `busy` when the grace period ends: nothing
    /// of them ran, so the client may safely retry. Frames still running cannot be answered.
    private func answerWaitingJobsBusy() {
        while let job = backlog.pop() {
            waitingLines -= job.admission.lines
            answerBusy(job, error: Self.shuttingDown)
        }
        release(outbox.flush(through: frontend))
    }

    /// Answers every line of an admitted frame that never ran with the `busy` error `error`.
    private func answerBusy(_ job: Job, error: [UInt8]) {
        statistics.busyLines.add(job.admission.lines, ordering: .relaxed)
        answer(job, withEncoded: error)
    }

    /// Answers every line of an admitted frame with the same error, returning its admission.
    private func answer(_ job: Job, with error: PortalError) {
        answer(job, withEncoded: error.json.serialized())
    }

    private func answer(_ job: Job, withEncoded error: [UInt8]) {
        let reply = replyFrame(answering: job.payload, withEncoded: error)
        release(outbox.send(reply, along: job.routing, admission: job.admission, through: frontend))
    }

    private func dispatch(_ jobs: [Job], to worker: [UInt8]) {
        do {
            guard let slot = slot(of: worker) else { throw ServerError("a worker without a number: \(worker)") }
            try backend.send([worker, WorkerMessage.job], jobs.lazy.map { $0.payload })
            running[slot] = Batch(jobs: jobs, startedAt: .now)
        } catch {
            // Only a worker thread that died can cause this; answer the jobs rather than lose them.
            logger.critical("a worker could not take a job", metadata: ["error": "\(error)"])
            knownWorkers.remove(worker)
            for job in jobs { answer(job, with: PortalError(.internal, "no worker could run the request")) }
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

    /// Returns a finished admission to the backlog's budget.
    private func release(_ admission: Admission?) {
        guard let admission else { return }
        backlogLines -= admission.lines
        backlogBytes -= admission.bytes
        statistics.backlogLines.store(backlogLines, ordering: .relaxed)
    }

    /// Returns finished admissions to the backlog's budget.
    private func release(_ admissions: [Admission]) {
        for admission in admissions { release(admission) }
    }
}
