import Foundation
import PortalProtocol

/// One file of `protocol/examples/`: a request frame and the reply lines it must produce.
///
/// `{"title": …, "demo_data": true, "staff": [{"email": …, "roles": […]}], "frame": [request line, …],
/// "replies": [expected reply line, …]}`; the frame is sent as its lines joined by "\n" plus a
/// final "\n" (empty strings make blank lines). With `demo_data` the database is filled by
/// `portald demo-data` first. `staff` (optional) are accounts created with `portald staff add`
/// and the password `example-password` before the server starts; with `signing_keys` the server
/// gets a signing key (`portald keys generate`). `$token(<email>)` in a request
/// line stands for a session token of that account (a demo account's password is `portal-demo`).
struct ProtocolExample {
    /// A staff account the example needs.
    struct StaffAccount {
        let email: String
        let roles: [String]
    }

    static let staffPassword = "example-password"
    static let demoPassword = "portal-demo"

    let fileName: String
    let title: String
    let demoData: Bool
    let staff: [StaffAccount]
    let signingKeys: Bool
    let frame: [String]
    let replies: [JSONValue]

    /// The package's `protocol/examples` folder, found from this source file's place in the package.
    static var folder: URL {
        URL(fileURLWithPath: #filePath)  // <root>/Tests/EndToEndTests/Support/ProtocolExample.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("protocol/examples", isDirectory: true)
    }

    /// The names of the example files, sorted; empty when the folder is missing or unreadable.
    static func fileNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    init(fileName: String) throws {
        self.fileName = fileName
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(fileName))
        let document: JSONValue
        do throws(JSONParser.Failure) {
            document = try JSONParser.parse(Array(data), maxDepth: 512)
        } catch {
            throw HarnessError("\(fileName) is not valid JSON: \(error.message)")
        }
        let frame = document["frame"]?.arrayValue ?? []
        let lines = frame.compactMap(\.stringValue)
        guard document["frame"]?.arrayValue != nil, lines.count == frame.count else {
            throw HarnessError("\(fileName): \"frame\" must be an array of strings")
        }
        guard let replies = document["replies"]?.arrayValue else {
            throw HarnessError("\(fileName): \"replies\" must be an array")
        }
        self.title = document["title"]?.stringValue ?? ""
        self.demoData = document["demo_data"]?.boolValue ?? false
        self.staff = try (document["staff"]?.arrayValue ?? []).map { account in
            guard let email = account["email"]?.stringValue,
                  let roles = account["roles"]?.arrayValue?.compactMap(\.stringValue)
            else { throw HarnessError("\(fileName): each of \"staff\" needs \"email\" and \"roles\"") }
            return StaffAccount(email: email, roles: roles)
        }
        self.signingKeys = document["signing_keys"]?.boolValue ?? false
        self.frame = lines
        self.replies = replies
    }

    /// The accounts named by `$token(<email>)` in the frame, with their passwords.
    var logins: [(email: String, password: String)] {
        let emails = Set(frame.flatMap { line in
            line.matches(of: #/\$token\((?<email>[^)]+)\)/#).map { String($0.output.email) }
        })
        return emails.sorted().map { email in
            (email, staff.contains { $0.email == email } ? Self.staffPassword : Self.demoPassword)
        }
    }

    /// The frame's lines with every `$token(<email>)` replaced by that account's token.
    func frame(tokens: [String: String]) -> [String] {
        frame.map { line in
            tokens.reduce(line) { line, entry in line.replacingOccurrences(of: "$token(\(entry.key))", with: entry.value) }
        }
    }
}
