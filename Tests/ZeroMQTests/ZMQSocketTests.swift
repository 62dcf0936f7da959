import CZeroMQ
import Glibc
import Testing
import ZeroMQ

@Suite struct ZMQSocketTests {
    // MARK: Endpoints

    @Test func bindToWildcardPortReportsTheConcretePort() throws {
        let context = try ZMQContext()
        let router = try makeSocket(context, .router)
        #expect(try router.lastEndpoint() == "")
        let endpoint = try bindToFreePort(router)
        let match = try #require(endpoint.wholeMatch(of: /tcp:\/\/127\.0\.0\.1:(\d+)/))
        let port = try #require(Int(match.1))
        #expect((1...65_535).contains(port))
    }

    @Test func bindingABoundEndpointAgainThrowsAddressInUse() throws {
        let context = try ZMQContext()
        let first = try makeSocket(context, .router)
        let endpoint = try bindToFreePort(first)
        let second = try makeSocket(context, .router)
        let error = #expect(throws: ZMQError.self) { try second.bind(endpoint) }
        #expect(error?.code == EADDRINUSE)
        #expect(error?.operation == "bind \(endpoint)")
        #expect(error?.description.contains("Address already in use") == true)
    }

    @Test func bindingAnInprocNameTwiceThrowsAddressInUse() throws {
        let context = try ZMQContext()
        let first = try makeSocket(context, .pair)
        try first.bind("inproc://taken")
        let second = try makeSocket(context, .pair)
        let error = #expect(throws: ZMQError.self) { try second.bind("inproc://taken") }
        #expect(error?.code == EADDRINUSE)
    }

    @Test(arguments: ["nonsense", "tcp://", "tcp://127.0.0.1", "tcp://127.0.0.1:notaport", "bogus://x", ""])
    func malformedEndpointThrows(endpoint: String) throws {
        let context = try ZMQContext()
        let socket = try makeSocket(context, .router)
        #expect(throws: ZMQError.self) { try socket.bind(endpoint) }
        #expect(throws: ZMQError.self) { try socket.connect(endpoint) }
    }

    // MARK: Round trips

    @Test func dealerToRouterMultipartRoundTrip() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context, dealerID: "client-1")
        let large = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        try dealer.send([[], bytes("hello"), [], large, []])

        let request = try #require(try router.receive())
        try #require(request.count == 6)
        #expect(request[0] == bytes("client-1"))
        #expect(request[1] == [])
        #expect(request[2] == bytes("hello"))
        #expect(request[3] == [])
        let intact = request[4] == large
        #expect(intact, "the 1 MiB frame changed in transit")
        #expect(request[5] == [])

        try router.send([request[0], bytes("reply"), [], large])
        let reply = try #require(try dealer.receive())
        try #require(reply.count == 3)
        #expect(reply[0] == bytes("reply"))
        #expect(reply[1] == [])
        let replyIntact = reply[2] == large
        #expect(replyIntact, "the 1 MiB frame changed in transit")
    }

    @Test func headAndTailGoOutAsOneMessage() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context, dealerID: "client-1")
        try dealer.send([bytes("envelope")], [bytes("a"), [], bytes("c")])
        try dealer.send([bytes("only head")], EmptyCollection())
        try dealer.send(EmptyCollection(), [bytes("only tail")])
        #expect(try router.receive() == [bytes("client-1"), bytes("envelope"), bytes("a"), [], bytes("c")])
        #expect(try router.receive() == [bytes("client-1"), bytes("only head")])
        #expect(try router.receive() == [bytes("client-1"), bytes("only tail")])

        #expect(try router.send([bytes("client-1")], CollectionOfOne(bytes("reply")), dontWait: true))
        #expect(try dealer.receive() == [bytes("reply")])
    }

    @Test func routerAssignsARoutingIDWhenThePeerSetsNone() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context)
        try dealer.send(bytes("one"))
        try dealer.send(bytes("two"))
        let first = try #require(try router.receive())
        let second = try #require(try router.receive())
        #expect(first.count == 2 && second.count == 2)
        #expect(!first[0].isEmpty)
        #expect(first[0] == second[0])
        #expect(first[1] == bytes("one") && second[1] == bytes("two"))
    }

    @Test func singleEmptyFrameIsAMessage() throws {
        let context = try ZMQContext()
        let a = try makeSocket(context, .pair)
        try a.bind("inproc://empty")
        let b = try makeSocket(context, .pair)
        try b.connect("inproc://empty")
        try a.send([UInt8]())
        #expect(try b.receive() == [[]])
        try b.send([[], [], []])
        #expect(try a.receive() == [[], [], []])
    }

    @Test func reqToRouterShowsTheEmptyDelimiter() throws {
        let context = try ZMQContext()
        let router = try makeSocket(context, .router)
        let endpoint = try bindToFreePort(router)
        let req = try makeSocket(context, .req)
        try req.setRoutingID(bytes("req-7"))
        try req.connect(endpoint)

        try req.send([bytes("line 1"), bytes("line 2")])
        let request = try #require(try router.receive())
        #expect(request == [bytes("req-7"), [], bytes("line 1"), bytes("line 2")])

        try router.send([request[0], [], bytes("answer")])
        #expect(try req.receive() == [bytes("answer")])
    }

    // MARK: Receiving nothing

    @Test func receiveWithoutWaitingReturnsNilAtOnce() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context)
        let (result, elapsed) = try measure { try router.receive(dontWait: true) }
        #expect(result == nil)
        #expect(elapsed < .seconds(1))

        try dealer.send(bytes("now"))
        let arrived = try eventually { try router.receive(dontWait: true) }
        #expect(arrived?.last == bytes("now"))
    }

    @Test func receiveTimeoutReturnsNil() throws {
        let context = try ZMQContext()
        let (router, _) = try routerAndDealer(context)
        try router.setReceiveTimeout(milliseconds: 100)
        let (result, elapsed) = try measure { try router.receive() }
        #expect(result == nil)
        #expect(elapsed >= .milliseconds(90))
        #expect(elapsed < .seconds(2))
    }

    // MARK: ROUTER_MANDATORY

    @Test func mandatoryRouterRejectsUnknownPeer() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context, dealerID: "known") { try $0.setRouterMandatory(true) }
        try dealer.send(bytes("hello"))
        #expect(try router.receive() == [bytes("known"), bytes("hello")])

        for dontWait in [false, true] {
            let error = #expect(throws: ZMQError.self) { try router.send([bytes("unknown"), bytes("x")], dontWait: dontWait) }
            #expect(error?.peerUnreachable == true)
            #expect(error?.code == EHOSTUNREACH)
        }
        #expect(try router.send([bytes("known"), bytes("reply")], dontWait: true))
        #expect(try dealer.receive() == [bytes("reply")])
    }

    @Test func mandatoryRouterNoticesThatAPeerHasGone() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context, dealerID: "leaving") { try $0.setRouterMandatory(true) }
        try dealer.send(bytes("hello"))
        #expect(try router.receive() != nil)
        dealer.close()
        let error = eventually { () -> ZMQError? in
            do {
                try router.send([bytes("leaving"), bytes("x")], dontWait: true)
                return nil
            } catch {
                return error as? ZMQError
            }
        }
        #expect(error?.peerUnreachable == true)
    }

    @Test func routerWithoutMandatoryDropsUnroutableMessagesSilently() throws {
        let context = try ZMQContext()
        let router = try makeSocket(context, .router)
        _ = try bindToFreePort(router)
        #expect(try router.send([bytes("nobody"), bytes("x")], dontWait: true))
    }

    // MARK: High-water mark

    @Test func sendWithoutWaitingReturnsFalseAtTheHighWaterMarkInproc() throws {
        let context = try ZMQContext()
        let pull = try makeSocket(context, .pull)
        try pull.setReceiveHighWaterMark(1)
        try pull.bind("inproc://hwm")
        let push = try makeSocket(context, .push)
        try push.setSendHighWaterMark(1)
        try push.connect("inproc://hwm")

        let accepted = try sendUntilRefused(push, frames: [bytes("x")], limit: 1_000)
        #expect(accepted != nil)
        #expect((1..<1_000).contains(accepted ?? 0))

        // Once the reader drains the queue, sending works again.
        #expect(try pull.receive() == [bytes("x")])
        let resumed = try eventually { try push.send(bytes("again"), dontWait: true) ? true : nil }
        #expect(resumed == true)
    }

    @Test func sendWithoutWaitingReturnsFalseAtTheHighWaterMarkTCP() throws {
        let context = try ZMQContext()
        let router = try makeSocket(context, .router)
        try router.setSendHighWaterMark(1)
        try router.setReceiveHighWaterMark(1)
        let endpoint = try bindToFreePort(router)
        let dealer = try makeSocket(context, .dealer)
        try dealer.setSendHighWaterMark(1)
        try dealer.setReceiveHighWaterMark(1)
        try dealer.connect(endpoint)
        // One message read proves the connection is up; after it the router never reads again.
        try dealer.send(bytes("hello"))
        #expect(try router.receive() != nil)

        // The kernel's socket buffers take several megabytes before the high-water mark matters.
        let frame = [UInt8](repeating: 0xAB, count: 64 << 10)
        let accepted = try sendUntilRefused(dealer, frames: [frame], limit: 20_000)
        #expect(accepted != nil, "sends never reported the full queue")
    }

    @Test func sendWithoutWaitingReturnsFalseWithoutAnyPeer() throws {
        let context = try ZMQContext()
        let dealer = try makeSocket(context, .dealer)
        _ = try bindToFreePort(dealer)
        #expect(try dealer.send([bytes("a"), bytes("b")], dontWait: true) == false)
    }

    @Test func blockingSendTimesOutWithWouldBlock() throws {
        let context = try ZMQContext()
        let dealer = try makeSocket(context, .dealer)
        try dealer.setSendTimeout(milliseconds: 50)
        _ = try bindToFreePort(dealer)
        let error = #expect(throws: ZMQError.self) { try dealer.send(bytes("a")) }
        #expect(error?.wouldBlock == true)
    }

    /// Sends until `send(dontWait: true)` refuses; returns how many were accepted, `nil` if never refused.
    private func sendUntilRefused(_ socket: ZMQSocket, frames: [[UInt8]], limit: Int) throws -> Int? {
        for sent in 0..<limit where try !socket.send(frames, dontWait: true) {
            return sent
        }
        return nil
    }

    // MARK: Maximum message size

    @Test func peerSendingALargerMessageIsDisconnected() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context, dealerID: "big") { try $0.setMaxMessageSize(1_024) }
        try dealer.send([UInt8](repeating: 1, count: 1_024))
        #expect(try router.receive() == [bytes("big"), [UInt8](repeating: 1, count: 1_024)])

        try dealer.send([bytes("before"), [UInt8](repeating: 2, count: 1_025)])
        try router.setReceiveTimeout(milliseconds: 500)
        #expect(try router.receive() == nil)

        // The dealer reconnects by itself; what it sends afterwards arrives again.
        try router.setReceiveTimeout(milliseconds: testTimeoutMilliseconds)
        try dealer.send(bytes("after"))
        #expect(try router.receive() == [bytes("big"), bytes("after")])
    }

    // MARK: Options

    @Test func optionsReadBack() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, type: .dealer)
        #expect(try socket.int32Option(ZMQ_LINGER) == 1_000)
        try socket.setLinger(milliseconds: 0)
        try socket.setSendHighWaterMark(7)
        try socket.setReceiveHighWaterMark(9)
        try socket.setReceiveTimeout(milliseconds: 123)
        try socket.setSendTimeout(milliseconds: 456)
        try socket.setImmediate(true)
        #expect(try socket.int32Option(ZMQ_LINGER) == 0)
        #expect(try socket.int32Option(ZMQ_SNDHWM) == 7)
        #expect(try socket.int32Option(ZMQ_RCVHWM) == 9)
        #expect(try socket.int32Option(ZMQ_RCVTIMEO) == 123)
        #expect(try socket.int32Option(ZMQ_SNDTIMEO) == 456)
        #expect(try socket.int32Option(ZMQ_IMMEDIATE) == 1)
    }

    @Test func invalidOptionValuesThrow() throws {
        let context = try ZMQContext()
        let dealer = try makeSocket(context, .dealer)
        #expect(throws: ZMQError.self) { try dealer.setRoutingID([]) }
        #expect(throws: ZMQError.self) { try dealer.setRoutingID([UInt8](repeating: 1, count: 256)) }
        #expect(throws: ZMQError.self) { try dealer.subscribe(bytes("topic")) }
        #expect(throws: ZMQError.self) { try dealer.setOption(-12_345, Int32(1)) }
        #expect(throws: ZMQError.self) { try dealer.int32Option(-12_345) }
    }

    @Test func closeTwiceIsHarmless() throws {
        let context = try ZMQContext()
        let socket = try makeSocket(context, .router)
        socket.close()
        socket.close()
        context.terminate()
    }
}
