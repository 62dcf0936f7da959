import PortalProtocol
import Testing

@Suite struct RequestFrameDecoderTests {
    // MARK: Lines

    @Test func fullRequestLine() {
        let line = #"{"v":1,"id":"r1","cmd":"license.list","auth":"tok","view":"customer","idem":"k1","args":{"limit":10,"tags":["a"]}}"#
        #expect(decodeLine(line) == .request(Request(
            id: "r1", command: "license.list", auth: "tok", view: "customer", idempotencyKey: "k1",
            arguments: ["limit": 10, "tags": ["a"]])))
    }

    @Test func severalLinesDecodeInOrder() {
        let lines = decodeLines("""
            {"id":1,"cmd":"a"}
            {"id":2,"cmd":"b"}
            {"id":3,"cmd":"c"}

            """)
        #expect(lines.map(\.request?.command) == ["a", "b", "c"])
        #expect(lines.map(\.id) == [1, 2, 3])
    }

    @Test func blankLinesAreSkipped() {
        let lines = decodeLines("\n\n  \n\t\n\r\n{\"cmd\":\"a\"}\n \r \n\r\n\n{\"cmd\":\"b\"}\n\n")
        #expect(lines.map(\.request?.command) == ["a", "b"])
    }

    @Test func crlfLineEndingsAreAccepted() {
        let lines = decodeLines("{\"cmd\":\"a\"}\r\n{\"cmd\":\"b\"}\r\n")
        #expect(lines.map(\.request?.command) == ["a", "b"])
    }

    @Test func finalNewlineIsOptional() {
        #expect(decodeLines(#"{"cmd":"a"}"#).map(\.request?.command) == ["a"])
        #expect(decodeLines("{\"cmd\":\"a\"}\n{\"cmd\":\"b\"}").map(\.request?.command) == ["a", "b"])
    }

    @Test func emptyOrBlankFrameHasNoLines() {
        #expect(decodeLines("").isEmpty)
        #expect(decodeLines("\n \r\n\t\n").isEmpty)
    }

    @Test func invalidLineIsRejectedWhileNeighboursDecode() {
        let lines = decodeLines("""
            {"id":1,"cmd":"a"}
            {"id":2,"cmd":
            {"id":3,"cmd":"c"}
            """)
        #expect(lines.count == 3)
        #expect(lines[0].request?.command == "a")
        #expect(lines[1].id == .null)
        #expect(lines[1].error?.code == .badRequest)
        #expect(lines[1].error?.message.contains("byte") == true)
        #expect(lines[2].request?.command == "c")
    }

    @Test func invalidUTF8LineIsABadRequest() {
        let payload = bytes(#"{"cmd":"a"}"#) + [0x0A] + bytes(#"{"cmd":""#) + [0xFF] + bytes(#""}"#)
        guard case .success(let lines) = RequestFrameDecoder(limits: ProtocolLimits()).decode(payload) else {
            Issue.record("frame refused")
            return
        }
        #expect(lines.count == 2)
        #expect(lines[0].request?.command == "a")
        #expect(lines[1].id == .null)
        #expect(lines[1].error?.code == .badRequest)
        #expect(lines[1].error?.message.contains("UTF-8") == true)
    }

    @Test(arguments: [("[1,2]", "array"), ("42", "number"), (#""cmd""#, "string"), ("null", "null"), ("true", "boolean")])
    func lineThatIsNotAnObjectIsABadRequest(line: String, typeName: String) {
        let decoded = decodeLine(line)
        #expect(decoded?.id == .null)
        #expect(decoded?.error?.code == .badRequest)
        #expect(decoded?.error?.message == "a request line must be a JSON object, not \(typeName)")
    }

    @Test func nestingBeyondMaxDepthIsABadRequest() {
        let depth2 = limits(depth: 2)
        #expect(decodeLine(#"{"cmd":"a","args":{"x":1}}"#, limits: depth2)?.request?.arguments == ["x": 1])
        let tooDeep = decodeLine(#"{"id":5,"cmd":"a","args":{"x":[]}}"#, limits: depth2)
        #expect(tooDeep?.error?.code == .badRequest)
        #expect(tooDeep?.id == .null)
    }

    // MARK: Fields

    @Test(arguments: [
        (#"{"cmd":5}"#, "cmd"), (#"{"cmd":["a"]}"#, "cmd"), (#"{"cmd":"a","auth":{}}"#, "auth"),
        (#"{"cmd":"a","auth":1}"#, "auth"), (#"{"cmd":"a","view":true}"#, "view"), (#"{"cmd":"a","idem":7}"#, "idem"),
        (#"{"cmd":"a","args":[]}"#, "args"), (#"{"cmd":"a","args":"x"}"#, "args"), (#"{"cmd":"a","args":1}"#, "args"),
        (#"{"cmd":"a","v":"1"}"#, "v"), (#"{"cmd":"a","v":1.0}"#, "v"), (#"{"cmd":"a","v":true}"#, "v"),
    ])
    func wrongTypedFieldIsABadRequestNamingIt(line: String, field: String) {
        let error = decodeLine(line)?.error
        #expect(error?.code == .badRequest)
        #expect(error?.message.hasPrefix("\(field) must be") == true, "\(error?.message ?? "accepted")")
    }

    @Test(arguments: [#"{"id":true,"cmd":"a"}"#, #"{"id":{"x":1},"cmd":"a"}"#, #"{"id":[1],"cmd":"a"}"#])
    func wrongTypedIdIsABadRequestWithoutId(line: String) {
        let decoded = decodeLine(line)
        #expect(decoded?.id == .null)
        #expect(decoded?.error?.code == .badRequest)
        #expect(decoded?.error?.message.hasPrefix("id must be a string or a number") == true)
    }

    @Test(arguments: [#"{"id":1}"#, #"{"id":1,"cmd":null}"#, #"{"id":1,"cmd":""}"#, #"{"id":1,"args":{}}"#])
    func missingCommandIsABadRequest(line: String) {
        let decoded = decodeLine(line)
        #expect(decoded?.id == 1)
        #expect(decoded?.error?.code == .badRequest)
        #expect(decoded?.error?.message.contains("cmd is required") == true)
    }

    @Test(arguments: [Int64(2), 0, -1, 100])
    func otherVersionIsUnsupportedAndEchoesTheId(version: Int64) {
        let decoded = decodeLine(#"{"v":\#(version),"id":"abc","cmd":"a"}"#)
        #expect(decoded == .rejected(id: "abc", error: PortalError(
            .unsupportedVersion, "protocol version \(version) is not supported; this server speaks version 1",
            details: ["supported": [1]])))
    }

    @Test func missingOrNullVersionMeansOne() {
        #expect(decodeLine(#"{"cmd":"a"}"#)?.request?.command == "a")
        #expect(decodeLine(#"{"v":null,"cmd":"a"}"#)?.request?.command == "a")
        #expect(decodeLine(#"{"v":1,"cmd":"a"}"#)?.request?.command == "a")
        #expect(Request.protocolVersion == 1)
    }

    @Test func missingOrNullArgumentsAreEmpty() {
        #expect(decodeLine(#"{"cmd":"a"}"#)?.request?.arguments == [:])
        #expect(decodeLine(#"{"cmd":"a","args":null}"#)?.request?.arguments == [:])
        #expect(decodeLine(#"{"cmd":"a","args":{}}"#)?.request?.arguments == [:])
    }

    @Test func optionalFieldsMissingOrNullAreNil() {
        let request = decodeLine(#"{"cmd":"a","auth":null,"view":null}"#)?.request
        #expect(request == Request(command: "a"))
        #expect(request?.auth == nil && request?.view == nil && request?.idempotencyKey == nil)
    }

    @Test func unknownTopLevelFieldsAreIgnored() {
        let decoded = decodeLine(#"{"cmd":"a","id":1,"future":{"x":[1]},"trace":"t","x":null}"#)
        #expect(decoded == .request(Request(id: 1, command: "a")))
    }

    @Test(arguments: [
        #"{"cmd":"a","cmd":"b"}"#, #"{"auth":null,"cmd":"a","auth":"t"}"#, #"{"cmd":"a","id":1,"id":1}"#,
        #"{"cmd":"a","args":{},"args":{}}"#, #"{"cmd":"a","trace":1,"trace":2}"#, #"{"v":1,"cmd":"a","v":1}"#,
    ])
    func duplicateMembersAreABadRequest(line: String) {
        guard case .rejected(let id, let error) = decodeLine(line) else {
            Issue.record("decoded \(line)")
            return
        }
        #expect(id == .null)
        #expect(error.code == .badRequest)
        #expect(error.message.contains("duplicate member name"))
    }

    // MARK: Id echo

    @Test(arguments: [
        (#""abc""#, JSONValue.string("abc")), (#""""#, .string("")), ("12345678901234567", .int(12_345_678_901_234_567)),
        ("-7", .int(-7)), ("0", .int(0)), ("9223372036854775807", .int(.max)), ("1.5", .double(1.5)),
        ("1e3", .double(1000)), ("2.0", .double(2.0)), ("null", .null),
    ])
    func idIsEchoedWithItsType(idText: String, expected: JSONValue) {
        let decoded = decodeLine(#"{"id":\#(idText),"cmd":"a"}"#)
        #expect(decoded?.id == expected)
        #expect(decoded?.request?.id == expected)
    }

    @Test func missingIdIsNull() {
        #expect(decodeLine(#"{"cmd":"a"}"#)?.id == .null)
    }

    @Test func rejectedLineEchoesItsReadableId() {
        #expect(decodeLine(#"{"id":"x","cmd":5}"#)?.id == "x")
        #expect(decodeLine(#"{"id":12345678901234567,"v":"1","cmd":"a"}"#)?.id == .int(12_345_678_901_234_567))
        #expect(decodeLine(#"{"id":0.5,"cmd":"a","args":[]}"#)?.id == .double(0.5))
        #expect(decodeLine(#"{"id":"no-cmd"}"#)?.id == "no-cmd")
    }

    // MARK: Frame limits

    @Test func defaultLimits() {
        let limits = ProtocolLimits()
        #expect(limits.maxFrameBytes == 1 << 20)
        #expect(limits.maxLinesPerFrame == 1_000)
        #expect(limits.maxDepth == 64)
    }

    @Test func frameOfExactlyMaxFrameBytesPasses() {
        let line = #"{"cmd":"a"}"#
        let payload = line + String(repeating: " ", count: 64 - line.utf8.count)
        #expect(payload.utf8.count == 64)
        #expect(decodeLines(payload, limits: limits(frameBytes: 64)).count == 1)
    }

    @Test func frameOverMaxFrameBytesIsTooLarge() {
        let payload = bytes(#"{"cmd":"a"}"#) + [UInt8](repeating: 0x20, count: 54)
        #expect(payload.count == 65)
        let result = RequestFrameDecoder(limits: limits(frameBytes: 64)).decode(payload)
        #expect(result == .failure(PortalError(
            .tooLarge, "frame of 65 bytes exceeds the limit of 64 bytes", details: ["limit_bytes": 64])))
    }

    @Test func frameOverDefaultMaxFrameBytesIsTooLarge() {
        let payload = [UInt8](repeating: 0x0A, count: (1 << 20) + 1)
        guard case .failure(let error) = RequestFrameDecoder(limits: ProtocolLimits()).decode(payload) else {
            Issue.record("frame accepted")
            return
        }
        #expect(error.code == .tooLarge)
    }

    @Test func exactlyMaxLinesPasses() {
        let payload = String(repeating: "{\"cmd\":\"a\"}\n", count: 3)
        #expect(decodeLines(payload, limits: limits(lines: 3)).count == 3)
    }

    @Test func moreThanMaxLinesIsTooLarge() {
        let payload = bytes(String(repeating: "{\"cmd\":\"a\"}\n", count: 4))
        let result = RequestFrameDecoder(limits: limits(lines: 3)).decode(payload)
        #expect(result == .failure(PortalError(
            .tooLarge, "frame of 4 lines exceeds the limit of 3 lines", details: ["limit_lines": 3])))
    }

    @Test func invalidLinesCountTowardsTheLineLimitButBlankLinesDoNot() {
        let blanks = String(repeating: "\n \r\n\t\n", count: 10)
        #expect(decodeLines(blanks + "{\"cmd\":\"a\"}\n" + blanks + "nonsense\n{\"cmd\":\"b\"}" + blanks,
                            limits: limits(lines: 3)).count == 3)
        let result = RequestFrameDecoder(limits: limits(lines: 3)).decode(bytes("x\nx\nx\nx"))
        #expect(result.map(\.count) == .failure(PortalError(
            .tooLarge, "frame of 4 lines exceeds the limit of 3 lines", details: ["limit_lines": 3])))
    }

    @Test func defaultLineLimitIsExact() {
        let line = "{\"cmd\":\"a\"}\n"
        #expect(decodeLines(String(repeating: line, count: 1_000)).count == 1_000)
        let result = RequestFrameDecoder(limits: ProtocolLimits()).decode(bytes(String(repeating: line, count: 1_001)))
        #expect(result.map(\.count) == .failure(PortalError(
            .tooLarge, "frame of 1001 lines exceeds the limit of 1000 lines", details: ["limit_lines": 1_000])))
    }

    @Test func checkedLinesReturnsTheNonBlankLines() throws {
        let lines = try RequestFrameDecoder(limits: ProtocolLimits()).checkedLines(bytes("a\n\n b \r\n\r\nc")).get()
        #expect(lines.map { text(Array($0)) } == ["a", " b \r", "c"])
    }

    @Test(arguments: [
        "", "\n", " \t\r\n", "a", "a\n", "a\n\n b \r\n\r\nc", "\n\nx\n \n", "{}\n{}\n{}", "{}\n{}\n{}\n{}", String(repeating: "x", count: 40),
    ])
    func checkedLineCountAgreesWithCheckedLines(_ frame: String) {
        var limits = ProtocolLimits()
        limits.maxFrameBytes = 32
        limits.maxLinesPerFrame = 3
        let decoder = RequestFrameDecoder(limits: limits)
        #expect(decoder.checkedLineCount(bytes(frame)) == decoder.checkedLines(bytes(frame)).map(\.count))
    }

    // MARK: Reply ids

    @Test(arguments: [
        #"{"cmd":"system.ping","id":17}"#, #"{"id":-42,"cmd":"a"}"#, #"{ "id" : "r-1" , "cmd":"a"}"#, #"{"id":0}"#,
        #"{"id":999999999999999999}"#, #"{"id":9223372036854775807}"#, #"{"id":-0}"#, #"{"id":1.5}"#, #"{"id":1e3}"#,
        #"{"id":"a\"b"}"#, #"{"id":"grüß"}"#, #"{"id":"tab\there"}"#, #"{"id":null}"#, #"{"cmd":"a"}"#, #"{"id":{"x":1}}"#,
        #"{"id":[1]}"#, #"{"id":true}"#, #"{"id":1,"id":2}"#, "[1,2]", "not json", #"{"id":"#, #"{"args":{"id":5},"id":6}"#,
    ])
    func replyIDsAreTheIDsThatDecodingFinds(_ line: String) {
        let decoder = RequestFrameDecoder(limits: ProtocolLimits())
        let bytes = ArraySlice(line.utf8)
        #expect(decoder.replyID(of: bytes) == decoder.decodeLine(bytes).id)
    }

    @Test func aPlainReplyIDIsReadEvenWhenTheRestOfTheLineIsMalformed() {
        // The line is refused either way; the id found without parsing the line is echoed.
        let decoder = RequestFrameDecoder(limits: ProtocolLimits())
        let line = ArraySlice(#"{"cmd":tru,"id":7}"#.utf8)
        #expect(decoder.decodeLine(line).id == .null)
        #expect(decoder.replyID(of: line) == 7)
    }
}
