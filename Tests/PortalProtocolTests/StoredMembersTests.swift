import PortalProtocol
import Testing

/// `JSONWriter.members(of:omitting:)`: members of stored JSON text copied without a tree.
@Suite struct StoredMembersTests {
    static let omitted: [StaticString] = ["by", "license"]

    private func copied(_ stored: String) throws -> String {
        var json = JSONWriter()
        try json.object { try $0.members(of: stored, omitting: Self.omitted) }
        return text(json.bytes)
    }

    @Test(arguments: [
        (#"{}"#, #"{}"#),
        (#"{"by":"us_1","license":{"id":"li_1","key":"K"}}"#, #"{}"#),
        (#"{"a":1,"by":"us_1"}"#, #"{"a":1}"#),
        (#"{"by":"us_1","z":true}"#, #"{"z":true}"#),
        (#"{"a":{"license":"inner","by":[1,2]},"license":"li"}"#, #"{"a":{"license":"inner","by":[1,2]}}"#),
        (#"{"a":"\"license\":\"li\",","b":"}{][","by":"x"}"#, #"{"a":"\"license\":\"li\",","b":"}{]["}"#),
        (#"{"a\"by":"c\\","by\\":1,"license":"\\\""}"#, #"{"a\"by":"c\\","by\\":1}"#),
        (#"{"bye":1,"licenses":[],"lic":null}"#, #"{"bye":1,"licenses":[],"lic":null}"#),
        (#"{"n":-1.5e+20,"t":false,"u":"é 中文 😀 \u0001"}"#, #"{"n":-1.5e+20,"t":false,"u":"é 中文 😀 \u0001"}"#),
        (" {\n \"a\" : [ 1 , {} ] ,\t\"by\" : 2 , \"c\" : null } ", #"{"a" : [ 1 , {} ],"c" : null}"#),
    ])
    func copiesAllButTheOmittedMembers(stored: String, expected: String) throws {
        #expect(try copied(stored) == expected)
    }

    @Test(arguments: JSONValueSerializationTests.samples.compactMap(\.objectValue) + [
        ["license": ["id": "li_1"], "by": "us_1", "cause": "command", "text": "say \"license\"\n", "nested": ["by": 1]],
        ["by": nil], ["license": [:], "a": []],
    ])
    func agreesWithRemovingTheMembersFromTheValue(members: [String: JSONValue]) throws {
        var kept = members
        kept["by"] = nil
        kept["license"] = nil
        #expect(try copied(text(JSONValue.object(members).serialized())) == text(JSONValue.object(kept).serialized()))
    }

    @Test(arguments: [
        "", "[]", "null", "{", #"{"a":1"#, #"{"a":1}x"#, #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, #"{"a":"open}"#,
        #"{"a":[1,2}"#, #"{a:1}"#, #"{"a":1 "b":2}"#,
    ])
    func brokenTextIsRefused(stored: String) {
        #expect(throws: (any Error).self) { try copied(stored) }
    }
}
