import Foundation
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
        let folder = try TemporaryDirectory(prefix: "portal-example")
        let database = folder.path("portal.sqlite")
        if example.demoData {
            let demo = try ChildProcess.run(try TestExecutables.portald(), ["demo-data", "--database", database])
            try #require(demo.status == 0, "portald demo-data failed: \(demo.standardError)")
        }
        for account in example.staff {
            let added = try ChildProcess.run(
                try TestExecutables.portald(),
                ["staff", "add", "--database", database, "--email", account.email, "--name", "Example Staff"]
                    + account.roles.flatMap { ["--role", $0] },
                standardInput: Data((ProtocolExample.staffPassword + "\n").utf8))
            try #require(added.status == 0, "portald staff add failed: \(added.standardError)")
        }
        let keys = folder.path("keys")
        if example.signingKeys {
            let generated = try ChildProcess.run(try TestExecutables.portald(), ["keys", "generate", "--keys-dir", keys])
            try #require(generated.status == 0, "portald keys generate failed: \(generated.standardError)")
        }
        let server = try PortaldProcess(arguments: ["--keys-dir", keys], database: .path(database))
        let client = try server.client()
        var tokens: [String: String] = [:]
        for (email, password) in example.logins {
            let login = try client.request(
                #"{"cmd":"auth.login","args":{"email":"\#(email)","password":"\#(password)"}}"#)
            tokens[email] = try #require(login["result"]?["token"]?.stringValue, "login failed: \(login.text)")
        }

        let replies = try client.request(example.frame(tokens: tokens))

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
