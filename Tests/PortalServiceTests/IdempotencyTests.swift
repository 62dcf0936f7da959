import Dispatch
import Foundation
import Synchronization
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// Requests with an idempotency key (`idem`): a retry replays the first result and changes
/// nothing, the key reused for another request is `conflict`, keys are the user's and expire
/// after 24 hours, failures are not kept, and concurrent retries run the command once.
@Suite struct IdempotencyTests {
    struct Failure: Error {}

    let fixture: AccountFixture
    let order: AccountPerson
    let token: String

    init(registry: CommandRegistry = .standard) throws {
        fixture = try AccountFixture(registry: registry)
        order = try fixture.addStaff([.order])
        token = try fixture.token(for: order)
    }

    static let key = "5f0c2a9e-7d41-4b8e-9c3a-1e6f8b2d4a70"
    static let printing: [String: JSONValue] = ["name": "Printing Partners GmbH", "views": ["reseller"]]

    func companies() throws -> [Company] {
        try fixture.store.read { reader in try reader.companies(after: nil, limit: 1_000) }
    }

    func events(_ type: String) throws -> [StoredEvent] {
        try fixture.store.read { try $0.events(after: 0, through: .max, types: [], company: nil, limit: 1000) }
            .filter { $0.type == type }
    }

    // MARK: The contract

    @Test func schemasSayWhichCommandsHonourIdemAsTheRegistryDoes() throws {
        let registry = CommandRegistry.standard
        for (name, schema) in try ProtocolCatalogueTests.schemas() {
            let entry = try #require(registry.entry(for: name))
            let documented = schema["idempotent"] == true
            #expect(documented == entry.honoursIdempotencyKey, "\(name): the schema's idempotent and the registry disagree")
            #expect(schema["idempotent"] == nil || schema["idempotent"] == true, "\(name): write idempotent: true or leave it out")
        }
    }

    @Test func theReadmeNamesEveryCommandThatHonoursIdem() throws {
        let readme = try String(
            contentsOf: ProtocolCatalogueTests.protocolFolder.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.split(separator: "## Idempotency (`idem`)").dropFirst().first?
            .split(separator: "\n## ").first, "protocol/README.md has no section Idempotency (`idem`)")
        let registry = CommandRegistry.standard
        for command in registry.commands where registry.entry(for: command)!.honoursIdempotencyKey {
            #expect(section.contains("`\(command)`"), "\(command) is missing from the README's idempotency section")
        }
    }

    @Test func commandsOpenToAnyoneNeverHonourIdem() {
        let registry = CommandRegistry.standard
        for command in registry.commands {
            let entry = registry.entry(for: command)!
            if case .anyone = entry.access { #expect(!entry.honoursIdempotencyKey, "\(command)") }
        }
    }

    // MARK: Retries

    @Test func aRetryGetsTheByteIdenticalReplyAndChangesNothing() throws {
        let first = try fixture.send("company.create", auth: token, idem: Self.key, args: Self.printing)
        let retry = try fixture.send("company.create", auth: token, idem: Self.key, args: Self.printing)
        #expect(first.ok, "\(first)")
        #expect(retry.line == first.line)
        #expect(try companies().count == 1)
        #expect(try events("company.created").count == 1)
    }

    @Test func aRetryWithOtherMemberOrderAndIDGetsTheSameResult() throws {
        let first = try fixture.send(
            line: #"{"id":1,"cmd":"company.create","auth":"\#(token)","idem":"k1","args":{"name":"Acme","views":["customer"]}}"#)
        let retry = try fixture.send(
            line: #"{"args":{"views":[ "customer" ],"name":"Acme"},"idem":"k1","cmd":"company.create","auth":"\#(token)","id":"again"}"#)
        #expect(retry.value["id"] == "again")
        #expect(retry.result == first.result)
        #expect(first.line.hasSuffix(try #require(retry.line.split(separator: #""ok":true"#).last)), "the same result text")
        #expect(try companies().count == 1)
    }

    @Test func aRetryAfterLoggingInAgainStillGetsTheKeptReply() throws {
        let first = try fixture.send("company.create", auth: token, idem: Self.key, args: Self.printing)
        let retry = try fixture.send("company.create", auth: try fixture.token(for: order), idem: Self.key, args: Self.printing)
        #expect(retry.line == first.line)
        #expect(try companies().count == 1)
    }

    @Test func theKeyUsedForAnotherRequestIsConflict() throws {
        let first = try fixture.send("company.create", auth: token, idem: Self.key, args: Self.printing)
        let company = try #require(first.result["id"]?.stringValue)
        var otherArgs = Self.printing
        otherArgs["name"] = "Other Partners GmbH"
        let replies = [
            try fixture.send("company.create", auth: token, idem: Self.key, args: otherArgs),
            try fixture.send("company.update", auth: token, idem: Self.key, args: ["company": .string(company), "name": "Renamed"]),
            try fixture.send("company.update", auth: token, idem: Self.key, args: Self.printing),
            try fixture.send("company.create", auth: token, idem: Self.key, view: "reseller", args: Self.printing),
        ]
        for reply in replies {
            #expect(reply.errorCode == "conflict", "\(reply)")
            #expect(reply.errorMessage?.contains("idempotency key '\(Self.key)' was used for another request") == true, "\(reply)")
        }
        #expect(try companies().map(\.name) == ["Printing Partners GmbH"])
        #expect(try events("company.created").count == 1)
        #expect(try events("company.updated").isEmpty)
    }

    @Test func anotherUsersSameKeyIsIndependent() throws {
        let colleague = try fixture.staffToken([.order])
        let mine = try fixture.send("company.create", auth: token, idem: Self.key, args: Self.printing)
        let theirs = try fixture.send("company.create", auth: colleague, idem: Self.key, args: Self.printing)
        #expect(mine.ok && theirs.ok)
        #expect(mine.result["id"] != theirs.result["id"])
        #expect(try companies().count == 2)
        // Each user's retry still gets the own first result.
        #expect(try fixture.send("company.create", auth: colleague, idem: Self.key, args: Self.printing).line == theirs.line)
        #expect(try fixture.send("company.create", auth: token, idem: Self.key, args: Self.printing).line == mine.line)
    }

    @Test func aKeyIsKeptFor24HoursAndThenFree() throws {
        let first = try fixture.send("company.create", auth: token, idem: Self.key, args: Self.printing)
        fixture.clock.advance(by: 24 * 3_600 - 1)
        let late = try fixture.send("company.create", auth: try fixture.token(for: order), idem: Self.key, args: Self.printing)
        #expect(late.line == first.line, "within 24 hours")
        fixture.clock.advance(by: 1)
        let afterwards = try fixture.send("company.create", auth: try fixture.token(for: order), idem: Self.key, args: Self.printing)
        #expect(afterwards.ok)
        #expect(afterwards.result["id"] != first.result["id"], "a new request")
        #expect(try companies().count == 2)
        // The key now belongs to the new request, and is kept for 24 hours from it.
        var otherArgs = Self.printing
        otherArgs["name"] = "Other Partners GmbH"
        #expect(try fixture.send("company.create", auth: try fixture.token(for: order), idem: Self.key, args: otherArgs).errorCode == "conflict")
    }

    @Test func expiredKeysArePrunedAsNewOnesAreKept() throws {
        _ = try fixture.send("company.create", auth: token, idem: "old", args: Self.printing)
        fixture.clock.advance(by: 25 * 3_600)
        _ = try fixture.send("company.create", auth: try fixture.token(for: order), idem: "new", args: Self.printing)
        let (old, new) = try fixture.store.read { reader in
            (try reader.idempotencyRecord(userID: order.id, key: "old", keptAfter: .distantPast),
             try reader.idempotencyRecord(userID: order.id, key: "new", keptAfter: .distantPast))
        }
        #expect(old == nil)
        #expect(new != nil)
    }

    // MARK: What is not kept

    @Test func aFailingRequestIsNotKeptAndItsRetryRunsAgain() throws {
        let refused = try fixture.send("company.create", auth: token, idem: Self.key, args: ["name": "Printing Partners GmbH"])
        #expect(refused.errorCode == "bad_request")
        let retry = try fixture.send("company.create", auth: token, idem: Self.key, args: ["name": "Printing Partners GmbH"])
        #expect(retry.line == refused.line, "run again, failing again")
        let corrected = try fixture.send("company.create", auth: token, idem: Self.key, args: Self.printing)
        #expect(corrected.ok, "the key was not taken by the failures: \(corrected)")
        #expect(try companies().count == 1)
    }

    @Test func aHandlerThatWritesAndThenFailsLeavesNoChangeAndNoRecord() throws {
        let runs = RunCount()
        var registry = CommandRegistry.standard
        registry.register("test.write_then_fail", access: .session, mutating: true) { context in
            runs.count.withLock { $0 += 1 }
            try context.environment.store.write { writer in
                try writer.insert(Company(id: "co_half_done", name: "Half Done", views: [.customer], createdAt: context.environment.clock.now))
            }
            throw PortalError(.conflict, "changed my mind")
        }
        let test = try IdempotencyTests(registry: registry)
        for _ in 0..<2 {
            let reply = try test.fixture.send("test.write_then_fail", auth: test.token, idem: Self.key)
            #expect(reply.errorCode == "conflict" && reply.errorMessage == "changed my mind", "\(reply)")
        }
        #expect(runs.count.withLock { $0 } == 2, "nothing kept: the retry ran the handler again")
        #expect(try test.companies().isEmpty, "the handler's write was rolled back with the request")
    }

    @Test func aHandlersFailedWriteIsUndoneAloneAsWithoutAKey() throws {
        var registry = CommandRegistry.standard
        registry.register("test.try_twice", access: .session, mutating: true) { context in
            let store = context.environment.store
            let now = context.environment.clock.now
            _ = try? store.write { writer in
                try writer.insert(Company(id: "co_undone", name: "Undone", views: [.customer], createdAt: now))
                throw Failure()
            }
            try store.write { writer in try writer.insert(Company(id: "co_kept", name: "Kept", views: [.customer], createdAt: now)) }
            return JSONValue.object(["seen": .bool(try store.read { try $0.company(id: "co_kept") } != nil)])
        }
        let test = try IdempotencyTests(registry: registry)
        let reply = try test.fixture.send("test.try_twice", auth: test.token, idem: Self.key)
        #expect(reply.result == ["seen": true], "reads see the request's own writes: \(reply)")
        #expect(try test.companies().map(\.id) == ["co_kept"])
    }

    @Test func aReadOnlyCommandWithIdemJustRuns() throws {
        let empty = try fixture.send("company.list", auth: token, idem: Self.key)
        _ = try fixture.send("company.create", auth: token, args: Self.printing)
        let listed = try fixture.send("company.list", auth: token, idem: Self.key)
        #expect(empty.result["items"] == [])
        #expect(listed.result["items"]?.arrayValue?.count == 1, "not a replay: \(listed)")
        // A read-only command does not check the key at all.
        #expect(try fixture.send("company.list", auth: token, idem: "").ok)
    }

    @Test func commandsOpenToAnyoneIgnoreIdem() throws {
        let first = try fixture.send("auth.login", idem: Self.key, args: ["email": .string(order.email), "password": .string(order.password)])
        let second = try fixture.send("auth.login", idem: Self.key, args: ["email": .string(order.email), "password": .string(order.password)])
        #expect(first.ok && second.ok)
        #expect(first.result["token"] != second.result["token"], "two sessions: the key was ignored")
    }

    @Test func accessIsCheckedBeforeTheKeptReply() throws {
        let first = try fixture.send("company.create", auth: token, idem: Self.key, args: Self.printing)
        #expect(first.ok)
        #expect(try fixture.send("company.create", auth: "not-a-token", idem: Self.key, args: Self.printing).errorCode == "unauthenticated")
        let support = try fixture.staffToken([.support])
        #expect(try fixture.send("company.create", auth: support, idem: Self.key, args: Self.printing).errorCode == "forbidden")
    }

    @Test func anEmptyOrOverlongKeyIsBadRequest() throws {
        for key in ["", String(repeating: "k", count: 201)] {
            let reply = try fixture.send("company.create", auth: token, idem: key, args: Self.printing)
            #expect(reply.errorCode == "bad_request", "\(reply)")
            #expect(reply.errorMessage == "idem must be a string of 1 to 200 characters")
        }
        #expect(try fixture.send("company.create", auth: token, idem: String(repeating: "k", count: 200), args: Self.printing).ok)
        #expect(try companies().count == 1)
    }

    @Test func keptRepliesOfOtherCommandsReplayToo() throws {
        let company = try #require(try fixture.send("company.create", auth: token, args: Self.printing).result["id"])
        let args: [String: JSONValue] = [
            "company": company, "email": "buyer@printing.example", "name": "Bea Buyer", "password": "a long passphrase",
        ]
        let first = try fixture.send("user.create", auth: token, idem: Self.key, args: args)
        let retry = try fixture.send("user.create", auth: token, idem: Self.key, args: args)
        #expect(first.ok, "\(first)")
        #expect(retry.line == first.line)
        #expect(try events("user.added").count == 1)
    }

    // MARK: Concurrency

    @Test func aHundredConcurrentRetriesChangeStateOnce() throws {
        let line = String(decoding: JSONValue.object([
            "id": 7, "cmd": "company.create", "auth": .string(token), "idem": .string(Self.key), "args": .object(Self.printing),
        ]).serialized(), as: UTF8.self)
        let frame = Array((line + "\n").utf8)
        let replies = Mutex<[[UInt8]]>([])
        let executor = fixture.executor
        DispatchQueue.concurrentPerform(iterations: 100) { _ in
            let reply = executor.execute(frame: frame)
            replies.withLock { $0.append(reply) }
        }
        let all = replies.withLock { $0 }
        #expect(all.count == 100)
        #expect(Set(all).count == 1, "every retry got the same reply")
        let reply = try JSONParser.parse(try #require(RequestFrameDecoder.lines(in: all[0]).first), maxDepth: 64)
        #expect(reply["ok"] == true, "\(reply)")
        #expect(try companies().count == 1)
        #expect(try events("company.created").count == 1)
    }
}

/// How often a test handler ran.
final class RunCount: Sendable {
    let count = Mutex(0)
}

extension AccountFixture {
    /// Sends one request with an idempotency key, built as a JSON line from its parts.
    func send(
        _ command: String, auth: String? = nil, idem: String, view: String? = nil, args: [String: JSONValue] = [:],
        id: JSONValue = 1
    ) throws -> AccountReply {
        var request: [String: JSONValue] = ["id": id, "cmd": .string(command), "idem": .string(idem)]
        if let auth { request["auth"] = .string(auth) }
        if let view { request["view"] = .string(view) }
        if !args.isEmpty { request["args"] = .object(args) }
        return try send(line: String(decoding: JSONValue.object(request).serialized(), as: UTF8.self))
    }
}
