import Testing
import ZeroMQ

@Suite struct ZMQPubSubTests {
    /// A bound PUB and a SUB connected to it that has subscribed to `prefixes`.
    private func publisherAndSubscriber(
        _ context: ZMQContext, prefixes: [String]
    ) throws -> (publisher: ZMQSocket, subscriber: ZMQSocket) {
        let publisher = try makeSocket(context, .pub)
        let endpoint = try bindToFreePort(publisher)
        let subscriber = try makeSocket(context, .sub)
        for prefix in prefixes { try subscriber.subscribe(bytes(prefix)) }
        try subscriber.connect(endpoint)
        return (publisher, subscriber)
    }

    /// Publishes `probe` until the subscriber receives something: PUB drops everything sent before
    /// the subscription reaches it (the slow joiner).
    private func waitUntilJoined(_ publisher: ZMQSocket, _ subscriber: ZMQSocket, probe: [[UInt8]]) throws -> [[UInt8]]? {
        try subscriber.setReceiveTimeout(milliseconds: 20)
        defer { try? subscriber.setReceiveTimeout(milliseconds: testTimeoutMilliseconds) }
        for _ in 0..<100 {
            try publisher.send(probe)
            if let message = try subscriber.receive() { return message }
        }
        return nil
    }

    @Test func subscriberReceivesOnlyMatchingPrefixes() throws {
        let context = try ZMQContext()
        let (publisher, subscriber) = try publisherAndSubscriber(context, prefixes: ["news."])
        let first = try #require(try waitUntilJoined(publisher, subscriber, probe: [bytes("news.probe")]))
        #expect(first == [bytes("news.probe")])

        try publisher.send(bytes("sports.1"))
        try publisher.send([bytes("news.2"), bytes("body")])
        try publisher.send(bytes("new"))
        try publisher.send(bytes("NEWS.3"))
        try publisher.send(bytes("news.end"))
        var received: [[[UInt8]]] = []
        while let message = try subscriber.receive() {
            if message == [bytes("news.probe")] { continue }
            received.append(message)
            if message == [bytes("news.end")] { break }
        }
        #expect(received == [[bytes("news.2"), bytes("body")], [bytes("news.end")]])
    }

    @Test func emptyPrefixReceivesEverything() throws {
        let context = try ZMQContext()
        let (publisher, subscriber) = try publisherAndSubscriber(context, prefixes: [""])
        #expect(try waitUntilJoined(publisher, subscriber, probe: [bytes("probe")]) != nil)
        try publisher.send(bytes("a"))
        try publisher.send([UInt8]())
        try publisher.send(bytes("end"))
        var received: [[[UInt8]]] = []
        while let message = try subscriber.receive() {
            if message == [bytes("probe")] { continue }
            received.append(message)
            if message == [bytes("end")] { break }
        }
        #expect(received == [[bytes("a")], [[]], [bytes("end")]])
    }

    @Test func severalPrefixesAndUnsubscribe() throws {
        let context = try ZMQContext()
        let (publisher, subscriber) = try publisherAndSubscriber(context, prefixes: ["a.", "b.", "marker"])
        #expect(try waitUntilJoined(publisher, subscriber, probe: [bytes("marker")]) != nil)
        try subscriber.unsubscribe(bytes("b."))
        // The unsubscription travels as asynchronously as the subscription did: wait for a
        // marker sent after it, then check that "b." no longer arrives.
        var received: [[UInt8]] = []
        for _ in 0..<100 {
            try publisher.send(bytes("b.x"))
            try publisher.send(bytes("a.x"))
            try publisher.send(bytes("marker"))
            received = []
            while let message = try subscriber.receive(), message != [bytes("marker")] {
                received.append(message[0])
            }
            if received == [bytes("a.x")] { break }
        }
        #expect(received == [bytes("a.x")])
    }
}
