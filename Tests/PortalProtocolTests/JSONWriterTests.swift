import Foundation
import PortalProtocol
import Testing

@Suite struct JSONWriterTests {
    /// Writes `value` through the writer's calls, members sorted as `JSONValue` sorts them.
    private static func write(_ value: JSONValue, to json: inout JSONWriter) {
        switch value {
        case .array(let elements):
            json.array { json in
                for element in elements { write(element, to: &json) }
            }
        case .object(let members):
            json.object { json in
                for key in members.keys.sorted() {
                    json.key(key)
                    write(members[key]!, to: &json)
                }
            }
        case .string(let string): json.string(string)
        case .int(let int): json.int(int)
        case .null: json.null()
        default: json.value(value)
        }
    }

    @Test(arguments: JSONValueSerializationTests.samples)
    func writesTheBytesOfTheSerializer(value: JSONValue) {
        var json = JSONWriter()
        Self.write(value, to: &json)
        #expect(text(json.bytes) == text(value.serialized()))
    }

    @Test func membersOfEveryKind() {
        var json = JSONWriter()
        json.object { json in
            json.array("a") { json in
                json.object { _ in }
                json.array { _ in }
                json.object { $0.member("x", 1) }
            }
            json.member("b", "tab\there \"quoted\" é 😀")
            json.member("c", nil as String?)
            json.member("d", Int64.min)
            json.member("e", ["z": 1, "y": [true]] as JSONValue)
            json.object("f") { json in
                json.member("z", "nested keys start again")
            }
            json.member("g", "after the nested object")
        }
        let expected: JSONValue = [
            "a": [[:], [], ["x": 1]], "b": "tab\there \"quoted\" é 😀", "c": nil, "d": .int(.min),
            "e": ["z": 1, "y": [true]], "f": ["z": "nested keys start again"], "g": "after the nested object",
        ]
        #expect(text(json.bytes) == text(expected.serialized()))
    }

    @Test func storedMembersAreCopiedAsWritten() throws {
        var json = JSONWriter()
        try json.object { json in
            json.member("a", 1)
            try json.object("data") { try $0.members(of: #"{"by":"us_1","k":"v","license":"li_1","n":[1,{"by":2}]}"#, omitting: ["by", "license"]) }
            json.member("z", 2)
        }
        #expect(text(json.bytes) == #"{"a":1,"data":{"k":"v","n":[1,{"by":2}]},"z":2}"#)
    }

    @Test func resultTextPassesThroughTheReplyUnchanged() throws {
        var json = JSONWriter()
        json.object { $0.member("b", "x/y") }
        var writer = ReplyFrameWriter()
        writer.appendSuccess(id: 3, result: JSONText(json))
        #expect(text(writer.bytes) == #"{"id":3,"ok":true,"result":{"b":"x/y"}}"# + "\n")
    }

    @Test func resultTextEncodesAsTheValueItHolds() throws {
        var json = JSONWriter()
        json.object { json in
            json.member("a", 1)
            json.member("b", "ü")
        }
        let decoded = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(JSONText(json)))
        #expect(decoded == ["a": 1, "b": "ü"])
    }

    #if DEBUG
    @Test func keysOutOfOrderStopADebugBuild() async {
        await #expect(processExitsWith: .failure) {
            var json = JSONWriter()
            json.object { json in
                json.member("b", 1)
                json.member("a", 2)
            }
        }
    }
    #endif
}
