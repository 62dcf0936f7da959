import CZeroMQ
import Glibc
import Testing
import ZeroMQ

@Suite struct ZMQPollerTests {
    @Test func socketBecomesReadableWhenAMessageArrives() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context)
        var poller = ZMQPoller()
        let index = poller.add(router)
        #expect(try poller.poll(timeoutMilliseconds: 0) == 0)
        #expect(!poller.isReadable(index))

        try dealer.send(bytes("wake up"))
        #expect(try poller.poll(timeoutMilliseconds: Int(testTimeoutMilliseconds)) == 1)
        #expect(poller.isReadable(index))
        #expect(!poller.isWritable(index))

        #expect(try router.receive(dontWait: true)?.last == bytes("wake up"))
        #expect(try poller.poll(timeoutMilliseconds: 0) == 0)
        #expect(!poller.isReadable(index))
    }

    @Test func timeoutWithNothingReadyReturnsZero() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context)
        var poller = ZMQPoller()
        let routerIndex = poller.add(router)
        let dealerIndex = poller.add(dealer)
        let (ready, elapsed) = try measure { try poller.poll(timeoutMilliseconds: 100) }
        #expect(ready == 0)
        #expect(!poller.isReadable(routerIndex) && !poller.isReadable(dealerIndex))
        #expect(elapsed >= .milliseconds(90))
        #expect(elapsed < .seconds(2))
    }

    @Test func pollingNothingTimesOut() throws {
        var poller = ZMQPoller()
        let (ready, elapsed) = try measure { try poller.poll(timeoutMilliseconds: 20) }
        #expect(ready == 0)
        #expect(elapsed < .seconds(2))
    }

    @Test func pipeBecomesReadableAfterAWrite() throws {
        var descriptors: [Int32] = [-1, -1]
        try #require(pipe(&descriptors) == 0)
        defer { for descriptor in descriptors { close(descriptor) } }

        var poller = ZMQPoller()
        let index = poller.add(fileDescriptor: descriptors[0])
        #expect(try poller.poll(timeoutMilliseconds: 0) == 0)
        #expect(!poller.isReadable(index))

        var byte: UInt8 = 0x21
        #expect(write(descriptors[1], &byte, 1) == 1)
        #expect(try poller.poll(timeoutMilliseconds: Int(testTimeoutMilliseconds)) == 1)
        #expect(poller.isReadable(index))

        #expect(read(descriptors[0], &byte, 1) == 1)
        #expect(try poller.poll(timeoutMilliseconds: 0) == 0)
    }

    @Test func onlyTheReadyItemIsReported() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context)
        var descriptors: [Int32] = [-1, -1]
        try #require(pipe(&descriptors) == 0)
        defer { for descriptor in descriptors { close(descriptor) } }

        var poller = ZMQPoller()
        let routerIndex = poller.add(router)
        let pipeIndex = poller.add(fileDescriptor: descriptors[0])
        let dealerIndex = poller.add(dealer)
        #expect([routerIndex, pipeIndex, dealerIndex] == [0, 1, 2])

        var byte: UInt8 = 1
        #expect(write(descriptors[1], &byte, 1) == 1)
        #expect(try poller.poll(timeoutMilliseconds: Int(testTimeoutMilliseconds)) == 1)
        #expect(poller.isReadable(pipeIndex))
        #expect(!poller.isReadable(routerIndex) && !poller.isReadable(dealerIndex))

        try dealer.send(bytes("x"))
        let both = try eventually { try poller.poll(timeoutMilliseconds: 100) == 2 ? true : nil }
        #expect(both == true)
        #expect(poller.isReadable(pipeIndex) && poller.isReadable(routerIndex))
        #expect(!poller.isReadable(dealerIndex))
    }

    @Test func settingEventsToZeroIgnoresAnItem() throws {
        var descriptors: [Int32] = [-1, -1]
        try #require(pipe(&descriptors) == 0)
        defer { for descriptor in descriptors { close(descriptor) } }
        var byte: UInt8 = 1
        #expect(write(descriptors[1], &byte, 1) == 1)

        var poller = ZMQPoller()
        let index = poller.add(fileDescriptor: descriptors[0])
        poller.setEvents(0, at: index)
        #expect(try poller.poll(timeoutMilliseconds: 0) == 0)
        poller.setEvents(Int16(ZMQ_POLLIN), at: index)
        #expect(try poller.poll(timeoutMilliseconds: 0) == 1)
        #expect(poller.isReadable(index))
    }

    @Test func connectedDealerIsWritable() throws {
        let context = try ZMQContext()
        let (_, dealer) = try routerAndDealer(context)
        var poller = ZMQPoller()
        let index = poller.add(dealer, events: Int16(ZMQ_POLLOUT))
        #expect(try poller.poll(timeoutMilliseconds: Int(testTimeoutMilliseconds)) == 1)
        #expect(poller.isWritable(index))
        #expect(!poller.isReadable(index))
    }

    @Test func pipeWriteEndIsWritable() throws {
        var descriptors: [Int32] = [-1, -1]
        try #require(pipe(&descriptors) == 0)
        defer { for descriptor in descriptors { close(descriptor) } }
        var poller = ZMQPoller()
        let index = poller.add(fileDescriptor: descriptors[1], events: Int16(ZMQ_POLLOUT))
        #expect(try poller.poll(timeoutMilliseconds: 0) == 1)
        #expect(poller.isWritable(index))
    }
}
