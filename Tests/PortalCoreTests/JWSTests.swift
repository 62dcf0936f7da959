import Foundation
import PortalCore
import PortalProtocol
import Testing

/// RFC 8037 appendix A: the Ed25519 key of A.1, its thumbprint (A.3) and the JWS of A.4.
enum RFC8037 {
    static let d = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
    static let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    static let thumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    static let payload = "Example of Ed25519 signing"
    static let jws = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
        + "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

    static var key: Ed25519SigningKey { Ed25519SigningKey(seed: Base64URL.decode(d)!)! }
    static var publicKeySet: JSONWebKeySet { JSONWebKeySet(keys: [JSONWebKey(id: nil, publicKey: key.publicKey)]) }
}

@Suite struct Base64URLTests {
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648VectorsWithoutPadding(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func theURLAlphabet() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("____") == [0xFF, 0xFF, 0xFF])
    }

    @Test func roundTripsEveryLength() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    /// One text per byte string: anything else could turn one signed token into two.
    @Test(arguments: ["Zg==", "Zm8=", "Z", "Zm9vY", "Zh", "Zm9", "+/8", "Zm 9v", "Zm9v\n", "Zé"])
    func refusesWhatIsNotCanonical(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

@Suite struct Ed25519Tests {
    @Test func theRFC8037KeyPair() {
        #expect(Base64URL.encode(RFC8037.key.publicKey.bytes) == RFC8037.x)
        #expect(RFC8037.key.seed == Base64URL.decode(RFC8037.d))
    }

    @Test func signaturesVerifyOnlyForTheirMessageAndKey() {
        let key = Ed25519SigningKey.generate()
        let message = Array("a message".utf8)
        let signature = key.signature(for: message)
        #expect(signature.count == 64)
        #expect(key.signature(for: message) == signature, "Ed25519 is deterministic")
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: Array("a massage".utf8)))
        #expect(!Ed25519SigningKey.generate().publicKey.isValidSignature(signature, for: message))
        var flipped = signature
        flipped[10] ^= 0x01
        #expect(!key.publicKey.isValidSignature(flipped, for: message))
        #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: message))
    }

    @Test func keysOfTheWrongLengthAreRefused() {
        #expect(Ed25519SigningKey(seed: [UInt8](repeating: 1, count: 31)) == nil)
        #expect(Ed25519SigningKey(seed: [UInt8](repeating: 1, count: 64)) == nil)
        #expect(Ed25519PublicKey(bytes: [UInt8](repeating: 1, count: 33)) == nil)
    }

    @Test func generatedKeysDiffer() {
        #expect(Ed25519SigningKey.generate().seed != Ed25519SigningKey.generate().seed)
    }

    @Test func descriptionsNeverShowTheSeed() {
        let key = RFC8037.key
        for text in ["\(key)", String(describing: key), String(reflecting: key)] {
            #expect(!text.contains(RFC8037.d))
            #expect(text.contains(RFC8037.x))
        }
    }
}

@Suite struct JSONWebKeyTests {
    @Test func theRFC8037ThumbprintOfAppendixA3() {
        #expect(JSONWebKey(id: nil, publicKey: RFC8037.key.publicKey).thumbprint == RFC8037.thumbprint)
    }

    @Test func aPublicJWKHasNoPrivatePart() throws {
        let jwk = JSONWebKey(id: "k1", publicKey: RFC8037.key.publicKey)
        #expect(jwk.json == ["kty": "OKP", "crv": "Ed25519", "x": .string(RFC8037.x), "kid": "k1", "alg": "EdDSA", "use": "sig"])
        #expect(try JSONWebKey(json: jwk.json) == jwk)
    }

    @Test func theRFCsJWKReadsWithoutKid() throws {
        let jwk = try JSONWebKey(json: ["kty": "OKP", "crv": "Ed25519", "x": .string(RFC8037.x)])
        #expect(jwk.id == nil)
        #expect(jwk.publicKey == RFC8037.key.publicKey)
    }

    @Test(arguments: [
        JSONValue.array([]), ["kty": "EC", "crv": "P-256", "x": "abc"], ["kty": "OKP", "crv": "X25519", "x": .string(RFC8037.x)],
        ["kty": "OKP", "crv": "Ed25519"], ["kty": "OKP", "crv": "Ed25519", "x": "AAAA"],
        ["kty": "OKP", "crv": "Ed25519", "x": .string(RFC8037.x), "kid": 7],
        ["kty": "OKP", "crv": "Ed25519", "x": .string(RFC8037.x), "alg": "ES256"],
    ])
    func malformedKeysAreRefused(json: JSONValue) {
        #expect(throws: JWSError.self) { try JSONWebKey(json: json) }
    }

    @Test func aKeySetSkipsKeysOfOtherTypesButNotBrokenEd25519Keys() throws {
        let set = try JSONWebKeySet(json: ["keys": [
            ["kty": "RSA", "n": "…", "e": "AQAB", "kid": "rsa"],
            ["kty": "OKP", "crv": "Ed25519", "x": .string(RFC8037.x), "kid": "ed"],
        ]])
        #expect(set.keys.map(\.id) == ["ed"])
        #expect(set.key(id: "ed")?.publicKey == RFC8037.key.publicKey)
        #expect(set.key(id: "rsa") == nil)

        let error = try #require(throws: JWSError.self) {
            try JSONWebKeySet(json: ["keys": [["kty": "OKP", "crv": "Ed25519", "x": "short"]]])
        }
        #expect(error.message.hasPrefix("keys[0]: "))
        #expect(throws: JWSError.self) { try JSONWebKeySet(json: ["key": []]) }
    }
}

@Suite struct JWSTests {
    @Test func reproducesTheRFC8037AppendixA4SignatureExactly() {
        let jws = JWS.sign(header: ["alg": "EdDSA"], payload: Array(RFC8037.payload.utf8), with: RFC8037.key)
        #expect(jws == RFC8037.jws)
    }

    @Test func verifiesTheRFC8037AppendixA4Signature() throws {
        let jws = try JWS(compact: RFC8037.jws)
        #expect(jws.header == ["alg": "EdDSA"])
        #expect(jws.keyID == nil)
        #expect(try jws.verifiedPayload(with: RFC8037.publicKeySet) == Array(RFC8037.payload.utf8))
        let error = try #require(throws: JWSError.self) { try JWS.verify(RFC8037.jws, with: RFC8037.publicKeySet) }
        #expect(error.code == .malformed, "the example's payload is text, not JSON")
    }

    @Test func signsJSONUnderAHeaderNamingTheKey() throws {
        let key = Ed25519SigningKey.generate()
        let payload: JSONValue = ["license": "lic_1", "seats": 5, "valid_until": "2027-01-01T00:00:00Z"]
        let token = JWS.sign(payload, keyID: "key-1", with: key)
        let parts = token.split(separator: ".")
        #expect(parts.count == 3)
        #expect(Base64URL.decode(parts[0]).map { String(decoding: $0, as: UTF8.self) } == #"{"alg":"EdDSA","kid":"key-1","typ":"JWT"}"#)
        #expect(Base64URL.decode(parts[1]) == payload.serialized())

        let keys = JSONWebKeySet(keys: [JSONWebKey(id: "key-0", publicKey: Ed25519SigningKey.generate().publicKey),
                                        JSONWebKey(id: "key-1", publicKey: key.publicKey)])
        #expect(try JWS.verify(token, with: keys) == payload)
        #expect(try JWS.verify(token + "\n", with: keys) == payload, "a trailing newline, as in a file, is fine")
    }

    @Test func anUnknownKidIsNamed() throws {
        let token = JWS.sign(["a": 1], keyID: "gone", with: Ed25519SigningKey.generate())
        let error = try #require(throws: JWSError.self) { try JWS.verify(token, with: RFC8037.publicKeySet) }
        #expect(error.code == .unknownKey)
        #expect(error.message.contains("gone"))
    }

    @Test func aSignatureByAnotherKeyUnderAKnownKidFails() throws {
        let known = Ed25519SigningKey.generate()
        let keys = JSONWebKeySet(keys: [JSONWebKey(id: "k", publicKey: known.publicKey)])
        let forged = JWS.sign(["a": 1], keyID: "k", with: Ed25519SigningKey.generate())
        #expect(throws: JWSError(.badSignature, "the JWS signature does not verify: the token was altered or signed with another key")) {
            try JWS.verify(forged, with: keys)
        }
    }

    @Test func anAlteredPayloadFails() throws {
        let key = Ed25519SigningKey.generate()
        let keys = JSONWebKeySet(keys: [JSONWebKey(id: "k", publicKey: key.publicKey)])
        let parts = JWS.sign(["seats": 5], keyID: "k", with: key).split(separator: ".")
        let altered = [String(parts[0]), Base64URL.encode(JSONValue.object(["seats": 500]).serialized()), String(parts[2])]
            .joined(separator: ".")
        let error = try #require(throws: JWSError.self) { try JWS.verify(altered, with: keys) }
        #expect(error.code == .badSignature)
    }

    @Test func anotherAlgorithmIsRefusedBeforeAnyKeyIsTried() throws {
        let key = Ed25519SigningKey.generate()
        let keys = JSONWebKeySet(keys: [JSONWebKey(id: "k", publicKey: key.publicKey)])
        for algorithm in ["none", "HS256", "ES256", "eddsa"] {
            let token = JWS.sign(header: ["alg": .string(algorithm), "kid": "k"], payload: Array("{}".utf8), with: key)
            let error = try #require(throws: JWSError.self) { try JWS.verify(token, with: keys) }
            #expect(error.code == .unsupportedAlgorithm, "\(algorithm)")
            #expect(error.message.contains(algorithm))
        }
        let critical = JWS.sign(header: ["alg": "EdDSA", "kid": "k", "crit": ["exp"]], payload: Array("{}".utf8), with: key)
        #expect(throws: JWSError.self) { try JWS.verify(critical, with: keys) }
    }

    @Test(arguments: [
        "", "abc", "a.b", "a.b.c.d", "eyJhbGciOiJFZERTQSJ9..", "eyJhbGciOiJFZERTQSJ9.e30.AAAA",
        "bm90IGpzb24.e30." + String(repeating: "A", count: 86), "W10.e30." + String(repeating: "A", count: 86),
        "e30.e30." + String(repeating: "A", count: 86), "eyJhbGciOiJFZERTQSJ9=.e30." + String(repeating: "A", count: 86),
    ])
    func malformedTokensAreRefusedAsSuch(token: String) throws {
        let error = try #require(throws: JWSError.self) { try JWS.verify(token, with: RFC8037.publicKeySet) }
        #expect(error.code == .malformed, "\(token): \(error)")
    }

    @Test func aMalleatedSignatureEncodingIsRefused() throws {
        // The last character of the signature carries 4 unused bits; setting one must not verify.
        var characters = Array(RFC8037.jws)
        characters[characters.count - 1] = "h"  // "g" (…100000) -> "h" (…100001): same bytes, one stray bit
        #expect(throws: JWSError.self) { try JWS(compact: String(characters)) }
    }
}
