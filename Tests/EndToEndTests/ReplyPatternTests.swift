import PortalProtocol
import Testing

/// The example matcher itself: a matcher that accepted everything would make the replay useless.
@Suite struct ReplyPatternTests {
    @Test func equalValuesMatch() {
        let reply: JSONValue = ["id": 1, "ok": true, "result": ["list": [1, "two", nil, 2.5]]]
        #expect(ReplyPattern.mismatches(expected: reply, actual: reply).isEmpty)
    }

    @Test func integersAndOtherNumbersCompareByValue() {
        #expect(ReplyPattern.mismatches(expected: 2, actual: 2.0).isEmpty)
        #expect(ReplyPattern.mismatches(expected: 2.5, actual: 2).count == 1)
    }

    @Test func missingAndExtraKeysAreNamed() {
        let differences = ReplyPattern.mismatches(expected: ["a": 1, "b": 2], actual: ["a": 1, "c": 3])
        #expect(differences == ["$.b: missing (expected 2)", "$.c: unexpected member, value 3"])
    }

    @Test func differencesNameTheirPath() {
        let differences = ReplyPattern.mismatches(
            expected: ["error": ["code": "busy"], "list": [1, 2]], actual: ["error": ["code": "internal"], "list": [1, 3]])
        #expect(differences == [#"$.error.code: expected "busy", got "internal""#, "$.list[1]: expected 2, got 3"])
    }

    @Test(arguments: [
        ("$timestamp", "2026-11-29T08:15:00Z" as JSONValue, true),
        ("$timestamp", "2026-11-29T08:15:00+00:00", false),
        ("$timestamp", "2026-11-29T08:15:00.5Z", false),
        ("$timestamp", 1, false),
        ("$string", "", true),
        ("$string", 1, false),
        ("$integer", 7, true),
        ("$integer", 7.5, false),
        ("$integer", "7", false),
        ("$number", 7, true),
        ("$number", -0.5, true),
        ("$number", nil, false),
    ] as [(String, JSONValue, Bool)])
    func placeholdersMatchTheirKind(placeholder: String, actual: JSONValue, matches: Bool) {
        #expect(ReplyPattern.mismatches(expected: .string(placeholder), actual: actual).isEmpty == matches)
    }

    @Test func anOrdinaryStringIsNotAPlaceholder() {
        #expect(ReplyPattern.mismatches(expected: "timestamp", actual: "2026-11-29T08:15:00Z").count == 1)
    }
}
