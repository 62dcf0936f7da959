import Foundation
import PortalProtocol
import Testing

/// A demo database (`portald demo-data`) and what the end-to-end tests do with it: start
/// `portald` on it (again), log in demo accounts, make bursts of changes, read the outbox, and
/// follow the event socket with `portalctl subscribe`. Keep it alive while its server runs: its
/// folder, and the database in it, go with it.
final class DemoWorld {
    let folder: TemporaryDirectory
    let database: String

    init() throws {
        folder = try TemporaryDirectory(prefix: "events")
        database = folder.path("portal.sqlite")
        let demo = try ChildProcess.run(try TestExecutables.portald(), ["demo-data", "--database", database])
        try #require(demo.status == 0, "portald demo-data failed: \(demo.standardError)")
    }

    /// `portald serve` on the world's database; `arguments` may fix the endpoints or settings.
    func start(_ arguments: [String] = []) throws -> PortaldProcess {
        try PortaldProcess(arguments: arguments, database: .path(database))
    }

    static let password = "portal-demo"

    /// A session token of a demo account.
    static func token(_ email: String, on server: PortaldProcess) throws -> String {
        let reply = try server.client().request(RequestLine.line(
            id: 1, command: "auth.login", arguments: ["email": .string(email), "password": .string(password)]))
        return try #require(reply["result"]?["token"]?.stringValue, "login of \(email): \(reply)")
    }

    /// Every event in the outbox after `after`, through `events.since`.
    static func events(after: Int64 = 0, on server: PortaldProcess) throws -> [JSONValue] {
        let token = try token("service@demo.example", on: server)
        let client = try server.client()
        var events: [JSONValue] = []
        var after = after
        while true {
            let reply = try client.request(RequestLine.line(
                id: 1, command: "events.since", auth: token, arguments: ["after": .int(after), "limit": 1_000]))
            let result = try #require(reply["result"], "events.since: \(reply)")
            events += result["events"]?.arrayValue ?? []
            after = try #require(result["next_after"]?.intValue)
            if after >= (result["last_seq"]?.intValue ?? 0) { return events }
        }
    }

    /// The last committed event number.
    static func lastSeq(on server: PortaldProcess) throws -> Int64 {
        try events(on: server).last?["seq"]?.intValue ?? 0
    }

    /// `license.import` requests of one company and `licenses` licenses of order `order`, in
    /// requests of 1,000 rows; one `company.created` and `licenses` `license.created` events.
    /// `afterFirst` runs once the first request (the company) is answered.
    static func importBurst(
        _ licenses: Int, order: String, on server: PortaldProcess, afterFirst: () throws -> Void = {}
    ) throws {
        let token = try token("order@demo.example", on: server)
        let client = try server.client(receiveTimeout: .seconds(60))
        let setup: [JSONValue] = [
            ["type": "company", "ref": .string("C-\(order)"), "name": .string("Burst \(order) AG"), "views": ["customer"]],
            ["type": "product", "ref": "BURST", "name": "Burst Engine", "line": "ThinPrint"],
        ]
        let rows = (1...licenses).map { position -> JSONValue in
            [
                "type": "license", "order_reference": .string(order), "order_position": .int(Int64(position)),
                "order_date": "2026-01-15T00:00:00Z", "product": "BURST", "owner": .string("C-\(order)"),
            ]
        }
        for (index, chunk) in ([setup] + stride(from: 0, to: rows.count, by: 1_000).map { Array(rows[$0..<min($0 + 1_000, rows.count)]) }).enumerated() {
            let reply = try client.request(RequestLine.line(id: 1, command: "license.import", auth: token, arguments: ["rows": .array(chunk)]))
            try #require(reply["result"]?["errors"] == [], "license.import: \(reply)")
            if index == 0 { try afterFirst() }
        }
    }

    /// `portalctl subscribe` with the service account's credentials.
    func subscribe(to server: PortaldProcess, _ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(
            executable: try TestExecutables.portalctl(),
            arguments: ["subscribe", "--endpoint", server.eventEndpoint, "--command-endpoint", server.commandEndpoint,
                        "--email", "service@demo.example", "--password", Self.password, "--timeout", "2"] + arguments,
            folder: folder)
    }
}

extension ChildProcess {
    /// The events printed so far, one JSON object a line.
    func printedEvents() throws -> [JSONValue] {
        try standardOutput.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8), maxDepth: 64) }
    }

    /// Waits until at least `count` lines are printed; throws with the standard error when
    /// `timeout` passes or the process ends first.
    func waitForLines(_ count: Int, timeout: Duration = .seconds(60)) throws {
        let deadline = ContinuousClock.now + timeout
        while standardOutput.utf8.count(where: { $0 == UInt8(ascii: "\n") }) < count {
            guard ContinuousClock.now < deadline, isRunning else {
                throw HarnessError("\(count) lines expected, \(standardOutput.split(separator: "\n").count) printed; stderr:\n\(standardError)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}

extension DemoWorld {
    /// Waits until the server's publisher has sent every event up to `seq` (`system.info`).
    static func waitUntilPublished(_ seq: Int64, on server: PortaldProcess, timeout: Duration = .seconds(60)) throws {
        let client = try server.client()
        let deadline = ContinuousClock.now + timeout
        while try client.request(RequestLine.info())["result"]?["stats"]?["published_seq"]?.intValue ?? 0 < seq {
            guard ContinuousClock.now < deadline else { throw HarnessError("events up to \(seq) not published within \(timeout)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
