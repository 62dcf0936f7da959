import PortalProtocol
import Testing

/// How messages travel: DEALER and REQ clients, mirrored envelopes, malformed messages, empty frames.
@Suite struct EnvelopeTests {
    @Test(arguments: [PortalClient.Kind.dealer, .req])
    func dealerAndReqClientsGetPingReplies(kind: PortalClient.Kind) throws {
        let server = try PortaldProcess()
        // A REQ socket only accepts a reply that comes back behind the empty delimiter it sent;
        // without it the receive would fail (or time out), so this proves the delimiter is mirrored.
        let client = try server.client(kind)
        for id in 1...3 {
            let reply = try client.request(RequestLine.ping(id: .int(Int64(id))))
            #expect(reply.isOK, "\(reply.text)")
            #expect(reply.replyID == .int(Int64(id)))
            #expect(reply.result?["pong"] == true)
        }
    }

    @Test func envelopeFramesUpToTheDelimiterAreMirrored() throws {
        let server = try PortaldProcess()
        let client = try server.client()
        let payload = PortalClient.frame([RequestLine.ping(id: "d")])

        try client.send(frames: [[], payload])
        let direct = try client.receiveMessage()
        #expect(direct.count == 2)
        #expect(direct.first == [])

        // As a proxy would send it: its own routing frames, then the delimiter.
        let hop: [UInt8] = Array("hop-1".utf8)
        try client.send(frames: [hop, [0, 1, 2], [], payload])
        let proxied = try client.receiveMessage()
        #expect(proxied.count == 4)
        #expect(Array(proxied.prefix(3)) == [hop, [0, 1, 2], []])

        for message in [direct, proxied] {
            let replies = try PortalClient.replyLines(try #require(message.last))
            #expect(replies.count == 1)
            #expect(replies.first?.replyID == "d")
            #expect(replies.first?.isOK == true)
        }
    }

    @Test func twoPayloadFramesAreOneBadRequest() throws {
        let server = try PortaldProcess()
        let client = try server.client()
        try client.send(frames: [PortalClient.frame([RequestLine.ping(id: 1)]), PortalClient.frame([RequestLine.ping(id: 2)])])

        let replies = try client.receiveReplies()
        #expect(replies.count == 1)
        #expect(replies.first?.errorCode == "bad_request")
        #expect(replies.first?.replyID == JSONValue.null)

        // The connection is still fine.
        #expect(try client.request(RequestLine.ping(id: 3)).isOK)
    }

    @Test func blankFramesGetAnEmptyReplyFrame() throws {
        let server = try PortaldProcess()
        let client = try server.client()
        for payload in ["\n\n\n", "  \n\t\n \r\n", ""] {
            try client.send(frames: [Array(payload.utf8)])
            let message = try client.receiveMessage()
            #expect(message == [[]], "payload \(payload.debugDescription)")
        }
        // The same through a REQ socket, which receives the frame after the delimiter.
        let req = try server.client(.req)
        try req.send(frames: [Array("\n \n".utf8)])
        #expect(try req.receiveMessage() == [[]])
    }
}
