import Foundation
import PortalCore
import PortalProtocol
import PortalService
import Testing

/// `portald keys`, `system.keys` on a running server, and `portalctl verify`, with the real
/// binaries; and the signatures checked by an implementation that is not ours (OpenSSL).
@Suite struct SigningKeysTests {
    static func portaldKeys(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try ChildProcess.run(try TestExecutables.portald(), ["keys"] + arguments, environment: environment)
    }

    static func keyFiles(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
    }

    static func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// The `seed` of every key file: what must never be printed.
    static func seeds(_ folder: String) throws -> [String] {
        try keyFiles(folder).map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            return try #require(try JSONParser.parse(Array(data), maxDepth: 8)["seed"]?.stringValue)
        }
    }

    static func systemKeys(on server: PortaldProcess) throws -> JSONValue {
        try server.client().request(RequestLine.line(id: "keys", command: "system.keys"))
    }

    static func verify(_ token: String, jwks: String, standardInput: Data? = nil) throws -> ProcessResult {
        try PortalctlCommand.run(["verify", token, "--jwks", jwks], standardInput: standardInput)
    }

    @Test func generateServeRotateListAndVerify() throws {
        let folder = try TemporaryDirectory(prefix: "portal-keys")
        let keys = folder.path("keys")

        let generated = try Self.portaldKeys(["generate", "--keys-dir", keys])
        #expect(generated.status == 0, "\(generated.standardError)")
        let firstFiles = try Self.keyFiles(keys)
        try #require(firstFiles.count == 1)
        let firstID = String(firstFiles[0].dropLast(".json".count))
        #expect(try Self.permissions(keys + "/" + firstFiles[0]) == 0o600)
        #expect(try Self.permissions(keys) == 0o700)
        #expect(generated.standardOutput.contains(firstID))

        let again = try Self.portaldKeys(["generate", "--keys-dir", keys])
        #expect(again.status == 1)
        #expect(again.errorLines.count == 1 && again.standardError.hasPrefix("portald: "), "\(again.standardError)")
        #expect(again.standardError.contains("portald keys rotate"))
        #expect(try Self.keyFiles(keys).count == 1)

        let firstPayload: JSONValue = ["license": "lic_1", "seats": 5, "note": "signed before the rotation"]
        let oldToken = try KeyRing.load(folder: keys).sign(firstPayload)

        let firstSet: String
        do {
            let server = try PortaldProcess(arguments: ["--keys-dir", keys])
            let reply = try Self.systemKeys(on: server)
            #expect(reply.isOK, "\(reply.text)")
            let published = try #require(reply.result?["keys"]?.arrayValue)
            #expect(published.map { $0["kid"] } == [.string(firstID)])
            #expect(published.first?["kty"] == "OKP" && published.first?["crv"] == "Ed25519")
            firstSet = try folder.write(reply.text + "\n", to: "keys-1.json")
        }

        let rotated = try Self.portaldKeys(["rotate"], environment: ["PORTAL_KEYS_DIR": keys])
        #expect(rotated.status == 0, "\(rotated.standardError)")
        let files = try Self.keyFiles(keys)
        try #require(files.count == 2)
        for file in files { #expect(try Self.permissions(keys + "/" + file) == 0o600) }
        let secondID = try #require(files.map { String($0.dropLast(".json".count)) }.first { $0 != firstID })
        #expect(rotated.standardOutput.contains(secondID))

        let listed = try Self.portaldKeys(["list", "--keys-dir", keys])
        #expect(listed.status == 0, "\(listed.standardError)")
        let signing = try #require(listed.outputLines.first { $0.contains(secondID) })
        let verifying = try #require(listed.outputLines.first { $0.contains(firstID) })
        #expect(signing.hasSuffix("signs and verifies"), "\(listed.standardOutput)")
        #expect(verifying.hasSuffix(" verifies") && !verifying.contains("signs"), "\(listed.standardOutput)")
        for seed in try Self.seeds(keys) {
            #expect(!listed.standardOutput.contains(seed), "list shows no secret")
            #expect(!rotated.standardOutput.contains(seed) && !generated.standardOutput.contains(seed))
        }

        let secondPayload: JSONValue = ["license": "lic_2", "valid_until": "2099-01-01T00:00:00Z"]
        let newToken = try KeyRing.load(folder: keys).sign(secondPayload)
        #expect(try JWS(compact: newToken).keyID == secondID, "the newest key signs")

        let server = try PortaldProcess(arguments: ["--keys-dir", keys])
        let reply = try Self.systemKeys(on: server)
        let result = try #require(reply.result, "\(reply.text)")
        #expect(result["keys"]?.arrayValue?.map { $0["kid"] } == [.string(secondID), .string(firstID)])
        for seed in try Self.seeds(keys) { #expect(!reply.text.contains(seed)) }
        let offline = try Self.portaldKeys(["list", "--jwks", "--keys-dir", keys])
        #expect(try JSONParser.parse(Array(offline.standardOutput.utf8), maxDepth: 64) == result, "list --jwks is system.keys")

        let replySet = try folder.write(reply.text + "\n", to: "keys-2.json")
        let resultSet = try folder.write(result.text, to: "keys-2-result.json")

        let verified = try Self.verify(newToken, jwks: replySet)
        #expect(verified.status == 0, "\(verified.standardError)")
        #expect(try JSONParser.parse(Array(verified.standardOutput.utf8), maxDepth: 64) == secondPayload)
        #expect(verified.standardError.isEmpty)

        let old = try Self.verify(oldToken, jwks: resultSet)
        #expect(old.status == 0, "what the retired key signed still verifies: \(old.standardError)")
        #expect(try JSONParser.parse(Array(old.standardOutput.utf8), maxDepth: 64) == firstPayload)

        let tokenFile = try folder.write(newToken + "\n", to: "certificate.jws")
        #expect(try Self.verify(tokenFile, jwks: resultSet).status == 0)
        #expect(try Self.verify("-", jwks: resultSet, standardInput: Data(newToken.utf8)).status == 0)

        let tooOld = try Self.verify(newToken, jwks: firstSet)
        #expect(tooOld.status == 1)
        #expect(tooOld.errorLines.count == 1 && tooOld.standardError.contains(secondID), "\(tooOld.standardError)")
        #expect(tooOld.standardOutput.isEmpty)

        var parts = newToken.split(separator: ".").map(String.init)
        parts[1] = Base64URL.encode(JSONValue.object(["license": "lic_2", "valid_until": "2199-01-01T00:00:00Z"]).serialized())
        let tampered = try Self.verify(parts.joined(separator: "."), jwks: replySet)
        #expect(tampered.status == 1)
        #expect(tampered.errorLines.count == 1 && tampered.standardError.contains("does not verify"), "\(tampered.standardError)")
        #expect(tampered.standardOutput.isEmpty)
    }

    @Test func anExpiredTokenVerifiesWithAWarning() throws {
        let folder = try TemporaryDirectory(prefix: "portal-keys")
        try KeyRing.generate(in: folder.path("keys"), now: Date())
        let ring = try KeyRing.load(folder: folder.path("keys"))
        let jwks = try folder.write(String(decoding: try ring.publicKeySet().serialized(), as: UTF8.self), to: "jwks.json")
        let result = try Self.verify(try ring.sign(["exp": 1_000_000_000]), jwks: jwks)
        #expect(result.status == 0)
        #expect(result.standardError.contains("warning: the token expired at 2001-09-09T01:46:40Z"), "\(result.standardError)")
    }

    @Test func aKeyFileOthersCanReadStopsTheServerNamingIt() throws {
        let folder = try TemporaryDirectory(prefix: "portal-keys")
        let keys = folder.path("keys")
        #expect(try Self.portaldKeys(["generate", "--keys-dir", keys]).status == 0)
        let file = keys + "/" + (try Self.keyFiles(keys)[0])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)

        let result = try PortaldProcess.runToExit(arguments: ["--keys-dir", keys])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("portald: ") && result.standardError.contains("chmod 600 \(file)"), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)

        let listed = try Self.portaldKeys(["list", "--keys-dir", keys])
        #expect(listed.status == 1 && listed.standardError.contains("chmod 600"), "\(listed.standardError)")
    }

    @Test func withoutKeysTheServerRunsWarnsAndSystemKeysSaysWhatToDo() throws {
        let server = try PortaldProcess()
        try server.waitForLog(containing: "no signing keys; activation and downloads fail until portald keys generate")
        let reply = try Self.systemKeys(on: server)
        #expect(reply.errorCode == "internal")
        #expect(reply.errorMessage?.contains("portald keys generate") == true, "\(reply.text)")
        #expect(try server.client().request(RequestLine.ping(id: 1)).isOK)
    }

    @Test func rotateWithoutKeysIsRefusedAndCreatesNothing() throws {
        let folder = try TemporaryDirectory(prefix: "portal-keys")
        let result = try Self.portaldKeys(["rotate", "--keys-dir", folder.path("typo")])
        #expect(result.status == 1)
        #expect(result.standardError.contains("portald keys generate"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("typo")))
    }

    @Test func helpExplainsTheSubcommands() throws {
        let help = try Self.portaldKeys(["--help"])
        #expect(help.status == 0)
        for word in ["generate", "rotate", "list", "0600", "system.keys"] {
            #expect(help.standardOutput.contains(word), "\(word) not in: \(help.standardOutput)")
        }
    }

    // MARK: An independent verifier

    @Test(.enabled(if: OpenSSL.executable != nil, "needs the openssl command (OpenSSL 3)"))
    func openSSLVerifiesWhatTheKeyRingSigns() throws {
        let openssl = try #require(OpenSSL.executable)
        let folder = try TemporaryDirectory(prefix: "portal-keys")
        let keys = folder.path("keys")
        #expect(try Self.portaldKeys(["generate", "--keys-dir", keys]).status == 0)
        let token = try KeyRing.load(folder: keys).sign(["license": "lic_1", "seats": 5])

        // The public key as the server publishes it, decoded without the project's own code.
        let server = try PortaldProcess(arguments: ["--keys-dir", keys])
        let jwk = try #require(try Self.systemKeys(on: server).result?["keys"]?.arrayValue?.first)
        let encodedX = try #require(jwk["x"]?.stringValue)
        let x = try #require(OpenSSL.base64URLDecode(encodedX))
        try #require(x.count == 32)
        let header = try #require(OpenSSL.base64URLDecode(String(token.split(separator: ".")[0])))
        #expect(try JSONParser.parse(Array(header), maxDepth: 8) == ["alg": "EdDSA", "kid": jwk["kid"]!, "typ": "JWT"])

        let good = try OpenSSL.verify(token, publicKey: x, in: folder)
        #expect(good.status == 0, "openssl: \(good.standardOutput) \(good.standardError)")
        #expect(good.standardOutput.contains("Signature Verified Successfully"))

        var parts = token.split(separator: ".").map(String.init)
        parts[1] = Data(#"{"license":"lic_1","seats":500}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let bad = try OpenSSL.verify(parts.joined(separator: "."), publicKey: x, in: folder)
        #expect(bad.status != 0, "openssl accepted an altered payload: \(bad.standardOutput)")
    }
}
