import Dispatch
import Foundation
import PortalProtocol
import PortalStore
import Synchronization
import Testing

/// Group commit under a crash: `kill -9` in the middle of a burst of writes from several
/// connections; after a restart every acknowledged write is there and the file is sound.
@Suite struct GroupCommitEndToEndTests {
    @Test func everyAcknowledgedWriteSurvivesKillNine() throws {
        let world = try DemoWorld()
        let server = try world.start()
        let token = try DemoWorld.token("order@demo.example", on: server)
        let burst = Burst()
        let endpoint = server.commandEndpoint

        // Four connections create companies one after the other, each keeping what was answered.
        for connection in 0..<4 {
            Thread {
                defer { burst.finished.signal() }
                guard let client = try? PortalClient(endpoint: endpoint, receiveTimeout: .seconds(2)) else { return }
                for index in 0..<2_000 where !burst.killed.load(ordering: .relaxed) {
                    let line = RequestLine.line(
                        id: .int(Int64(index)), command: "company.create", auth: token,
                        arguments: ["name": .string("Burst \(connection)-\(index) AG"), "views": ["customer"]])
                    guard let reply = try? client.request(line), let id = reply.result?["id"]?.stringValue else { return }
                    burst.acknowledged.withLock { $0.append(id) }
                }
            }.start()
        }
        let deadline = Date().addingTimeInterval(30)
        while burst.acknowledged.withLock({ $0.count }) < 300, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        server.kill()
        burst.killed.store(true, ordering: .relaxed)
        // The writers stop at their next unanswered request (a bounded receive).
        for _ in 0..<4 { burst.finished.wait() }
        let acknowledged = burst.acknowledged.withLock { $0 }
        #expect(acknowledged.count >= 300, "the burst was too slow to test anything")

        let restarted = try world.start()
        let order = try DemoWorld.token("order@demo.example", on: restarted)
        var stored = Set<String>()
        var cursor: JSONValue = .null
        repeat {
            let page = try restarted.client().request(RequestLine.line(
                id: 1, command: "company.list", auth: order, arguments: ["limit": 500, "cursor": cursor]))
            let result = try #require(page.result, "company.list: \(page)")
            stored.formUnion((result["items"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
            cursor = result["next_cursor"] ?? .null
        } while cursor != .null
        let lost = Set(acknowledged).subtracting(stored)
        #expect(lost.isEmpty, "\(lost.count) acknowledged writes lost, e.g. \(lost.prefix(3))")
        #expect(try SQLiteStore(path: world.database).integrityProblems() == [])
    }
}

extension GroupCommitEndToEndTests {
    /// A write's reply leaves only once its commit is synced: `system.info` asked right after it
    /// counts more commits durable than there were before the write. Writes from four
    /// connections at once share syncs.
    @Test func aWritesReplyLeavesOnlyOnceItIsDurable() throws {
        let world = try DemoWorld()
        let server = try world.start()
        let token = try DemoWorld.token("order@demo.example", on: server)
        let endpoint = server.commandEndpoint
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { connection in
            do {
                let client = try PortalClient(endpoint: endpoint, receiveTimeout: .seconds(10))
                func stats() throws -> JSONValue? {
                    try client.request(RequestLine.line(id: 2, command: "system.info")).result?["stats"]
                }
                for index in 0..<25 {
                    let before = try stats()?["commits"]?.intValue ?? -1
                    let created = try client.request(RequestLine.line(
                        id: 1, command: "company.create", auth: token,
                        arguments: ["name": .string("Durable \(connection)-\(index) AG"), "views": ["customer"]]))
                    guard created.result != nil else { throw DurabilityFailure("company.create: \(created)") }
                    // The write committed after `before` commits; its reply came, so it is durable.
                    let durable = try stats()?["durable_commits"]?.intValue ?? -1
                    guard durable > before else {
                        throw DurabilityFailure("\(durable) commits durable after a write acknowledged after \(before)")
                    }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let stats = try #require(try server.client().request(RequestLine.line(id: 1, command: "system.info")).result?["stats"])
        let commits = try #require(stats["commits"]?.intValue)
        let syncs = try #require(stats["syncs"]?.intValue)
        #expect(commits >= 1 && commits <= 100 + 50, "100 writes (some grouped) and a few of the server's own")
        #expect(syncs >= 1)
    }
}

private struct DurabilityFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What the writer threads of the burst share.
private final class Burst: Sendable {
    let acknowledged = Mutex<[String]>([])
    let killed = Atomic<Bool>(false)
    let finished = DispatchSemaphore(value: 0)
}
