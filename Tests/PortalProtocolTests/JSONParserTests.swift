import PortalProtocol
import Testing

@Suite struct JSONParserTests {
    private func parse(_ input: String, maxDepth: Int = 64) throws -> JSONValue {
        try JSONParser.parse(bytes(input), maxDepth: maxDepth)
    }

    // MARK: Types

    @Test func literals() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse(#""text""#) == .string("text"))
        #expect(try parse(#""""#) == .string(""))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object([:]))
    }

    @Test func documentWithEveryType() throws {
        let value = try parse(#"{"n":null,"t":true,"f":false,"i":-12,"d":2.5,"s":"x","a":[1,"two",[],{}],"o":{"k":"v"}}"#)
        #expect(value == .object([
            "n": .null, "t": .bool(true), "f": .bool(false), "i": .int(-12), "d": .double(2.5), "s": .string("x"),
            "a": .array([.int(1), .string("two"), .array([]), .object([:])]),
            "o": .object(["k": .string("v")]),
        ]))
    }

    @Test func sliceWithNonZeroStartIndexParses() throws {
        let line = bytes(#"xxx{"a":[1,2]}"#)
        #expect(try JSONParser.parse(line[3...], maxDepth: 64) == ["a": [1, 2]])
    }

    @Test func misspelledLiteralsAreRejected() {
        for input in ["nul", "tru", "fals", "True", "NULL", "nulll"] {
            #expect(parseFailure(input)?.kind == .syntax, "\(input)")
        }
    }

    // MARK: Numbers

    @Test(arguments: [
        ("0", Int64(0)), ("-0", 0), ("42", 42), ("-42", -42),
        ("9223372036854775807", .max), ("-9223372036854775808", .min),
        ("12345678901234567", 12_345_678_901_234_567),
    ])
    func integersStayExact(input: String, expected: Int64) throws {
        #expect(try parse(input) == .int(expected))
    }

    @Test(arguments: [
        ("1.5", 1.5), ("-0.25", -0.25), ("1.0", 1.0), ("1e3", 1000), ("1E+2", 100), ("-2.5e-3", -0.0025),
        ("0.1", 0.1), ("5e-324", .leastNonzeroMagnitude), ("1.7976931348623157e308", .greatestFiniteMagnitude),
    ])
    func fractionsAndExponentsBecomeDoubles(input: String, expected: Double) throws {
        #expect(try parse(input) == .double(expected))
    }

    @Test func integersBeyondInt64BecomeDoubles() throws {
        for input in ["9223372036854775808", "-9223372036854775809", "123456789012345678901234567890"] {
            #expect(try parse(input) == .double(Double(input)!), "\(input)")
        }
        #expect(try parse("9223372036854775808") == .double(9.223372036854775808e18))
    }

    @Test(arguments: ["1e400", "-1e400"])
    func numbersBeyondDoubleAreRejected(input: String) {
        let failure = parseFailure(input)
        #expect(failure?.kind == .syntax)
        #expect(failure?.message.contains("out of range") == true)
    }

    @Test(arguments: ["01", "-", "-a", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity", "1.5.2"])
    func malformedNumbersAreRejected(input: String) {
        #expect(parseFailure(input)?.kind == .syntax)
    }

    // MARK: Strings

    @Test(arguments: [
        (#""a\nb""#, "a\nb"), (#""\"""#, "\""), (#""\\""#, "\\"), (#""\/""#, "/"),
        (#""\b\f\r\t""#, "\u{8}\u{C}\r\t"), (#""\u0041\u00e9\u00E9""#, "Aéé"), (#""\u0000""#, "\u{0}"),
        (#""\u4e2d\u6587""#, "中文"), (#""plain é 中 😀""#, "plain é 中 😀"), (#""x\ty\"z""#, "x\ty\"z"),
    ])
    func stringEscapes(input: String, expected: String) throws {
        #expect(try parse(input) == .string(expected))
    }

    @Test func surrogatePairBecomesOneScalar() throws {
        let value = try parse(#""\uD83D\uDE00""#)
        let string = try #require(value.stringValue)
        #expect(Array(string.unicodeScalars) == [Unicode.Scalar(0x1F600)!])
        #expect(Array(string.utf8) == [0xF0, 0x9F, 0x98, 0x80])
        #expect(try parse(#""a\ud834\udd1eb""#) == .string("a\u{1D11E}b"))
    }

    @Test(arguments: [
        #""\uD800""#, #""\uD800x""#, #""\uDC00""#, #""\uDFFF""#, #""\uD800\u0041""#, #""\uD800\uD800""#, #""\uD800\n""#,
    ])
    func unpairedSurrogatesAreRejected(input: String) {
        let failure = parseFailure(input)
        #expect(failure?.kind == .syntax)
        #expect(failure?.message.contains("surrogate") == true)
    }

    @Test(arguments: [#""\x""#, #""\u12""#, #""\u12G4""#, #""\""#, #""\'""#, #""\U0041""#, #""abc"#, #"""#])
    func malformedStringsAreRejected(input: String) {
        #expect(parseFailure(input)?.kind == .syntax)
    }

    @Test(arguments: [UInt8(0x00), 0x01, 0x09, 0x0A, 0x0D, 0x1F])
    func unescapedControlCharactersAreRejected(byte: UInt8) {
        // Once before any escape (fast path) and once after one (slow path).
        for input in [[0x22, 0x61, byte, 0x62, 0x22], bytes(#""\n"#) + [byte, 0x22]] {
            let failure = parseFailure(input)
            #expect(failure?.kind == .syntax)
            #expect(failure?.message.contains("control character") == true)
        }
    }

    @Test func deleteCharacterNeedsNoEscape() throws {
        #expect(try JSONParser.parse([0x22, 0x7F, 0x22], maxDepth: 1) == .string("\u{7F}"))
    }

    // MARK: UTF-8

    @Test(arguments: [
        [0xFF],                  // never valid
        [0xC3],                  // truncated two-byte sequence
        [0xC0, 0xAF],            // overlong "/"
        [0xED, 0xA0, 0x80],      // UTF-16 surrogate encoded in UTF-8
        [0xF4, 0x90, 0x80, 0x80], // beyond U+10FFFF
        [0x80],                  // lone continuation byte
    ] as [[UInt8]])
    func invalidUTF8InsideAString(sequence: [UInt8]) {
        let fastPath: [UInt8] = [0x22, 0x61] + sequence + [0x22]
        let slowPath: [UInt8] = bytes(#"["\n"#) + sequence + bytes(#"b"]"#)
        #expect(parseFailure(fastPath)?.kind == .invalidUTF8)
        #expect(parseFailure(slowPath)?.kind == .invalidUTF8)
    }

    @Test func invalidUTF8InAMemberName() {
        #expect(parseFailure(bytes(#"{""#) + [0xFE] + bytes(#"":1}"#))?.kind == .invalidUTF8)
    }

    @Test func invalidUTF8OutsideAString() {
        #expect(parseFailure([0xFF])?.kind == .invalidUTF8)
        #expect(parseFailure(bytes("[1,") + [0xC3, 0x28] + bytes("]"))?.kind == .invalidUTF8)
        #expect(parseFailure(bytes(#"{"a":"#) + [0x80] + bytes("}"))?.kind == .invalidUTF8)
    }

    @Test func validNonASCIIOutsideAStringIsASyntaxError() {
        #expect(parseFailure("é")?.kind == .syntax)
        #expect(parseFailure("[😀]")?.kind == .syntax)
    }

    /// Invalid UTF-8 where no value may start (after a value, in place of a member name) is
    /// reported as a syntax error, unlike the same bytes where a value may start.
    @Test
    func invalidUTF8AnywhereIsReportedAsSuch() {
        #expect(parseFailure(bytes(#"{"a":1}"#) + [0xFF])?.kind == .invalidUTF8)
        #expect(parseFailure(bytes("{") + [0xFF] + bytes("}"))?.kind == .invalidUTF8)
    }

    // MARK: Depth

    @Test(arguments: [1, 2, 64])
    func nestingExactlyMaxDepthPasses(maxDepth: Int) throws {
        _ = try parse(nestedObjects(depth: maxDepth), maxDepth: maxDepth)
        _ = try parse(nestedArrays(depth: maxDepth), maxDepth: maxDepth)
    }

    @Test(arguments: [1, 2, 64])
    func nestingOneBeyondMaxDepthFails(maxDepth: Int) {
        #expect(parseFailure(nestedObjects(depth: maxDepth + 1), maxDepth: maxDepth)?.kind == .tooDeep)
        #expect(parseFailure(nestedArrays(depth: maxDepth + 1), maxDepth: maxDepth)?.kind == .tooDeep)
    }

    @Test func topLevelObjectIsDepthOneAndScalarsAddNone() throws {
        #expect(try parse(#"{"a":1,"b":"x","c":null}"#, maxDepth: 1) == ["a": 1, "b": "x", "c": nil])
        #expect(parseFailure(#"{"a":[]}"#, maxDepth: 1)?.kind == .tooDeep)
        #expect(try parse(#""scalar""#, maxDepth: 0) == "scalar")
        #expect(parseFailure("[]", maxDepth: 0)?.kind == .tooDeep)
    }

    @Test func mixedNestingCountsObjectsAndArraysAlike() throws {
        #expect(try parse(#"{"a":[{"b":[1]}]}"#, maxDepth: 4) == ["a": [["b": [1]]]])
        #expect(parseFailure(#"{"a":[{"b":[[1]]}]}"#, maxDepth: 4)?.kind == .tooDeep)
        #expect(parseFailure(#"{"a":[{"b":[[1]]}]}"#, maxDepth: 4)?.message.contains("4") == true)
    }

    @Test func hugeNestingFailsWithoutExhaustingTheStack() {
        #expect(parseFailure(String(repeating: "[", count: 200_000), maxDepth: 64)?.kind == .tooDeep)
    }

    // MARK: Surroundings and messages

    @Test func surroundingWhitespaceIsAllowed() throws {
        #expect(try parse(" \t\r\n{ \"a\" :\n[ 1 ,\t2 ] }\r\n \t") == ["a": [1, 2]])
        #expect(try parse("  7  ") == 7)
    }

    @Test(arguments: [#"{} x"#, "{}{}", "1 2", "[1]]", "nullx", "\"a\"\"b\"", "{},", "true false"])
    func trailingGarbageIsRejected(input: String) {
        let failure = parseFailure(input)
        #expect(failure?.kind == .syntax)
    }

    @Test(arguments: ["", " ", "\n\t"])
    func emptyInputIsRejected(input: String) {
        #expect(parseFailure(input)?.message.contains("end of input") == true)
    }

    @Test(arguments: [
        (#"{"a":1} x"#, 8), (#"{"a" 1}"#, 5), ("[1,]", 3), (#"{"a":1,}"#, 7), ("[1 2]", 3),
        (#""abc"#, 4), (#"{a:1}"#, 1), ("  ?", 2), (#"["\q"]"#, 3), ("-", 1),
    ])
    func syntaxErrorsNameTheByteOffset(input: String, offset: Int) {
        let failure = parseFailure(input)
        #expect(failure?.kind == .syntax)
        #expect(failure?.message.hasPrefix("invalid JSON at byte \(offset):") == true, "\(failure?.message ?? "parsed")")
    }

    @Test func utf8ErrorsNameTheByteOffset() {
        // The offset is that of the first byte that is not UTF-8, here the 0xFF inside the string.
        let inString = parseFailure(bytes(#"["a", "x"#) + [0xFF] + bytes(#""]"#))
        #expect(inString?.message.contains("byte 8") == true, "\(inString?.message ?? "parsed")")
        let outside = parseFailure(bytes("[1, ") + [0xFF] + bytes("]"))
        #expect(outside?.message.contains("byte 4") == true, "\(outside?.message ?? "parsed")")
    }

    @Test
    func depthErrorsNameTheByteOffset() {
        let failure = parseFailure("[[[", maxDepth: 2)
        #expect(failure?.message.contains("byte 2") == true)
    }

    /// RFC 8259 leaves duplicate member names to the implementation; this one refuses them, so
    /// that no proxy reading the first value can disagree with the server about a request.
    @Test func duplicateMemberNamesAreRefused() throws {
        let failure = parseFailure(#"{"cmd":"a","cmd":"b"}"#)
        #expect(failure?.kind == .syntax)
        #expect(failure?.message.contains("duplicate member name \"cmd\"") == true)
        #expect(try parse(#"{"a":{"cmd":1},"cmd":2}"#) == ["a": ["cmd": 1], "cmd": 2])
    }

    // MARK: Top-level members one by one

    @Test func topLevelMembersArriveInOrderAndNestedObjectsWhole() throws {
        var members: [String] = []
        var values: [JSONValue] = []
        let input = bytes(#" {"b":1, "a":{"x":[true]},"c":null} "#)[...]
        let rest = try JSONParser.parse(input, maxDepth: 8) { name, value in
            members.append(name)
            values.append(value)
            return true
        }
        #expect(rest == nil)
        #expect(members == ["b", "a", "c"])
        #expect(values == [1, ["x": [true]], .null])
    }

    @Test(arguments: ["[1]", "\"text\"", "42", "null", "true"])
    func aTopLevelValueOtherThanAnObjectIsReturned(text: String) throws {
        let value = try JSONParser.parse(bytes(text)[...], maxDepth: 8) { _, _ in Issue.record("no members"); return true }
        #expect(value == (try parse(text)))
    }

    @Test func aMemberRefusedAsDuplicateFailsLikeParse() {
        let line = bytes(#"{"cmd":"a","cmd":"b"}"#)
        var seen: Set<String> = []
        #expect(memberParseFailure(line) { name, _ in seen.insert(name).inserted } == parseFailure(line))
    }

    @Test func topLevelMembersKeepTheLimitsAndErrorsOfParse() {
        var invalidUTF8 = bytes(#"{"a":"#)
        invalidUTF8 += [0xFF, 0x22, 0x7D]
        let inputs = [nestedObjects(depth: 9), #"{"a":1} x"#, "{\"a\":1,}", #"{"a":"\u12"}"#].map(bytes) + [invalidUTF8]
        for input in inputs {
            let failure = memberParseFailure(input, maxDepth: 8) { _, _ in true }
            #expect(failure != nil)
            #expect(failure == parseFailure(input, maxDepth: 8), "\(text(input))")
        }
    }

    private func memberParseFailure(
        _ input: [UInt8], maxDepth: Int = 64, member: (String, JSONValue) -> Bool
    ) -> JSONParser.Failure? {
        do {
            _ = try JSONParser.parse(input[...], maxDepth: maxDepth, topLevelMember: member)
            return nil
        } catch {
            return error
        }
    }
}
