import Foundation
import PortalProtocol
import Testing

/// The store as the running server reports it.
@Suite struct DatabaseTests {
    @Test func withoutADatabaseFlagTheDefaultFileIsCreatedInTheWorkingDirectory() throws {
        let workingDirectory = try TemporaryDirectory()
        let server = try PortaldProcess(database: .serverDefault, currentDirectory: workingDirectory.url)

        #expect(server.databasePath == "var/portal.sqlite")
        #expect(FileManager.default.fileExists(atPath: workingDirectory.path("var/portal.sqlite")))
        #expect(try server.client().request(RequestLine.ping(id: 1)).isOK)
    }

    @Test func systemInfoDescribesTheServerAndItsStore() throws {
        let server = try PortaldProcess(arguments: ["--workers", "2"])
        let info = try server.client().request(RequestLine.info(id: "i"))
        #expect(info.isOK, "\(info.text)")
        let result = try #require(info.result)

        #expect(result["store"] == "sqlite")
        #expect(result["protocol"] == 1)
        #expect(result["workers"] == 2)
        #expect(result["version"] == "0.1.0")
        #expect(result["schema_version"]?.stringValue?.isEmpty == false, "\(result.text)")
        #expect(result["store_id"]?.stringValue?.isEmpty == false, "\(result.text)")
        #expect(ReplyPattern.mismatches(expected: "$timestamp", actual: result["started_at"] ?? .null).isEmpty, "\(result.text)")
        #expect(ReplyPattern.mismatches(expected: "$string", actual: result["libzmq"] ?? .null).isEmpty, "\(result.text)")
        let uptime = try #require(result["uptime_s"]?.intValue, "\(result.text)")
        #expect(uptime >= 0 && uptime < 60)
    }

    @Test func theStoreKeepsItsIdentityAcrossRestarts() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("data/portal.sqlite")

        func storeFacts() throws -> (id: JSONValue?, schema: JSONValue?) {
            let server = try PortaldProcess(database: .path(path))
            let result = try server.client().request(RequestLine.info()).result
            server.terminate()
            #expect(try server.waitForExit() == 0)
            return (result?["store_id"], result?["schema_version"])
        }

        let first = try storeFacts()
        let second = try storeFacts()
        #expect(first.id?.stringValue?.isEmpty == false)
        #expect(first.id == second.id)
        #expect(first.schema == second.schema)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func differentDatabasesHaveDifferentIdentities() throws {
        let one = try PortaldProcess()
        let two = try PortaldProcess()
        let first = try one.client().request(RequestLine.info()).result?["store_id"]
        let second = try two.client().request(RequestLine.info()).result?["store_id"]
        #expect(first != nil && first != second)
    }
}
