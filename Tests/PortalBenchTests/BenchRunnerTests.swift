import Foundation
import PortalBench
import Synchronization
import Testing
import ZeroMQ

/// Short runs over loopback against servers in this process: what the runner counts must be
/// what the server did. Nothing here asserts speed.
@Suite(.serialized) struct BenchRunnerTests {
    /// What a scripted server did, by outcome (`ok`, an error code, `ignored`).
    final class ServerLog: Sendable {
        let counts = Mutex<[String: Int64]>([:])
        func add(_ outcome: String) { counts.withLock { $0[outcome, default: 0] += 1 } }
    }

    /// A ROUTER that answers each request as `answer` says from its id (nil: never), holds every
    /// reply until `stall` after the first request, and once sends a reply nobody asked for.
    private static func scriptedServer(
        log: ServerLog, stall: Duration = .zero, answer: @escaping @Sendable (Int64) -> String?
    ) throws -> (ServerThread, String) {
        try ServerThread.start { control in
            let context = try ZMQContext()
            let socket = try ZMQSocket(context: context, type: .router)
            try socket.setLinger(milliseconds: 0)
            try socket.bind("tcp://127.0.0.1:*")
            control.announce(try socket.lastEndpoint())
            var poller = ZMQPoller()
            _ = poller.add(socket)
            var release: ContinuousClock.Instant?
            var held: [[[UInt8]]] = []
            while !control.shouldStop {
                try poller.poll(timeoutMilliseconds: 5)
                while let message = try socket.receive(dontWait: true) {
                    guard let raw = ReplyScanner.rawID(ofRequest: ArraySlice(message[1])),
                          let id = Int64(String(decoding: raw, as: UTF8.self))
                    else { continue }
                    if release == nil {
                        release = .now + stall
                        held.append([message[0], Array(#"{"id":987654321,"ok":true,"result":{}}"#.utf8)])
                    }
                    guard let outcome = answer(id) else {
                        log.add("ignored")
                        continue
                    }
                    log.add(outcome)
                    let line = outcome == "ok" ? #"{"id":\#(id),"ok":true,"result":{"x":"}"}}"#
                        : #"{"id":\#(id),"ok":false,"error":{"code":"\#(outcome)","message":"scripted"}}"#
                    held.append([message[0], Array(line.utf8)])
                }
                if let release, ContinuousClock.now >= release {
                    for reply in held { try socket.send(reply) }
                    held.removeAll()
                }
            }
        }
    }

    private func run(_ endpoint: String, _ configuration: BenchConfiguration) throws -> BenchMeasurement {
        let context = try ZMQContext()
        let operation = CommandOperation(command: "system.ping", session: nil, args: [[:]], seed: 1)
        return try BenchRunner(context: context, endpoint: endpoint, configuration: configuration, workload: BenchWorkload([(operation, 1)])).run()
    }

    @Test func everyReplyIsMatchedAndEveryOutcomeCounted() throws {
        let log = ServerLog()
        let (server, endpoint) = try Self.scriptedServer(log: log) { id in
            if id == 3 || id == 10 { return nil }
            return id % 5 == 0 ? "busy" : id % 7 == 0 ? "not_found" : "ok"
        }
        var configuration = BenchConfiguration()
        configuration.connections = 2
        configuration.window = 8
        configuration.durationSeconds = 0.4
        configuration.warmupSeconds = 0
        configuration.drainSeconds = 0.3
        let measurement = try run(endpoint, configuration)
        try server.stop()
        let did = log.counts.withLock { $0 }

        let total = measurement.total
        #expect(total.sent > 100)
        #expect(total.sent == did.values.reduce(0, +))
        #expect(total.unanswered == 2)
        #expect(did["ignored"] == 2)
        #expect(total.outcomes == did.filter { $0.key != "ignored" })
        #expect(total.replies + total.unanswered == total.sent)
        #expect(total.latency.totalCount == total.replies)
        #expect(total.busyLatency.totalCount == did["busy"])
        #expect(measurement.unmatchedReplies == 1)
        #expect(measurement.segments == [total])
        #expect(measurement.operations.map(\.name) == ["system.ping"])
        #expect(measurement.operations[0].tally == total)
    }

    @Test func theEchoServerAnswersEveryRequest() throws {
        let (server, endpoint) = try ServerThread.start { control in
            let echo = try EchoServer(context: try ZMQContext(), endpoint: "tcp://127.0.0.1:*")
            control.announce(echo.endpoint)
            try echo.run(checkMilliseconds: 5) { control.shouldStop }
        }
        var configuration = BenchConfiguration()
        configuration.connections = 3
        configuration.durationSeconds = 0.3
        configuration.warmupSeconds = 0.1
        let measurement = try run(endpoint, configuration)
        try server.stop()
        #expect(measurement.total.sent > 0)
        #expect(measurement.total.outcomes == ["ok": measurement.total.sent])
        #expect(measurement.total.unanswered == 0)
        #expect(measurement.unmatchedReplies == 0)
    }

    /// The server holds everything for its first 200 ms; the client may have only one request in
    /// flight. Requests fall due all the same, wait in the client, and are charged from when they
    /// were due: a closed loop would have seen one slow request, this sees the first hundred.
    @Test func openLoopLatencyCountsFromWhenEachRequestWasDue() throws {
        let log = ServerLog()
        let (server, endpoint) = try Self.scriptedServer(log: log, stall: .milliseconds(200)) { _ in "ok" }
        var configuration = BenchConfiguration()
        configuration.connections = 1
        configuration.window = 1
        configuration.warmupSeconds = 0
        configuration.drainSeconds = 2
        configuration.rate = RateProfile(segments: [.init(rate: 500, seconds: 1)])
        let measurement = try run(endpoint, configuration)
        try server.stop()

        let total = measurement.total
        #expect(total.sent == 500)
        #expect(total.outcomes == ["ok": 500])
        // The first request waited the whole stall; those due in the first 100 ms waited 100 ms
        // or more, although each was sent only when the one before it was answered.
        #expect(total.latency.maximum >= 190_000_000)
        #expect(measurement.timeline.offered.first == 50)
        #expect((measurement.timeline.prompt.first ?? 0) <= 2)
        let recovered = try #require(measurement.timeline.recoveryTime(of: measurement.segmentBounds[0]))
        #expect(recovered >= 0.1 && recovered <= 0.8)
    }
}
