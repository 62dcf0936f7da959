import Foundation
import PortalProtocol
import Testing

@Suite struct JSONValueSerializationTests {
    static let samples: [JSONValue] = [
        .null, true, false, 0, -1, .int(.max), .int(.min), 12_345_678_901_234_567,
        1.5, -0.25, 1.0, 0.1, 1e-7, 1e300, -1e-300, .double(.leastNonzeroMagnitude), .double(.greatestFiniteMagnitude),
        "", "plain", "é ü 中文 😀 \u{1D11E}", "e\u{301} (decomposed)", "quote \" backslash \\ slash / end",
        "\n\r\t\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}\u{2028}\u{2029}\u{FEFF}", "{\"not\":\"json\"}\n",
        [], [:], [1, "two", nil, [3.5, [false]], ["k": "v"]],
        ["b": 1, "a": ["nested": [1, 2, ["deep": nil]]], "": "empty key", "line\nbreak": "key with newline",
         "ключ": "unicode key", "\u{1}": "control key"],
    ]

    @Test(arguments: samples)
    func parsingTheSerializationGivesTheValueBack(value: JSONValue) throws {
        let serialized = value.serialized()
        #expect(try JSONParser.parse(serialized, maxDepth: 64) == value, "\(text(serialized))")
    }

    @Test(arguments: samples)
    func serializationNeverContainsARawNewline(value: JSONValue) {
        #expect(!value.serialized().contains(0x0A))
        #expect(!value.serialized().contains(0x0D))
    }

    @Test func compactOutputWithSortedKeys() {
        let value: JSONValue = ["b": 1, "a": [true, nil], "c": "x", "B": 2.5, "aa": [:]]
        #expect(text(value.serialized()) == #"{"B":2.5,"a":[true,null],"aa":{},"b":1,"c":"x"}"#)
    }

    @Test func nestedObjectsAreSortedToo() {
        let value: JSONValue = ["z": ["y": 1, "x": [["d": 1, "c": 2]]], "a": nil]
        #expect(text(value.serialized()) == #"{"a":null,"z":{"x":[{"c":2,"d":1}],"y":1}}"#)
    }

    @Test func equalValuesSerializeToEqualBytes() {
        var forward: [String: JSONValue] = [:]
        var backward: [String: JSONValue] = [:]
        for index in 0..<100 { forward["key\(index)"] = .int(Int64(index)) }
        for index in (0..<100).reversed() { backward["key\(index)"] = .int(Int64(index)) }
        #expect(JSONValue.object(forward).serialized() == JSONValue.object(backward).serialized())
    }

    @Test(arguments: [
        ("a\"b", #""a\"b""#), ("a\\b", #""a\\b""#), ("\n", #""\n""#), ("\r", #""\r""#), ("\t", #""\t""#),
        ("\u{0}", #""\u0000""#), ("\u{1}", #""\u0001""#), ("\u{1F}", #""\u001f""#), ("\u{8}", #""\u0008""#),
        ("/", #""/""#), ("é", "\"é\""), ("\u{7F}", "\"\u{7F}\""),
    ])
    func stringEscaping(string: String, expected: String) {
        #expect(text(JSONValue.string(string).serialized()) == expected)
    }

    /// Strings are scanned eight bytes at a time: an escaped byte at every position of strings
    /// up to three words long, among bytes that are just not escaped (space, 0x7F, non-ASCII).
    @Test(arguments: ["\"", "\\", "\n", "\u{0}", "\u{1F}", " ", "!", "#", "[", "]", "\u{7F}", "é", "😀"])
    func escapingAtEveryPositionOfAWord(special: String) {
        func escaped(_ character: Character) -> String {
            switch character {
            case "\"": #"\""#
            case "\\": #"\\"#
            case "\n": #"\n"#
            case "\u{0}": #"\u0000"#
            case "\u{1F}": #"\u001f"#
            default: String(character)
            }
        }
        for length in 1...24 {
            for position in 0..<length {
                for filler in ["a", " ", "\u{7F}"] {
                    let characters = (0..<length).map { $0 == position ? Character(special) : Character(filler) }
                    let expected = "\"" + characters.map(escaped).joined() + "\""
                    #expect(text(JSONValue.string(String(characters)).serialized()) == expected, "length \(length), at \(position)")
                }
            }
        }
    }

    @Test func numbers() {
        #expect(text(JSONValue.int(.max).serialized()) == "9223372036854775807")
        #expect(text(JSONValue.int(.min).serialized()) == "-9223372036854775808")
        #expect(text(JSONValue.double(2.5).serialized()) == "2.5")
        #expect(text(JSONValue.double(1.0).serialized()) == "1.0")
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteDoublesBecomeNull(value: Double) {
        #expect(text(JSONValue.double(value).serialized()) == "null")
        #expect(text(JSONValue.array([.double(value)]).serialized()) == "[null]")
    }

    @Test func writeAppendsToExistingBytes() {
        var buffer = bytes("prefix:")
        JSONValue.array([1, "x"]).write(to: &buffer)
        #expect(text(buffer) == #"prefix:[1,"x"]"#)
    }

    @Test func codableRoundTripThroughFoundation() throws {
        let value: JSONValue = ["i": 7, "d": 2.5, "s": "x/y", "b": true, "n": nil, "a": [1, "two"]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data("9223372036854775807".utf8)) == .int(.max))
    }

    @Test func accessors() {
        let value: JSONValue = ["s": "x", "i": 3, "b": true, "o": [:], "a": [], "n": nil]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.intValue == 3)
        #expect(value["b"]?.boolValue == true)
        #expect(value["o"]?.objectValue == [:])
        #expect(value["a"]?.arrayValue == [])
        #expect(value["n"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(JSONValue.array([1])["s"] == nil)
        #expect(JSONValue.string("x").intValue == nil)
        #expect([JSONValue.null, true, 1, 1.5, "", [], [:]].map(\.typeName)
            == ["null", "boolean", "number", "number", "string", "array", "object"])
    }
}
