import Foundation
import Logging
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

@Suite struct KeyRingTests {
    let folder: TemporaryFolder
    let keys: String

    init() throws {
        folder = try TemporaryFolder()
        keys = folder.path("state/keys")
    }

    static func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    static func jsonFiles(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func generateWritesOneOwnerOnlyFileInAnOwnerOnlyFolder() throws {
        let key = try KeyRing.generate(in: keys, now: testStart)

        #expect(try Self.jsonFiles(keys) == ["\(key.id).json"])
        #expect(key.path == keys + "/\(key.id).json")
        #expect(try Self.permissions(key.path) == 0o600)
        #expect(try Self.permissions(keys) == 0o700)
        #expect(key.id == JSONWebKey(id: nil, publicKey: key.publicKey).thumbprint)
        #expect(key.createdAt == testStart)

        let file = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: key.path))), maxDepth: 8)
        #expect(file.objectValue?.keys.sorted() == ["created_at", "kid", "seed"])
        #expect(file["kid"] == .string(key.id))
        #expect(file["created_at"] == "2026-11-29T08:15:00Z")
        let seed = try #require(file["seed"]?.stringValue.flatMap { Base64URL.decode($0) })
        #expect(Ed25519SigningKey(seed: seed)?.publicKey == key.publicKey)
    }

    @Test func generateRefusesAFolderThatHasKeys() throws {
        try KeyRing.generate(in: keys, now: testStart)
        let error = try #require(throws: KeyRingError.self) { try KeyRing.generate(in: keys, now: testStart) }
        #expect(error.message.contains("rotate"))
        #expect(try Self.jsonFiles(keys).count == 1)
    }

    @Test func rotateRefusesAFolderWithoutKeys() throws {
        let error = try #require(throws: KeyRingError.self) { try KeyRing.rotate(in: keys, now: testStart) }
        #expect(error.message.contains("portald keys generate"))
        #expect(!FileManager.default.fileExists(atPath: keys), "a mistyped folder is not created")
    }

    @Test func theNewestKeySignsAndEveryKeyVerifies() throws {
        let first = try KeyRing.generate(in: keys, now: testStart)
        let before = try KeyRing.load(folder: keys)
        let oldToken = try before.sign(["n": 1])

        // Rotated in the same second: still strictly newer, so the signing key is never a tie.
        let second = try KeyRing.rotate(in: keys, now: testStart)
        let third = try KeyRing.rotate(in: keys, now: testStart.addingTimeInterval(3_600))
        #expect(second.createdAt == testStart.addingTimeInterval(1))
        #expect(third.createdAt == testStart.addingTimeInterval(3_600))

        let ring = try KeyRing.load(folder: keys)
        #expect(ring.keys.map(\.id) == [first.id, second.id, third.id])
        #expect(ring.activeKey?.id == third.id)
        #expect(Set([first.id, second.id, third.id]).count == 3)

        let token = try ring.sign(["n": 2])
        #expect(try JWS(compact: token).keyID == third.id)
        let set = try JSONWebKeySet(json: try ring.publicKeySet())
        #expect(set.keys.map(\.id) == [third.id, second.id, first.id], "newest first")
        #expect(try JWS.verify(token, with: set) == ["n": 2])
        #expect(try JWS.verify(oldToken, with: set) == ["n": 1], "what the old key signed still verifies")
        #expect(throws: JWSError.self) { try JWS.verify(token, with: JSONWebKeySet(json: try before.publicKeySet())) }
    }

    @Test func theJWKSetHoldsNoSecret() throws {
        try KeyRing.generate(in: keys, now: testStart)
        let ring = try KeyRing.load(folder: keys)
        let text = String(decoding: try ring.publicKeySet().serialized(), as: UTF8.self)
        let file = try String(contentsOfFile: try #require(ring.activeKey?.path), encoding: .utf8)
        let seed = try #require(try JSONParser.parse(Array(file.utf8), maxDepth: 8)["seed"]?.stringValue)
        #expect(!text.contains(seed))
        #expect(!text.contains("\"d\""))
        #expect(!"\(ring)".contains(seed), "not even in a debug description")
    }

    @Test func aMissingFolderIsAnEmptyRingThatCannotSign() throws {
        let ring = try KeyRing.load(folder: keys)
        #expect(ring.keys.isEmpty)
        #expect(ring.activeKey == nil)
        #expect(throws: PortalError.self) { try ring.sign(["a": 1]) }
        #expect(throws: PortalError.self) { try ring.publicKeySet() }
    }

    @Test func otherFilesAreIgnored() throws {
        let key = try KeyRing.generate(in: keys, now: testStart)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: keys + "/README"))
        try Data("{".utf8).write(to: URL(fileURLWithPath: keys + "/.half-written.json.tmp"))
        try Data("{".utf8).write(to: URL(fileURLWithPath: keys + "/.hidden.json"))
        #expect(try KeyRing.load(folder: keys).keys.map(\.id) == [key.id])
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o602])
    func aKeyFileOthersCouldReadIsRefused(mode: Int) throws {
        let key = try KeyRing.generate(in: keys, now: testStart)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: key.path)
        let error = try #require(throws: KeyRingError.self) { try KeyRing.load(folder: keys) }
        #expect(error.message.contains("chmod 600 \(key.path)"), "\(error)")
        #expect(error.message.contains(String(format: "%04o", mode)), "\(error)")
        #expect(!error.message.contains("\n"))
    }

    @Test func aReadOnlyKeyFileIsFine() throws {
        let key = try KeyRing.generate(in: keys, now: testStart)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: key.path)
        #expect(try KeyRing.load(folder: keys).activeKey?.id == key.id)
    }

    func writeKeyFile(_ text: String, named name: String = "broken.json") throws -> String {
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        let path = keys + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    @Test(arguments: [
        ("{not json", "not JSON"),
        (#"["a"]"#, "kid"),
        (#"{"created_at":"2026-11-29T08:15:00Z","seed":"AAAA"}"#, "kid"),
        (#"{"kid":"k","seed":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}"#, "created_at"),
        (#"{"kid":"k","created_at":"yesterday","seed":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}"#, "created_at"),
        (#"{"kid":"k","created_at":"2026-11-29T08:15:00Z","seed":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2"}"#, "seed"),
        (#"{"kid":"k","created_at":"2026-11-29T08:15:00Z","seed":"nWGxne+9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="}"#, "seed"),
        (#"{"kid":"k","created_at":"2026-11-29T08:15:00Z"}"#, "seed"),
    ])
    func aMalformedKeyFileIsRefusedNamingIt(text: String, problem: String) throws {
        let path = try writeKeyFile(text)
        let error = try #require(throws: KeyRingError.self) { try KeyRing.load(folder: keys) }
        #expect(error.message.hasPrefix("\(path) is not a signing key file"), "\(error)")
        #expect(error.message.contains(problem), "\(error)")
        #expect(!error.message.contains("\n"))
    }

    @Test func theRFC8037KeyReadsFromAHandWrittenFile() throws {
        _ = try writeKeyFile(#"{"kid":"rfc","created_at":"2026-11-29T08:15:00Z","seed":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}"#)
        let ring = try KeyRing.load(folder: keys)
        #expect(ring.jsonWebKeySet.keys.first?.json["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
    }

    @Test func anUnreadableKeyFileIsRefusedNamingIt() throws {
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        let path = keys + "/gone.json"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: folder.path("nowhere"))
        let error = try #require(throws: KeyRingError.self) { try KeyRing.load(folder: keys) }
        #expect(error.message == "cannot read the signing key \(path): No such file or directory")
    }

    @Test func aFolderWhereAKeyFileShouldBeIsRefused() throws {
        try FileManager.default.createDirectory(atPath: keys + "/odd.json", withIntermediateDirectories: true)
        let error = try #require(throws: KeyRingError.self) { try KeyRing.load(folder: keys) }
        #expect(error.message.contains("odd.json is not a regular file"), "\(error)")
    }

    @Test func aKeysFolderThatIsAFileIsRefused() throws {
        try Data().write(to: URL(fileURLWithPath: folder.path("plain")))
        let error = try #require(throws: KeyRingError.self) { try KeyRing.load(folder: folder.path("plain")) }
        #expect(error.message.contains("is not a folder"))
        #expect(throws: KeyRingError.self) { try KeyRing.generate(in: folder.path("plain"), now: testStart) }
    }

    @Test func twoFilesWithTheSameKeyAreRefused() throws {
        let key = try KeyRing.generate(in: keys, now: testStart)
        try FileManager.default.copyItem(atPath: key.path, toPath: keys + "/copy.json")
        let error = try #require(throws: KeyRingError.self) { try KeyRing.load(folder: keys) }
        #expect(error.message.contains(key.id) && error.message.contains("copy.json"), "\(error)")
    }
}

@Suite struct SystemKeysCommandTests {
    static func executor(signer: any TokenSigner, folder: TemporaryFolder) throws -> CommandExecutor {
        let clock = ManualWallClock(testStart)
        let environment = ServiceEnvironment(
            store: try SQLiteStore(path: folder.path("portal.sqlite")), clock: clock,
            runtime: RuntimeFacts(workerCount: 1, startedAt: clock.now, transportVersion: "4.3.4"),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), signer: signer)
        return CommandExecutor(registry: .standard, limits: ProtocolLimits(), environment: environment)
    }

    static func execute(_ line: String, on executor: CommandExecutor) throws -> JSONValue {
        let reply = executor.execute(frame: Array((line + "\n").utf8))
        return try JSONParser.parse(try #require(RequestFrameDecoder.lines(in: reply).first), maxDepth: 64)
    }

    @Test func systemKeysReturnsTheJWKSetWithoutASession() throws {
        let folder = try TemporaryFolder()
        try KeyRing.generate(in: folder.path("keys"), now: testStart)
        try KeyRing.rotate(in: folder.path("keys"), now: testStart)
        let ring = try KeyRing.load(folder: folder.path("keys"))
        let reply = try Self.execute(#"{"id":1,"cmd":"system.keys"}"#, on: try Self.executor(signer: ring, folder: folder))

        #expect(reply["ok"] == true, "\(reply)")
        #expect(reply["result"] == ring.jsonWebKeySet.json)
        let keys = try #require(reply["result"]?["keys"]?.arrayValue)
        #expect(keys.map { $0["kid"]?.stringValue } == ring.keys.reversed().map(\.id))
        #expect(keys.allSatisfy { $0["kty"] == "OKP" && $0["crv"] == "Ed25519" && $0["d"] == nil })

        let validator = JSONSchemaValidator(protocolFolder: ProtocolCatalogueTests.protocolFolder)
        let result = try #require(reply["result"])
        #expect(try validator.validate(result, against: "commands/system.keys.schema.json#/$defs/result") == [])
    }

    @Test func withoutKeysSystemKeysTellsTheOperatorWhatToDo() throws {
        let folder = try TemporaryFolder()
        let reply = try Self.execute(#"{"id":1,"cmd":"system.keys"}"#, on: try Self.executor(signer: MissingTokenSigner(), folder: folder))
        #expect(reply["ok"] == false)
        #expect(reply.errorCode == "internal")
        #expect(reply["error"]?["message"]?.stringValue?.contains("portald keys generate") == true, "\(reply)")
    }
}
