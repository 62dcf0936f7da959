import Foundation
import PortalProtocol
import Testing

@Suite struct ReplyFrameWriterTests {
    private struct Download: Encodable {
        let url: String
        let zeta: Int
        let alpha: String
        let nested: [String: Int]
    }

    private struct Measurement: Encodable {
        let value: Double
    }

    private struct Stamped: Encodable {
        let at: Date
        let extra: JSONValue
    }

    private func lines(_ writer: ReplyFrameWriter) -> [String] {
        text(writer.bytes).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func startsEmpty() {
        #expect(ReplyFrameWriter().bytes.isEmpty)
    }

    @Test func successLineWithJSONValueResult() {
        var writer = ReplyFrameWriter()
        writer.appendSuccess(id: "r1", result: ["b": 1, "a": "x/y", "c": [nil, true]] as JSONValue)
        #expect(text(writer.bytes) == #"{"id":"r1","ok":true,"result":{"a":"x/y","b":1,"c":[null,true]}}"# + "\n")
    }

    @Test(arguments: [
        (JSONValue.int(42), "42"), (.int(12_345_678_901_234_567), "12345678901234567"), (.double(1.5), "1.5"),
        (.null, "null"), (.string("a\"b"), #""a\"b""#),
    ])
    func idIsWrittenWithItsType(id: JSONValue, expected: String) {
        var writer = ReplyFrameWriter()
        writer.appendSuccess(id: id, result: JSONValue.null)
        #expect(text(writer.bytes) == #"{"id":\#(expected),"ok":true,"result":null}"# + "\n")
    }

    @Test func failureLineWithoutDetails() {
        var writer = ReplyFrameWriter()
        writer.appendFailure(id: 7, error: PortalError(.notFound, "no such license"))
        #expect(text(writer.bytes)
            == #"{"id":7,"ok":false,"error":{"code":"not_found","message":"no such license"}}"# + "\n")
    }

    @Test func failureLineWithDetails() {
        var writer = ReplyFrameWriter()
        writer.appendFailure(id: "t", error: PortalError(
            .conflict, "cannot suspend an expired license", details: ["allowed": ["renew"], "state": "expired"]))
        #expect(text(writer.bytes) == #"{"id":"t","ok":false,"error":{"code":"conflict","details":{"allowed":["renew"],"state":"expired"},"message":"cannot suspend an expired license"}}"# + "\n")
    }

    @Test func emptyDetailsArePresentWhenSet() {
        var writer = ReplyFrameWriter()
        writer.appendFailure(id: nil, error: PortalError(.busy, "try later", details: [:]))
        #expect(text(writer.bytes) == #"{"id":null,"ok":false,"error":{"code":"busy","details":{},"message":"try later"}}"# + "\n")
    }

    @Test func messagesWithNewlinesAndQuotesStayOnOneLine() {
        var writer = ReplyFrameWriter()
        writer.appendFailure(id: 1, error: .badRequest("first\nsecond \"quoted\" \\ \u{1}"))
        writer.appendSuccess(id: 2, result: JSONValue.string("multi\nline\r\n"))
        #expect(lines(writer) == [
            #"{"id":1,"ok":false,"error":{"code":"bad_request","message":"first\nsecond \"quoted\" \\ \u0001"}}"#,
            #"{"id":2,"ok":true,"result":"multi\nline\r\n"}"#,
            "",
        ])
    }

    @Test func encodableResultHasSortedKeysAndUnescapedSlashes() {
        var writer = ReplyFrameWriter()
        writer.appendSuccess(
            id: "d", result: Download(url: "https://example.com/a/b", zeta: 1, alpha: "x", nested: ["b": 2, "a": 1]))
        #expect(text(writer.bytes)
            == #"{"id":"d","ok":true,"result":{"alpha":"x","nested":{"a":1,"b":2},"url":"https://example.com/a/b","zeta":1}}"# + "\n")
    }

    @Test func encodableResultWithDateAndJSONValue() {
        var writer = ReplyFrameWriter()
        writer.appendSuccess(id: 1, result: Stamped(at: Date(timeIntervalSince1970: 0), extra: ["n": 12_345_678_901_234_567]))
        #expect(text(writer.bytes)
            == #"{"id":1,"ok":true,"result":{"at":"1970-01-01T00:00:00Z","extra":{"n":12345678901234567}}}"# + "\n")
    }

    @Test func encodableScalarResults() {
        var writer = ReplyFrameWriter()
        writer.appendSuccess(id: 1, result: "a/b")
        writer.appendSuccess(id: 2, result: [3, 1, 2])
        writer.appendSuccess(id: 3, result: Optional<Int>.none)
        #expect(lines(writer) == [
            #"{"id":1,"ok":true,"result":"a/b"}"#, #"{"id":2,"ok":true,"result":[3,1,2]}"#,
            #"{"id":3,"ok":true,"result":null}"#, "",
        ])
    }

    @Test func resultThatCannotBeEncodedBecomesAnInternalErrorLine() {
        var writer = ReplyFrameWriter()
        writer.appendSuccess(id: 1, result: Measurement(value: 2.5))
        writer.appendSuccess(id: "bad", result: Measurement(value: .nan))
        writer.appendSuccess(id: 3, result: ["x": 1] as JSONValue)
        #expect(lines(writer) == [
            #"{"id":1,"ok":true,"result":{"value":2.5}}"#,
            #"{"id":"bad","ok":false,"error":{"code":"internal","message":"the result could not be encoded"}}"#,
            #"{"id":3,"ok":true,"result":{"x":1}}"#,
            "",
        ])
    }

    @Test func everyLineEndsWithOneNewline() {
        var writer = ReplyFrameWriter()
        for index in 0..<50 {
            if index.isMultiple(of: 3) {
                writer.appendFailure(id: .int(Int64(index)), error: PortalError(.rateLimited, "slow down\n"))
            } else {
                writer.appendSuccess(id: .int(Int64(index)), result: ["text": "line\nbreak", "n": .int(Int64(index))] as JSONValue)
            }
        }
        #expect(writer.bytes.count(where: { $0 == 0x0A }) == 50)
        #expect(writer.bytes.last == 0x0A)
        let decoded = RequestFrameDecoder(limits: ProtocolLimits()).checkedLines(writer.bytes)
        #expect((try? decoded.get().count) == 50)
    }

    @Test func everyLineIsAValidJSONObject() throws {
        var writer = ReplyFrameWriter()
        writer.appendSuccess(id: "a", result: Download(url: "/", zeta: 0, alpha: "é", nested: [:]))
        writer.appendFailure(id: 1.5, error: PortalError(.tooLarge, "big", details: ["limit_bytes": 64]))
        for line in RequestFrameDecoder.lines(in: writer.bytes) {
            let value = try JSONParser.parse(line, maxDepth: 8)
            #expect(value["ok"]?.boolValue != nil)
            #expect(value["id"] != nil)
        }
    }
}
