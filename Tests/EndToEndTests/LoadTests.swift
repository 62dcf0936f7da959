import PortalProtocol
import Testing

extension HeavyTests {
    /// Many clients, many requests in flight: every reply reaches its client exactly once.
    @Suite struct LoadTests {
        private struct ClientReport: Sendable {
            var tally: ReplyTally
            var failures: [String]
            var extraMessage: Bool
        }

        @Test func eightPipeliningClientsGetEveryReplyOnce() throws {
            let server = try PortaldProcess(arguments: ["--workers", "2"] + PortaldProcess.patientBacklog)
            let endpoint = server.commandEndpoint
            let (frames, linesPerFrame) = (40, 50)
            let idsPerClient = 100_000

            let reports = try onSeparateThreads(8) { client in
                let connection = try PortalClient(endpoint: endpoint)
                let first = client * idsPerClient
                for frame in 0..<frames {
                    try connection.send(lines: RequestLine.pings(from: first + frame * linesPerFrame, count: linesPerFrame))
                }
                var report = ClientReport(tally: ReplyTally(), failures: [], extraMessage: false)
                for _ in 0..<frames {
                    let replies = try connection.receiveReplies()
                    if replies.count != linesPerFrame { report.failures.append("a frame of \(replies.count) reply lines") }
                    report.failures += replies.filter { !$0.isOK }.prefix(3).map(\.text)
                    report.tally.add(replies)
                }
                report.extraMessage = try connection.receiveMessageIfAny(within: .milliseconds(50)) != nil
                return report
            }

            for (client, report) in reports.enumerated() {
                let first = client * idsPerClient
                report.tally.expectEachAnsweredOnce(ids: first..<first + frames * linesPerFrame)
                #expect(report.failures.isEmpty, "client \(client): \(report.failures.prefix(5))")
                #expect(!report.extraMessage, "client \(client) got more reply messages than it sent frames")
            }
        }
    }
}
