import Foundation
import PortalProtocol
@testable import PortalService
import Testing

@Suite struct CommandExecutorTests {
    private struct Unexpected: Error {}

    @Test func oneReplyLinePerRequestLineInOrder() throws {
        let fixture = try ExecutorFixture()
        let replies = try fixture.execute([
            #"{"id":1,"cmd":"system.ping"}"#,
            "not json",
            #"{"id":"x","cmd":"system.info"}"#,
            #"{"id":3,"cmd":"no.such"}"#,
        ])
        #expect(replies.map { $0["id"] } == [1, JSONValue.null, "x", 3])
        #expect(replies.map { $0["ok"] } == [true, false, true, false])
        #expect(replies.map(\.errorCode) == [nil, "bad_request", nil, "unknown_command"])
    }

    @Test func anEmptyFrameGetsAnEmptyReply() throws {
        let fixture = try ExecutorFixture()
        #expect(fixture.executor.execute(frame: Array("\n \n".utf8)).isEmpty)
    }

    @Test func anUnknownCommandIsNamed() throws {
        let reply = try ExecutorFixture().execute(#"{"id":1,"cmd":"license.teleport"}"#)
        #expect(reply.errorCode == "unknown_command")
        #expect(reply["error"]?["message"]?.stringValue?.contains("license.teleport") == true)
    }

    @Test func aTooLargeFrameIsOneLine() throws {
        let fixture = try ExecutorFixture()
        let lines = Array(repeating: #"{"cmd":"system.ping"}"#, count: ProtocolLimits().maxLinesPerFrame + 1)
        let replies = try fixture.execute(lines)
        #expect(replies.map(\.errorCode) == ["too_large"])
    }

    @Test func anUnexpectedErrorIsInternalWithAReferenceAndSparesTheNextLine() throws {
        var registry = CommandRegistry.standard
        registry.register("test.explode", access: .anyone) { _ in throw Unexpected() }
        let fixture = try ExecutorFixture(registry: registry)

        let replies = try fixture.execute([#"{"id":1,"cmd":"test.explode"}"#, #"{"id":2,"cmd":"system.ping"}"#])

        #expect(replies.count == 2)
        #expect(replies[0]["id"] == 1)
        #expect(replies[0].errorCode == "internal")
        let reference = try #require(replies[0]["error"]?["details"]?["ref"]?.stringValue)
        #expect(!reference.isEmpty)
        #expect(replies[0]["error"]?["message"]?.stringValue?.contains(reference) == true)
        let logged = fixture.log.entries.filter { $0.metadata["error.ref"] == .string(reference) }
        #expect(logged.count == 1, "the operator's log has the reference")
        #expect(logged.first?.level == .error)
        #expect(logged.first?.metadata["command"] == "test.explode")
        #expect(replies[1]["id"] == 2)
        #expect(replies[1]["ok"] == true)
    }

    @Test func aPortalErrorKeepsItsCodeMessageAndDetails() throws {
        var registry = CommandRegistry()
        registry.register("test.conflict", access: .anyone) { _ in
            throw PortalError(.conflict, "already revoked", details: ["allowed": ["reinstate"], "state": "revoked"])
        }
        let fixture = try ExecutorFixture(registry: registry)

        let reply = try fixture.execute(#"{"id":"c","cmd":"test.conflict"}"#)

        #expect(reply == [
            "id": "c", "ok": false,
            "error": ["code": "conflict", "message": "already revoked", "details": ["allowed": ["reinstate"], "state": "revoked"]],
        ])
    }

    @Test func handlersReceiveTheDecodedRequest() throws {
        var registry = CommandRegistry()
        registry.register("test.echo", access: .anyone) { context in
            JSONValue.object([
                "args": .object(context.request.arguments), "auth": context.request.auth.map(JSONValue.string) ?? .null,
                "view": context.request.view.map(JSONValue.string) ?? .null,
                "idem": context.request.idempotencyKey.map(JSONValue.string) ?? .null,
            ])
        }
        let fixture = try ExecutorFixture(registry: registry)

        let reply = try fixture.execute(#"{"v":1,"id":9,"cmd":"test.echo","auth":"t","view":"admin","idem":"k1","args":{"n":1}}"#)

        #expect(reply["result"] == ["args": ["n": 1], "auth": "t", "view": "admin", "idem": "k1"])
    }
}
