import Foundation
import PortalProtocol
import Testing
import ZeroMQ

/// The real `portalctl send` against a real server (`subscribe`: EventTests).
@Suite struct PortalctlTests {
    @Test func sendPrintsTheReplyAndExitsZero() throws {
        let server = try PortaldProcess()
        let result = try PortalctlCommand.run(["send", "--endpoint", server.commandEndpoint, RequestLine.ping(id: 1)])

        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(result.outputLines.count == 1)
        let reply = try #require(try PortalClient.replyLines(Array(result.standardOutput.utf8)).first)
        #expect(reply.replyID == 1)
        #expect(reply.isOK)
    }

    @Test func sendExitsOneWhenAReplyIsNotOK() throws {
        let server = try PortaldProcess()
        let result = try PortalctlCommand.run(
            ["send", "--endpoint", server.commandEndpoint, RequestLine.line(id: 2, command: "no.such")])

        #expect(result.status == 1, "stderr: \(result.standardError)")
        let replies = try PortalClient.replyLines(Array(result.standardOutput.utf8))
        #expect(replies.map(\.errorCode) == ["unknown_command"])
    }

    @Test func sendTakesTheEndpointFromTheEnvironment() throws {
        let server = try PortaldProcess()
        let result = try PortalctlCommand.run(
            ["send", RequestLine.ping(id: 3)], environment: ["PORTAL_COMMAND_ENDPOINT": server.commandEndpoint])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(result.outputLines.count == 1)
    }

    @Test func sendExitsTwoWhenNobodyAnswers() throws {
        let endpoint = try LoopbackEndpoint.unused()
        let result = try PortalctlCommand.run(
            ["send", "--endpoint", endpoint, "--timeout", "1", RequestLine.ping(id: 1)], timeout: .seconds(10))

        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("portalctl: "), "stderr: \(result.standardError)")
        #expect(result.standardError.contains("no reply"), "stderr: \(result.standardError)")
        #expect(result.elapsed < .seconds(5))
    }

    @Test func aUsageMistakeIsOneLineAndNonZero() throws {
        let result = try PortalctlCommand.run(["send", "--batch", "0", RequestLine.ping(id: 1)])
        #expect(result.status != 0)
        #expect(result.errorLines.count == 1, "stderr: \(result.standardError)")
        #expect(result.standardError.hasPrefix("portalctl: "))
        #expect(result.standardError.contains("--batch"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func sendPipelinesStandardInputAndPrintsRepliesInOrder() throws {
        let server = try PortaldProcess()
        let count = 3_000
        var input = ""
        for id in 1...count {
            input += RequestLine.ping(id: .int(Int64(id))) + "\n"
            if id % 250 == 0 { input += "\n   \n\t\r\n" }  // blank lines are skipped, not sent
        }
        let result = try PortalctlCommand.run(
            ["send", "--endpoint", server.commandEndpoint, "--batch", "7", "--window", "3"],
            standardInput: Data(input.utf8))

        #expect(result.status == 0, "stderr: \(result.standardError)")
        let replies = try PortalClient.replyLines(Array(result.standardOutput.utf8))
        #expect(replies.count == count)
        #expect(replies.map(\.replyID) == (1...count).map { JSONValue.int(Int64($0)) }, "replies out of order")
        #expect(replies.allSatisfy { $0.isOK })
    }

    @Test func sendRetriesFramesRefusedAsBusyUntilTheyRun() throws {
        // One worker and 5 ms to wait: sixteen frames of 500 pings in flight are more than that,
        // so some are refused as busy, and portalctl sends them again until they run.
        let server = try PortaldProcess(arguments: ["--workers", "1", "--backlog-wait", "0.005"])
        let count = 8_000
        let input = (1...count).map { RequestLine.ping(id: .int(Int64($0))) + "\n" }.joined()
        let result = try PortalctlCommand.run(
            ["send", "--endpoint", server.commandEndpoint, "--batch", "500", "--window", "16"],
            standardInput: Data(input.utf8))

        #expect(result.status == 0, "stderr: \(result.standardError)")
        let replies = try PortalClient.replyLines(Array(result.standardOutput.utf8))
        #expect(replies.map(\.replyID) == (1...count).map { JSONValue.int(Int64($0)) }, "replies out of order")
        #expect(replies.allSatisfy { $0.isOK })
        let stats = try #require(try server.client().request(RequestLine.info()).result?["stats"])
        #expect(stats["busy_lines"] != 0, "the test did not make the server refuse anything")
    }
}
