import Foundation
import PortalCore
import Testing

@Suite struct LicenseKeyTests {
    /// Every byte in the first place of a typed key: the alphabet in either case and I, L, O as
    /// their look-alikes are read as such; anything else makes the key unreadable.
    @Test func everyByteReadsAsTheAlphabetSays() {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        let rest = Array(repeating: 0, count: 23)
        for byte in UInt8.min...UInt8.max where byte != UInt8(ascii: "-") && byte != UInt8(ascii: " ") {
            let upper = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
            let expected: Int? = switch upper {
            case UInt8(ascii: "I"), UInt8(ascii: "L"): 1
            case UInt8(ascii: "O"): 0
            default: alphabet.firstIndex(of: upper)
            }
            let reference = expected.map { LicenseKey(data: [$0] + rest).text }
            var typed = Array((reference ?? LicenseKey(data: [0] + rest).text).utf8)
            typed[0] = byte
            #expect(LicenseKey(String(decoding: typed, as: UTF8.self))?.text == reference, "byte \(byte)")
        }
    }

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// `count` keys from a fixed seed.
    static func sampleKeys(_ count: Int, seed: UInt64 = 42) -> [LicenseKey] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in LicenseKey.random(using: &generator) }
    }

    /// The key's 25 characters without dashes.
    static func compact(_ key: LicenseKey) -> [Character] {
        key.text.filter { $0 != "-" }.map { $0 }
    }

    /// The key whose data characters are `data` (given as characters of the alphabet).
    static func key(data: String) -> LicenseKey {
        LicenseKey(data: data.map { alphabet.firstIndex(of: $0)! })
    }

    // MARK: Format

    @Test func generatedKeysHaveTheDocumentedFormatAndParseBack() throws {
        let format = try Regex("^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$")
        for key in Self.sampleKeys(500) {
            #expect(key.text.wholeMatch(of: format) != nil, "\(key)")
            #expect(key.description == key.text)
            #expect(LicenseKey(key.text) == key)
        }
    }

    @Test func theCheckDigitIsTheLastCharacter() {
        let key = Self.key(data: "7KQ2M9XD4TQ4RZP6WNH1C5B8")
        #expect(key.text.hasPrefix("7KQ2M-9XD4T-Q4RZP-6WNH1-C5B8"))
        #expect(key.text.count == 29)
    }

    @Test func randomKeysDiffer() {
        let keys = Self.sampleKeys(1_000)
        #expect(Set(keys).count == keys.count)
        var system = SystemRandomNumberGenerator()
        #expect(LicenseKey.random(using: &system) != LicenseKey.random(using: &system))
    }

    // MARK: Lenient input

    @Test func lowerCaseMissingDashesAndSpacesAreAccepted() throws {
        for key in Self.sampleKeys(50) {
            let compact = String(Self.compact(key))
            #expect(LicenseKey(key.text.lowercased()) == key)
            #expect(LicenseKey(compact) == key)
            #expect(LicenseKey(compact.lowercased()) == key)
            #expect(LicenseKey(key.text.replacingOccurrences(of: "-", with: " ")) == key)
            #expect(LicenseKey(" " + key.text + " ") == key)
        }
    }

    @Test func lettersThatLookLikeDigitsAreReadAsTheDigits() throws {
        let key = Self.key(data: "10A01B10C01D10E01F10G01H")
        let text = key.text
        for typed in [
            text.replacingOccurrences(of: "1", with: "I"),
            text.replacingOccurrences(of: "1", with: "L"),
            text.replacingOccurrences(of: "1", with: "i"),
            text.replacingOccurrences(of: "1", with: "l"),
            text.replacingOccurrences(of: "0", with: "O"),
            text.replacingOccurrences(of: "0", with: "o"),
            text.replacingOccurrences(of: "1", with: "l").replacingOccurrences(of: "0", with: "O").lowercased(),
        ] {
            let parsed = try #require(LicenseKey(typed), "\(typed)")
            #expect(parsed == key)
            #expect(parsed.text == text, "normalised to the canonical form")
        }
    }

    // MARK: Rejected input

    @Test func everySingleCharacterSubstitutionIsRejected() {
        var accepted: [String] = []
        for key in Self.sampleKeys(10) {
            let characters = Self.compact(key)
            for position in characters.indices {
                for replacement in Self.alphabet where replacement != characters[position] {
                    var typo = characters
                    typo[position] = replacement
                    if LicenseKey(String(typo)) != nil { accepted.append(String(typo)) }
                }
            }
        }
        #expect(accepted == [])
    }

    /// Every pair of different characters, swapped at neighbouring data positions of both parities,
    /// within a group and across a dash; returns the typos accepted.
    static func acceptedTranspositions() -> [String] {
        var generator = SeededGenerator(seed: 7)
        var accepted: [String] = []
        for first in alphabet {
            for second in alphabet where second != first {
                for position in [0, 4, 9, 21, 22] {
                    var data = (0..<24).map { _ in alphabet[Int.random(in: 0..<32, using: &generator)] }
                    data[position] = first
                    data[position + 1] = second
                    var typo = compact(key(data: String(data)))
                    typo.swapAt(position, position + 1)
                    if LicenseKey(String(typo)) != nil { accepted.append(String(typo)) }
                }
            }
        }
        return accepted
    }

    @Test
    func everyNeighbourSwapIsRejected() {
        #expect(Self.acceptedTranspositions() == [])
    }

    /// 0 and Z (values 0 and 31) are the pair a Luhn mod 32 check lets through when swapped.
    @Test
    func aKeyWithZeroAndZSwappedIsRejected() throws {
        var data = Array(repeating: 7, count: 24)
        data[10] = 0
        data[11] = 31
        let key = LicenseKey(data: data)
        var typo = Self.compact(key)
        typo.swapAt(10, 11)
        #expect(LicenseKey(String(typo)) == nil, "typo of \(key)")
    }

    @Test func swappingTheCheckDigitWithItsNeighbourIsRejected() {
        for key in Self.sampleKeys(300) {
            var typo = Self.compact(key)
            guard typo[23] != typo[24] else { continue }
            typo.swapAt(23, 24)
            #expect(LicenseKey(String(typo)) == nil, "\(key)")
        }
    }

    @Test(arguments: [
        "", "-----", "7KQ2M-9XD4T-Q4RZP-6WNH1", "7KQ2M-9XD4T-Q4RZP-6WNH1-C5B8", "7KQ2M-9XD4T-Q4RZP-6WNH1-C5B8EE",
    ])
    func wrongLengthsAreRejected(text: String) {
        #expect(LicenseKey(text) == nil)
    }

    @Test func aCharacterOutsideTheAlphabetIsRejectedWherever() throws {
        let key = Self.sampleKeys(1)[0]
        let characters = Self.compact(key)
        for bad: Character in ["U", "u", "*", "_", "é", "Ä", "\t", "/", "+", "."] {
            for position in [0, 12, 24] {
                var typo = characters
                typo[position] = bad
                #expect(LicenseKey(String(typo)) == nil, "\(bad) at \(position)")
            }
            #expect(LicenseKey(key.text + String(bad)) == nil, "trailing \(bad)")
        }
    }

    // MARK: Codable

    @Test func codableRoundTripUsesTheCanonicalText() throws {
        let key = Self.sampleKeys(1)[0]
        let encoded = try JSONEncoder().encode([key])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\"\(key.text)\"]")
        #expect(try JSONDecoder().decode([LicenseKey].self, from: encoded) == [key])
        let typed = Data("[\"\(key.text.lowercased().replacingOccurrences(of: "-", with: ""))\"]".utf8)
        #expect(try JSONDecoder().decode([LicenseKey].self, from: typed) == [key])
    }

    @Test func decodingAnInvalidKeyFails() throws {
        var typo = Self.compact(Self.sampleKeys(1)[0])
        typo[3] = typo[3] == "A" ? "B" : "A"
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([LicenseKey].self, from: Data("[\"\(String(typo))\"]".utf8))
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LicenseKey].self, from: Data("[42]".utf8)) }
    }
}
