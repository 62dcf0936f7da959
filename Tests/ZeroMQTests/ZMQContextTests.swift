import CZeroMQ
import Glibc
import Testing
import ZeroMQ

@Suite struct ZMQContextTests {
    @Test func libraryVersionIsFourThree() {
        #expect(ZMQContext.libraryVersion.wholeMatch(of: /4\.3\.\d+/) != nil, "\(ZMQContext.libraryVersion)")
    }

    @Test func contextAndSocketsOfEveryType() throws {
        let context = try ZMQContext()
        let types: [ZMQSocketType] = [.pair, .pub, .sub, .req, .rep, .dealer, .router, .pull, .push, .xpub, .xsub]
        let expected = [ZMQ_PAIR, ZMQ_PUB, ZMQ_SUB, ZMQ_REQ, ZMQ_REP, ZMQ_DEALER, ZMQ_ROUTER, ZMQ_PULL, ZMQ_PUSH, ZMQ_XPUB, ZMQ_XSUB]
        for (type, raw) in zip(types, expected) {
            let socket = try ZMQSocket(context: context, type: type)
            #expect(socket.type == type)
            #expect(try socket.int32Option(ZMQ_TYPE) == raw)
            socket.close()
        }
    }

    @Test func contextWithSeveralIOThreads() throws {
        let context = try ZMQContext(ioThreads: 2)
        let (router, dealer) = try routerAndDealer(context)
        try dealer.send(bytes("ping"))
        #expect(try router.receive()?.last == bytes("ping"))
    }

    @Test func negativeIOThreadCountThrows() {
        let error = #expect(throws: ZMQError.self) { try ZMQContext(ioThreads: -1) }
        #expect(error?.code == EINVAL)
    }

    @Test func terminateAfterClosingSocketsReturnsPromptly() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context)
        try dealer.send(bytes("ping"))
        let request = try #require(try router.receive())
        try router.send([request[0], bytes("pong")])
        #expect(try dealer.receive() == [bytes("pong")])
        router.close()
        dealer.close()
        let (_, elapsed) = measure { context.terminate() }
        #expect(elapsed < .seconds(1))
    }

    @Test func terminateWithUnsentMessagesWaitsOnlyForTheLinger() throws {
        let context = try ZMQContext()
        let push = try ZMQSocket(context: context, type: .push)
        #expect(try push.int32Option(ZMQ_LINGER) == ZMQSocket.defaultLinger)
        // Nobody listens on port 1, so the message stays queued until the linger ends.
        try push.connect("tcp://127.0.0.1:1")
        #expect(try push.send(bytes("never delivered"), dontWait: true))
        push.close()
        let (_, elapsed) = measure { context.terminate() }
        #expect(elapsed >= .milliseconds(900))
        #expect(elapsed < .seconds(5))
    }

    @Test func terminateWithZeroLingerDropsUnsentMessagesAtOnce() throws {
        let context = try ZMQContext()
        let push = try makeSocket(context, .push)
        try push.connect("tcp://127.0.0.1:1")
        #expect(try push.send(bytes("dropped"), dontWait: true))
        push.close()
        let (_, elapsed) = measure { context.terminate() }
        #expect(elapsed < .seconds(1))
    }

    @Test func terminateTwiceIsHarmless() throws {
        let context = try ZMQContext()
        context.terminate()
        let (_, elapsed) = measure { context.terminate() }
        #expect(elapsed < .seconds(1))
    }

    @Test
    func socketOnATerminatedContextThrows() throws {
        let context = try ZMQContext()
        context.terminate()
        let error = #expect(throws: ZMQError.self) { try ZMQSocket(context: context, type: .pair) }
        #expect(error?.contextTerminated == true)
    }
}
