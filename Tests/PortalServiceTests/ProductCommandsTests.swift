import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

/// The catalogue: product.upsert/list and release.publish/list for the order team.
@Suite struct ProductCommandsTests {
    let fixture: AccountFixture
    let token: String

    init() throws {
        fixture = try AccountFixture()
        token = try fixture.staffToken([.order])
    }

    static let artifact: JSONValue = [
        "platform": "windows-x64", "file": "engine-10.0.msi", "size": 1_234,
        "sha256": .string(String(repeating: "ab", count: 32)),
    ]

    @Test func productsAreCreatedRenamedAndListedWithTheirLines() throws {
        let created = try fixture.send("product.upsert", auth: token, args: ["name": "ThinPrint Engine", "line": "ThinPrint"])
        let id = try #require(created.result["id"]?.stringValue)
        #expect(created.result["line"]?["name"] == "ThinPrint")
        let moved = try fixture.send(
            "product.upsert", auth: token, args: ["product": .string(id), "name": "Engine", "line": "Personal Printing"])
        #expect(moved.result["name"] == "Engine")
        #expect(moved.result["line"]?["name"] == "Personal Printing")
        let list = try fixture.send("product.list", auth: token)
        #expect(list.result["items"]?.arrayValue?.count == 1)
        #expect(try fixture.send("product.upsert", auth: token, args: ["product": "pr_nope", "name": "X", "line": "Y"]).errorCode == "not_found")
    }

    @Test func releasesArePublishedOncePerVersionAndListedNewestFirst() throws {
        let product = try fixture.send("product.upsert", auth: token, args: ["name": "ThinPrint Engine", "line": "ThinPrint"])
        let id = try #require(product.result["id"]?.stringValue)
        let older = try fixture.send(
            "release.publish", auth: token,
            args: ["product": .string(id), "version": "10.0", "released_at": "2026-01-01T00:00:00Z", "artifacts": [Self.artifact]])
        #expect(older.ok, "\(older)")
        _ = try fixture.send(
            "release.publish", auth: token,
            args: ["product": .string(id), "version": "10.1", "released_at": "2026-06-01T00:00:00Z", "notes": "Faster.", "artifacts": [Self.artifact]])
        let again = try fixture.send(
            "release.publish", auth: token, args: ["product": .string(id), "version": "10.0", "artifacts": [Self.artifact]])
        #expect(again.errorCode == "conflict")
        let list = try fixture.send("release.list", auth: token, args: ["product": .string(id)])
        #expect(list.result["items"]?.arrayValue?.compactMap { $0["version"]?.stringValue } == ["10.1", "10.0"])
        #expect(list.result["items"]?.arrayValue?.first?["artifacts"] == [Self.artifact])
    }

    @Test func badArtifactsAndUnknownProductsAreRefused() throws {
        let product = try fixture.send("product.upsert", auth: token, args: ["name": "Hub", "line": "ThinPrint"])
        let id = try #require(product.result["id"]?.stringValue)
        let badHash: JSONValue = ["platform": "linux-x64", "file": "hub.tgz", "sha256": "xyz"]
        #expect(try fixture.send("release.publish", auth: token, args: ["product": .string(id), "version": "1", "artifacts": [badHash]]).errorCode == "bad_request")
        #expect(try fixture.send("release.publish", auth: token, args: ["product": .string(id), "version": "1", "artifacts": []]).errorCode == "bad_request")
        #expect(try fixture.send("release.publish", auth: token, args: ["product": .string(id), "version": "1", "artifacts": [Self.artifact, Self.artifact]]).errorCode == "bad_request")
        #expect(try fixture.send("release.publish", auth: token, args: ["product": "pr_nope", "version": "1", "artifacts": [Self.artifact]]).errorCode == "not_found")
    }

    @Test func supportMayReadButNotPublish() throws {
        let supportToken = try fixture.staffToken([.support])
        #expect(try fixture.send("product.list", auth: supportToken).ok)
        #expect(try fixture.send("product.upsert", auth: supportToken, args: ["name": "X", "line": "Y"]).errorCode == "forbidden")
    }
}
