import PortalProtocol
import Testing

/// Replays every file of `protocol/examples/` against a real server, so the documented contract
/// and the code cannot drift apart. Matching rules: see `ReplyPattern` (and protocol/README.md).
@Suite struct ProtocolExamplesTests {
    @Test func theExamplesFolderHasExamples() {
        #expect(!ProtocolExample.fileNames().isEmpty, "no *.json files in \(ProtocolExample.folder.path)")
    }

    /// Each example runs against a server of its own, so it may assume a fresh database.
    @Test(arguments: ProtocolExample.fileNames())
    func exampleReplaysAsDocumented(_ fileName: String) throws {
        let example = try ProtocolExample(fileName: fileName)
        let server = try PortaldProcess()
        let client = try server.client()

        let replies = try client.request(example.frame)

        #expect(
            replies.count == example.replies.count,
            "\(fileName): expected \(example.replies.count) reply lines, got \(replies.count)")
        for (index, (expected, actual)) in zip(example.replies, replies).enumerated() {
            let differences = ReplyPattern.mismatches(expected: expected, actual: actual)
            #expect(differences.isEmpty, """
                \(fileName), reply line \(index):
                  \(differences.joined(separator: "\n  "))
                  expected: \(expected.text)
                  actual:   \(actual.text)
                """)
        }
    }
}
