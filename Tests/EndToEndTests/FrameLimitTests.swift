import PortalProtocol
import Testing

/// Frame limits: too big or too many lines gets one `too_large` line and nothing runs; far too
/// big (above ZMQ_MAXMSGSIZE) gets the sender disconnected while everyone else is served.
@Suite struct FrameLimitTests {
    /// A ping whose `args.pad` makes the line exactly `bytes` long (newline excluded).
    private func paddedPing(id: JSONValue, bytes: Int) -> String {
        let empty = RequestLine.line(id: id, command: "system.ping", arguments: ["pad": ""])
        return RequestLine.line(
            id: id, command: "system.ping", arguments: ["pad": .string(String(repeating: "x", count: bytes - empty.utf8.count))])
    }

    private func expectTooLarge(_ replies: [JSONValue], limit key: String, _ value: Int64) {
        #expect(replies.count == 1)
        #expect(replies.first?.errorCode == "too_large", "\(replies.first?.text ?? "no reply")")
        #expect(replies.first?.replyID == JSONValue.null)
        #expect(replies.first?["error"]?["details"]?[key] == .int(value))
    }

    @Test func defaultLimitsAreOneMebibyteAndAThousandLines() throws {
        let server = try PortaldProcess()
        let client = try server.client()

        // Exactly 1 MiB, final newline included, is accepted.
        let atLimit = paddedPing(id: "at-limit", bytes: (1 << 20) - 1)
        let accepted = try client.request([atLimit])
        #expect(accepted.count == 1)
        #expect(accepted.first?.isOK == true, "\(accepted.first?.text ?? "no reply")")

        expectTooLarge(try client.request([paddedPing(id: "over", bytes: 1 << 20)]), limit: "limit_bytes", 1 << 20)
        expectTooLarge(try client.request(RequestLine.pings(from: 0, count: 1_001)), limit: "limit_lines", 1_000)

        let thousand = try client.request(RequestLine.pings(from: 0, count: 1_000))
        #expect(thousand.count == 1_000)
        #expect(thousand.allSatisfy { $0.isOK })
        #expect(thousand.map(\.replyID) == (0..<1_000).map { JSONValue.int(Int64($0)) })

        // Nothing of the refused frames ran.
        let stats = try #require(try client.request(RequestLine.info()).result?["stats"])
        #expect(stats["too_large_frames"] == 2)
        #expect(stats["admitted_lines"] == .int(1 + 1_000 + 1))
    }

    @Test func limitFlagsApply() throws {
        let server = try PortaldProcess(arguments: ["--max-frame-bytes", "2048", "--max-lines", "5"])
        let client = try server.client()

        #expect(try client.request(RequestLine.pings(from: 0, count: 5)).map(\.isOK) == Array(repeating: true, count: 5))
        expectTooLarge(try client.request(RequestLine.pings(from: 0, count: 6)), limit: "limit_lines", 5)
        #expect(try client.request(paddedPing(id: 1, bytes: 2_047)).isOK)
        expectTooLarge(try client.request([paddedPing(id: 2, bytes: 2_048)]), limit: "limit_bytes", 2_048)
    }

    @Test func aMessageOverTheHardLimitDisconnectsOnlyItsSender() throws {
        let server = try PortaldProcess(arguments: ["--max-frame-bytes", "1024", "--hard-max-message-bytes", "4096"])
        let bystander = try server.client()
        #expect(try bystander.request(RequestLine.ping(id: "before")).isOK)

        // Between the two limits: a too_large reply.
        let sender = try server.client(receiveTimeout: .milliseconds(500))
        #expect(try sender.request([paddedPing(id: 1, bytes: 2_000)]).first?.errorCode == "too_large")

        // Above the hard limit: libzmq drops the connection, no reply at all.
        try sender.send(lines: [paddedPing(id: 2, bytes: 5_000)])
        #expect(try sender.receiveMessageIfAny() == nil)

        #expect(try bystander.request(RequestLine.ping(id: "after")).isOK)
        let newcomer = try server.client()
        #expect(try newcomer.request(RequestLine.ping(id: "new")).isOK)
    }
}
