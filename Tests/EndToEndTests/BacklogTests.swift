import Glibc
import PortalProtocol
import Testing

extension HeavyTests {
    /// Admission against a bounded backlog: what does not fit is answered `busy` at once, and
    /// so is what would wait for a worker longer than `backlog_wait`.
    @Suite struct BacklogTests {
        /// Receives the replies to `frames` frames of pings numbered from 0 and checks what every
        /// refusal must hold: each line answered once, frames run whole or refused whole, only
        /// `ok` and `busy` for being at capacity. Returns the tally.
        private func receiveRunOrRefused(_ frames: Int, of linesPerFrame: Int, from client: PortalClient) throws -> ReplyTally {
            var tally = ReplyTally()
            var mixedFrames = 0
            for _ in 0..<frames {
                let replies = try client.receiveReplies()
                #expect(replies.count == linesPerFrame)
                if Set(replies.map(\.isOK)).count > 1 { mixedFrames += 1 }
                tally.add(replies)
            }
            tally.expectEachAnsweredOnce(ids: 0..<frames * linesPerFrame)
            #expect(mixedFrames == 0, "a frame is run whole or refused whole")
            let busy = tally.errorLines["busy", default: 0]
            #expect(busy > 0)
            #expect(tally.okLines + busy == frames * linesPerFrame, "other errors: \(tally.errorLines)")
            #expect(tally.messages["busy"]?.allSatisfy { $0.contains("capacity") } == true, "\(tally.messages)")
            return tally
        }

        @Test func aFullBacklogAnswersBusyAndThenRecovers() throws {
            // This is about the bound on lines, not on waiting.
            let server = try PortaldProcess(
                arguments: ["--workers", "1", "--backlog", "10", "--max-lines", "10"] + PortaldProcess.patientBacklog)
            let client = try server.client()
            #expect(try client.request(RequestLine.ping(id: "warm-up")).isOK)

            // Stop the server while the frames are sent, so they all arrive at once when it resumes:
            // the first fills the backlog, and frames read while it runs cannot be admitted.
            let (frames, linesPerFrame) = (200, 10)
            server.stop()
            for frame in 0..<frames {
                try client.send(lines: RequestLine.pings(from: frame * linesPerFrame, count: linesPerFrame))
            }
            server.resume()

            let tally = try receiveRunOrRefused(frames, of: linesPerFrame, from: client)
            #expect(tally.okLines > 0)
            let busy = tally.errorLines["busy", default: 0]

            // The backlog is released: a new request runs, and the counters agree with what was seen.
            #expect(try client.request(RequestLine.ping(id: "after")).isOK)
            let stats = try #require(try client.request(RequestLine.info()).result?["stats"])
            #expect(stats["busy_lines"] == .int(Int64(busy)))
            #expect(stats["admitted_lines"] == .int(Int64(tally.okLines + 3)), "ok lines, warm-up, after and info itself")
            #expect(stats["backlog_lines"] == 1, "only the info line itself is in flight")
        }

        @Test func framesArrivingTogetherForIdleWorkersAreNotRefusedForEachOther() throws {
            // Two workers and 10 ms to wait. Once the pace is known (a frame of 1,000 pings takes
            // a test build longer than that), two such frames arriving together must both run:
            // each finds a worker idle, so neither waits behind the other.
            let server = try PortaldProcess(arguments: ["--workers", "2", "--backlog-wait", "0.01"])
            let client = try server.client()
            let linesPerFrame = 1_000
            try client.send(lines: RequestLine.pings(from: 0, count: linesPerFrame))
            #expect(try client.receiveReplies().allSatisfy(\.isOK), "a lone frame runs, and the pace learns its cost")

            server.stop()
            for frame in 1...2 {
                try client.send(lines: RequestLine.pings(from: frame * linesPerFrame, count: linesPerFrame))
            }
            server.resume()
            var tally = ReplyTally()
            for _ in 1...2 { tally.add(try client.receiveReplies()) }
            tally.expectEachAnsweredOnce(ids: linesPerFrame..<3 * linesPerFrame)
            #expect(tally.okLines == 2 * linesPerFrame, "refused: \(tally.errorLines)")
        }

        @Test func framesThatWouldWaitTooLongAreAnsweredBusyAndTheServerRecovers() throws {
            // One worker and a millisecond to wait: of 30 frames of 1,000 pings sent at once, the
            // worker runs the first while the rest wait, and those must not wait past the bound.
            let server = try PortaldProcess(arguments: ["--workers", "1", "--backlog-wait", "0.001"])
            let client = try server.client()
            let (frames, linesPerFrame) = (30, 1_000)
            for frame in 0..<frames {
                try client.send(lines: RequestLine.pings(from: frame * linesPerFrame, count: linesPerFrame))
            }

            let tally = try receiveRunOrRefused(frames, of: linesPerFrame, from: client)
            #expect(tally.okLines >= linesPerFrame, "the first frame finds the worker idle")
            let busy = tally.errorLines["busy", default: 0]

            // Nothing is left waiting: the next request runs at once.
            #expect(try client.request(RequestLine.ping(id: "after")).isOK)
            let stats = try #require(try client.request(RequestLine.info()).result?["stats"])
            #expect(stats["busy_lines"] == .int(Int64(busy)))
            #expect(stats["backlog_lines"] == 1, "only the info line itself is in flight")
        }
    }
}
