import PortalBench
import Testing

@Suite struct ReplyScannerTests {
    private func scan(_ text: String) -> ReplyScanner.Reply? { ReplyScanner.scan(ArraySlice(text.utf8)) }

    @Test func aSuccessWithAResultFullOfTraps() throws {
        let reply = try #require(scan(#"{"id":17,"ok":true,"result":{"note":"a } and a \" and {\"code\":1}","items":[{"ok":false},[1,2]],"error":null}}"#))
        #expect(reply.integerID == 17)
        #expect(reply.ok)
        #expect(reply.outcome == "ok")
    }

    @Test func anErrorTakesItsCodeNotADetailsCode() throws {
        let reply = try #require(scan(#"{"error":{"details":{"code":"x","nested":{"code":"y"}},"code":"not_found","message":"no"},"ok":false,"id":"a-1"}"#))
        #expect(reply.ok == false)
        #expect(reply.errorCode == "not_found")
        #expect(reply.outcome == "not_found")
        #expect(reply.rawID.map { String(decoding: $0, as: UTF8.self) } == #""a-1""#)
        #expect(reply.integerID == nil)
    }

    @Test func idsAsWritten() throws {
        #expect(try #require(scan(#"{"id":-42,"ok":true,"result":{}}"#)).integerID == -42)
        #expect(try #require(scan(#"{"id":null,"ok":false,"error":{"code":"busy"}}"#)).integerID == nil)
        #expect(try #require(scan(#"{"ok":true,"result":{}}"#)).rawID == nil)
        #expect(try #require(scan(#" { "id" : 9223372036854775807 , "ok" : true } "#)).integerID == Int64.max)
        #expect(try #require(scan(#"{"id":99999999999999999999,"ok":true}"#)).integerID == nil)
    }

    @Test func repliesThatAreNeitherSuccessNorErrorAreMalformed() throws {
        #expect(try #require(scan(#"{"id":1}"#)).outcome == "malformed_reply")
        #expect(try #require(scan(#"{"id":1,"ok":false}"#)).outcome == "malformed_reply")
        #expect(try #require(scan(#"{"id":1,"ok":"yes","error":{"code":"busy"}}"#)).outcome == "malformed_reply")
        #expect(scan("[1,2]") == nil)
        #expect(scan(#"{"id":1,"ok":true"#) == nil)
        #expect(scan(#"{"id":1,"ok":false,"error":{"code":"busy"}"#) == nil)
        #expect(scan(#"{"id":1,"ok":false,"error":{"code":"busy}}"#) == nil)
        #expect(scan("") == nil)
    }

    @Test func aSuccessIsNotWalkedPastItsIDAndOK() throws {
        // The bench measures, it does not validate results: this one is cut short inside.
        let reply = try #require(scan(#"{"id":3,"ok":true,"result":{"a":"unterminated}}"#))
        #expect(reply.integerID == 3)
        #expect(reply.outcome == "ok")
        // With `ok` first, the scan goes on to the id.
        #expect(try #require(scan(#"{"ok":true,"result":[1,{"x":"]"}],"id":4}"#)).integerID == 4)
    }

    @Test func theRawIDOfARequestLine() {
        let line = ArraySlice(#"{"cmd":"system.ping","id":"x\"y","args":{"id":3}}"#.utf8)
        #expect(ReplyScanner.rawID(ofRequest: line).map { String(decoding: $0, as: UTF8.self) } == #""x\"y""#)
        #expect(ReplyScanner.rawID(ofRequest: ArraySlice(#"{"cmd":"system.ping"}"#.utf8)) == nil)
        #expect(ReplyScanner.rawID(ofRequest: ArraySlice("not json".utf8)) == nil)
    }
}
