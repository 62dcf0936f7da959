import PortalBench
import PortalCore
import PortalProtocol
import Testing

@Suite struct OperationTests {
    private let credentials = BenchSession.Credentials(token: "tok\"en", view: "customer")

    private func request(_ operation: any BenchOperation, id: Int64) throws -> (JSONValue, Int) {
        var line: [UInt8] = []
        let tag = operation.request(id: id, into: &line)
        return (try JSONParser.parse(line, maxDepth: 16), tag)
    }

    @Test func commandRequestsAreValidLinesWithTheirArguments() throws {
        let operation = CommandOperation(command: "license.get", session: credentials, args: [["license": "li_1"], ["license": "li_2"]], seed: 3)
        var seen: Set<Int> = []
        for id in Int64(1)...50 {
            let (line, tag) = try request(operation, id: id)
            #expect(line == ["id": .int(id), "cmd": "license.get", "auth": "tok\"en", "view": "customer", "args": ["license": .string("li_\(tag + 1)")]])
            seen.insert(tag)
        }
        #expect(seen == [0, 1])
        let ping = CommandOperation(command: "system.ping", session: nil, args: [[:]], seed: 1)
        #expect(try request(ping, id: 7).0 == ["id": 7, "cmd": "system.ping", "args": [:]])
    }

    @Test func activationsGoRoundTheLicensesWithNewServers() throws {
        let operation = ActivationOperation(licenses: ["li_a", "li_b", "li_c"], session: credentials, cyclesPerLicense: 2)
        var licenses: [String] = []
        var keys: Set<String> = []
        for id in Int64(1)...6 {
            let (line, _) = try request(operation, id: id)
            licenses.append(try #require(line["args"]?["license"]?.stringValue))
            let key = try #require(line["args"]?["registration_key"]?.stringValue)
            #expect(RegistrationKey(key) != nil)
            keys.insert(key)
        }
        #expect(licenses == ["li_a", "li_b", "li_c", "li_a", "li_b", "li_c"])
        #expect(keys.count == 6)
        #expect(operation.note == nil)
        // Each has had its two cycles: the pool goes round again, and says so.
        #expect(try request(operation, id: 7).0["args"]?["license"] == "li_a")
        #expect(operation.exhausted)
        #expect(operation.note?.contains("3 licenses") == true)
    }

    @Test func theServersLimitRetiresALicenseEarly() throws {
        let operation = ActivationOperation(licenses: ["li_a", "li_b"], session: credentials, cyclesPerLicense: 4)
        let (_, tag) = try request(operation, id: 1)
        operation.replied(tag: tag, reply: .init(rawID: nil, ok: false, errorCode: "limit_exceeded"))
        let next = try (2...4).map { try request(operation, id: $0).0["args"]?["license"]?.stringValue }
        #expect(next == ["li_b", "li_b", "li_b"])
    }

    @Test func mixesPickByWeight() {
        let ping = CommandOperation(command: "system.ping", session: nil, args: [[:]], seed: 1)
        let info = CommandOperation(command: "system.info", session: nil, args: [[:]], seed: 2)
        let workload = BenchWorkload([(ping, 9), (info, 1)])
        let picks = (0..<10_000).map { _ in workload.pick() }
        #expect((900...1_100).contains(picks.filter { $0 == 1 }.count))
    }
}
