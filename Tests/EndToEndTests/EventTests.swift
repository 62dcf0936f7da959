import Foundation
import Glibc
import PortalProtocol
import Testing
import ZeroMQ

extension HeavyTests {
    /// Notifications through the real `portald` and `portalctl subscribe`: every committed event
    /// reaches a subscriber exactly once and in order, whatever the event socket loses.
    @Suite struct EventTests {
        private func seqs(_ events: [JSONValue]) -> [Int64] { events.compactMap { $0["seq"]?.intValue } }

        @Test func aBurstOf10000ChangesReachesASubscriberExactlyOnceInOrder() throws {
            let world = try DemoWorld()
            let server = try world.start()
            let first = try DemoWorld.lastSeq(on: server) + 1
            let subscriber = try world.subscribe(to: server, ["--from", "\(first)", "--count", "10001"])
            try DemoWorld.importBurst(10_000, order: "SO-BURST", on: server)

            #expect(subscriber.waitForExit(timeout: .seconds(60)) == 0, "stderr: \(subscriber.standardError)")
            let printed = try subscriber.printedEvents()
            #expect(seqs(printed) == Array(first..<first + 10_001))
            #expect(printed == (try DemoWorld.events(after: first - 1, on: server)), "exactly what the outbox holds")
            #expect(printed.dropFirst().allSatisfy { $0["type"] == "license.created" })
        }

        @Test func aSubscriberStalledPastItsHighWaterMarkStillGetsTheWholeSequence() throws {
            let world = try DemoWorld()
            // A queue of 10 events per subscriber: a frozen subscriber overflows it at once.
            let server = try world.start(["--event-hwm", "10"])
            let first = try DemoWorld.lastSeq(on: server) + 1
            let subscriber = try world.subscribe(to: server, ["--from", "\(first)", "--count", "10001"])
            try DemoWorld.importBurst(10_000, order: "SO-STALL", on: server) {
                try subscriber.waitForLines(1)  // it runs and is caught up: now freeze it
                subscriber.send(signal: SIGSTOP)
            }
            try DemoWorld.waitUntilPublished(first + 10_000, on: server)
            subscriber.send(signal: SIGCONT)

            #expect(subscriber.waitForExit(timeout: .seconds(60)) == 0, "stderr: \(subscriber.standardError)")
            #expect(seqs(try subscriber.printedEvents()) == Array(first..<first + 10_001))
        }

        @Test func aLateSubscriberCatchesUpFromItsStartingPoint() throws {
            let world = try DemoWorld()
            let server = try world.start()
            try DemoWorld.importBurst(2_000, order: "SO-LATE", on: server)
            let committed = try DemoWorld.events(on: server)
            #expect(seqs(committed) == Array(1...Int64(committed.count)), "gapless from 1")

            let subscriber = try world.subscribe(to: server, ["--from", "1", "--count", "\(committed.count)"])
            #expect(subscriber.waitForExit(timeout: .seconds(60)) == 0, "stderr: \(subscriber.standardError)")
            #expect(try subscriber.printedEvents() == committed)
        }

        @Test func afterKill9AndARestartASubscriberEndsWithExactlyTheCommittedEvents() throws {
            let world = try DemoWorld()
            let endpoints = ["--command-endpoint", try LoopbackEndpoint.unused(), "--event-endpoint", try LoopbackEndpoint.unused()]
            var server = try world.start(endpoints)
            let first = try DemoWorld.lastSeq(on: server) + 1
            let subscriber = try world.subscribe(to: server, ["--from", "\(first)"])

            // The burst runs in a `portalctl send` of its own, one import after the other, so the
            // kill lands in the middle of it.
            let token = try DemoWorld.token("order@demo.example", on: server)
            let imports = (0..<20).map { batch in
                RequestLine.line(id: .int(Int64(batch)), command: "license.import", auth: token, arguments: ["rows": .array(
                    (batch == 0 ? [["type": "company", "ref": "C-KILL", "name": "Kill AG", "views": ["customer"]],
                                   ["type": "product", "ref": "KILL", "name": "Kill Engine", "line": "ThinPrint"]] : [])
                    + (1...1_000).map { position in
                        ["type": "license", "order_reference": .string("SO-KILL-\(batch)"), "order_position": .int(Int64(position)),
                         "order_date": "2026-01-15T00:00:00Z", "product": "KILL", "owner": "C-KILL"]
                    })])
            }
            let burst = try ChildProcess(
                executable: try TestExecutables.portalctl(),
                arguments: ["send", "--endpoint", server.commandEndpoint, "--batch", "1", "--window", "1", "--timeout", "5"],
                standardInput: Data(imports.joined(separator: "\n").utf8), folder: world.folder)
            try subscriber.waitForLines(3_000)
            server.kill()
            #expect(try server.waitForExit() == 128 + SIGKILL)
            _ = burst.waitForExit(timeout: .seconds(10))

            server = try world.start(endpoints)
            let committed = try DemoWorld.events(after: first - 1, on: server)
            #expect(committed.count > 3_000 && committed.count < 20_001, "the kill came in the middle: \(committed.count)")
            try subscriber.waitForLines(committed.count)
            Thread.sleep(forTimeInterval: 2)  // two heartbeats: nothing more, nothing twice
            #expect(try subscriber.printedEvents() == committed, "stderr: \(subscriber.standardError)")
        }

        @Test func topicPrefixesSelectExactlyWhatTheyName() throws {
            let world = try DemoWorld()
            let server = try world.start()
            let context = try ZMQContext()
            func subscriber(_ prefix: String) throws -> ZMQSocket {
                let socket = try ZMQSocket(context: context, type: .sub)
                try socket.setLinger(milliseconds: 0)
                try socket.setReceiveTimeout(milliseconds: 10_000)
                try socket.subscribe(Array(prefix.utf8))
                try socket.subscribe(Array(EventTopic.heartbeat.utf8))
                try socket.connect(server.eventEndpoint)
                return socket
            }
            let prefixes = [
                "event/company.updated/co_ext_1/", "event/company.created/co_ext_1/", "event/company.", "event/",
                "event/company.updated/",
            ]
            let sockets = try prefixes.map(subscriber)
            // A heartbeat heard means the subscription is in place (no slow joiner from here on).
            for socket in sockets {
                while try #require(try socket.receive(), "no heartbeat")[0] != Array(EventTopic.heartbeat.utf8) {}
            }

            let order = try DemoWorld.token("order@demo.example", on: server)
            let client = try server.client()
            let rows: [JSONValue] = [
                ["type": "company", "ref": "1", "name": "One AG", "views": ["customer"]],
                ["type": "company", "ref": "10", "name": "Ten AG", "views": ["customer"]],
            ]
            var lines = [RequestLine.line(id: 1, command: "license.import", auth: order, arguments: ["rows": .array(rows)])]
            for company in ["co_ext_1", "co_ext_10"] {
                lines.append(RequestLine.line(
                    id: 2, command: "company.update", auth: order, arguments: ["company": .string(company), "name": "Renamed"]))
            }
            #expect(try client.request(lines).allSatisfy(\.isOK))
            let last = try DemoWorld.lastSeq(on: server)

            /// The topics each socket received, up to the heartbeat that follows the last event.
            func topics(_ socket: ZMQSocket) throws -> [String] {
                var topics: [String] = []
                while true {
                    let frames = try #require(try socket.receive(), "no heartbeat after the changes")
                    let body = try JSONParser.parse(frames[1], maxDepth: 64)
                    if frames[0] == Array(EventTopic.heartbeat.utf8) {
                        #expect(body["at"]?.stringValue != nil)
                        if (body["last_seq"]?.intValue ?? 0) >= last { return topics }
                        continue
                    }
                    let topic = String(decoding: frames[0], as: UTF8.self)
                    #expect(topic == "event/\(body["type"]?.stringValue ?? "")/\(body["company"]?.stringValue ?? "")/")
                    topics.append(topic)
                }
            }
            let received = try sockets.map(topics)
            let created1 = "event/company.created/co_ext_1/", created10 = "event/company.created/co_ext_10/"
            let updated1 = "event/company.updated/co_ext_1/", updated10 = "event/company.updated/co_ext_10/"
            #expect(received[0] == [updated1], "one type of one company, not co_ext_10")
            #expect(received[1] == [created1])
            #expect(received[2] == [created1, created10, updated1, updated10], "a type family")
            #expect(received[3] == [created1, created10, updated1, updated10], "everything")
            #expect(received[4] == [updated1, updated10], "one type")
            for socket in sockets { socket.close() }
            context.terminate()

            // portalctl subscribe filters the replay the same way.
            let filtered = try world.subscribe(to: server, ["--from", "1", "--topic", "event/company.updated/", "--count", "2"])
            #expect(filtered.waitForExit(timeout: .seconds(30)) == 0, "stderr: \(filtered.standardError)")
            #expect(try filtered.printedEvents().map { $0["company"] } == ["co_ext_1", "co_ext_10"])
        }
    }
}
