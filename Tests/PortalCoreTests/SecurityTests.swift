import Foundation
@testable import PortalCore
import Testing

@Suite struct PasswordHasherTests {
    let hasher = PasswordHasher.minimalCost

    @Test func theRightPasswordVerifies() {
        let stored = hasher.hash("correct horse battery staple")
        #expect(stored.hasPrefix("$argon2id$"))
        #expect(hasher.verify("correct horse battery staple", against: stored))
    }

    @Test func aWrongPasswordDoesNotVerify() {
        let stored = hasher.hash("correct horse battery staple")
        #expect(!hasher.verify("correct horse battery stapl", against: stored))
        #expect(!hasher.verify("Correct horse battery staple", against: stored))
        #expect(!hasher.verify("", against: stored))
    }

    @Test func unicodePasswordsVerify() {
        let stored = hasher.hash("Grüße, 密码 🔑")
        #expect(hasher.verify("Grüße, 密码 🔑", against: stored))
        #expect(!hasher.verify("Grusse, 密码 🔑", against: stored))
    }

    @Test(arguments: ["", "garbage", "$argon2id$", "$argon2id$v=19$m=8,t=1,p=1$AAAA$BBBB", String(repeating: "x", count: 500)])
    func aMalformedStoredStringNeverVerifies(stored: String) {
        #expect(!hasher.verify("", against: stored))
        #expect(!hasher.verify("garbage", against: stored))
    }

    @Test func theSamePasswordHashesDifferently() {
        let first = hasher.hash("correct horse battery staple")
        let second = hasher.hash("correct horse battery staple")
        #expect(first != second, "each hash has its own salt")
        #expect(hasher.verify("correct horse battery staple", against: second))
    }

    @Test func aHashVerifiesWhateverCostTheVerifierIsConfiguredWith() {
        let stored = hasher.hash("correct horse battery staple")
        #expect(PasswordHasher(operations: 3, memoryBytes: 1 << 20).verify("correct horse battery staple", against: stored))
    }
}

@Suite struct SecureTokenTests {
    @Test func tokensAre43Base64URLCharacters() throws {
        let format = try Regex("^[A-Za-z0-9_-]{43}$")
        for _ in 0..<200 {
            let token = SecureToken.generate()
            #expect(token.wholeMatch(of: format) != nil, "\(token)")
        }
    }

    @Test func tokensAreUnique() {
        let tokens = (0..<1_000).map { _ in SecureToken.generate() }
        #expect(Set(tokens).count == tokens.count)
    }

    @Test func theHashIsLowerCaseHexSHA256() throws {
        #expect(SecureToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecureToken.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let format = try Regex("^[0-9a-f]{64}$")
        let token = SecureToken.generate()
        #expect(SecureToken.hash(token).wholeMatch(of: format) != nil)
        #expect(SecureToken.hash(token) == SecureToken.hash(token))
        #expect(SecureToken.hash(token) != SecureToken.hash(SecureToken.generate()))
    }

    @Test func base64URLMatchesRFC4648WithoutPadding() {
        #expect(Base64URL.encode([]) == "")
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode([0xFF, 0xFF, 0xFF]) == "____")
    }
}

@Suite struct OpaqueIDTests {
    @Test(arguments: ["co", "us"])
    func idsArePrefixAndSixteenCrockfordCharacters(prefix: String) throws {
        let format = try Regex("^\(prefix)_[0-9a-hjkmnp-tv-z]{16}$")
        for _ in 0..<200 {
            let id = OpaqueID.make(prefix: prefix)
            #expect(id.wholeMatch(of: format) != nil, "\(id)")
        }
    }

    @Test func idsAreUnique() {
        let ids = (0..<1_000).map { _ in OpaqueID.make(prefix: "co") }
        #expect(Set(ids).count == ids.count)
    }

    @Test func everyCharacterOfTheAlphabetTurnsUp() {
        let characters = Set((0..<500).flatMap { _ in OpaqueID.make(prefix: "x").dropFirst(2) })
        #expect(characters == Set("0123456789abcdefghjkmnpqrstvwxyz"))
    }
}
