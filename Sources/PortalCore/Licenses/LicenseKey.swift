/// A license key: 25 characters of Crockford base32 in five groups of five, the last character a
/// check digit (`7KQ2M-9XD4T-Q4RZP-6WNH1-C5B8E`).
///
/// Crockford's alphabet leaves out I, L, O and U, so a key read aloud or typed from paper is
/// hard to get wrong; on input, lower case is accepted and I/L read as 1, O as 0. The check digit
/// (Damm's scheme over the field with 32 elements) catches every single mistyped character and
/// every swap of neighbours, so a typo is reported as such instead of as an unknown license.
/// The key encodes nothing secret.
public struct LicenseKey: Sendable, Hashable, CustomStringConvertible, Codable {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    static let groupLength = 5
    static let groupCount = 5
    static let dataLength = groupLength * groupCount - 1

    /// The canonical form, upper case with dashes.
    public let text: String

    public var description: String { text }

    /// Parses a typed key: case-insensitive, dashes and spaces optional, I/L as 1 and O as 0.
    /// Returns nil when the text is not a well-formed key or its check digit is wrong.
    public init?(_ typed: String) {
        var values: [Int] = []
        values.reserveCapacity(Self.dataLength + 1)
        for byte in typed.utf8 {
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: " ") { continue }
            guard let value = Self.value(of: byte) else { return nil }
            values.append(value)
        }
        guard values.count == Self.dataLength + 1,
              Self.checkValue(for: values.dropLast()) == values.last
        else { return nil }
        text = Self.format(values)
    }

    /// A key as the store keeps it, written in canonical form by this type: not parsed or
    /// checked again, because listings read keys by the thousand.
    public init(canonical text: String) {
        self.text = text
    }

    /// Builds the key whose data characters are `data` (24 values below 32), adding the check digit.
    public init(data: [Int]) {
        precondition(data.count == Self.dataLength && data.allSatisfy { (0..<32).contains($0) })
        text = Self.format(data + [Self.checkValue(for: data[...])])
    }

    /// A key from 120 random bits of the caller's generator, five bits a character (taken
    /// straight from `next()`: the generic `Int.random(in:using:)` cost a fifth of an import).
    public static func random(using generator: inout some RandomNumberGenerator) -> LicenseKey {
        var data: [Int] = []
        data.reserveCapacity(dataLength)
        var bits: UInt64 = 0
        for index in 0..<dataLength {
            if index % 12 == 0 { bits = generator.next() }
            data.append(Int(bits & 31))
            bits >>= 5
        }
        return LicenseKey(data: data)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = LicenseKey(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a license key"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    static func value(of byte: UInt8) -> Int? {
        let value = values[Int(byte)]
        return value < 0 ? nil : Int(value)
    }

    /// Each byte's value, -1 for none: the alphabet in either case, and I and L as 1, O as 0.
    /// A table, because every `license.get` by key parses one, and searching the alphabet for
    /// each character cost more than the rest of the parse.
    private static let values: [Int8] = {
        var values = [Int8](repeating: -1, count: 256)
        let lowerCase = UInt8(ascii: "a") - UInt8(ascii: "A")
        for (value, byte) in alphabet.enumerated() {
            values[Int(byte)] = Int8(value)
            if byte >= UInt8(ascii: "A") { values[Int(byte + lowerCase)] = Int8(value) }
        }
        for (byte, value) in [("I", 1), ("L", 1), ("O", 0)] as [(Unicode.Scalar, Int8)] {
            values[Int(UInt8(ascii: byte))] = value
            values[Int(UInt8(ascii: byte) + lowerCase)] = value
        }
        return values
    }()

    /// Damm's check over GF(32): r ← α·r ⊕ v for each value, with α = x modulo x⁵ + x² + 1;
    /// the check value brings r to 0. Unlike Luhn mod 32, which lets a swap of 0 and Z through,
    /// this quasigroup is totally anti-symmetric, so every swap of neighbours changes the result.
    static func checkValue(for data: ArraySlice<Int>) -> Int {
        timesAlpha(data.reduce(0) { timesAlpha($0) ^ $1 })
    }

    private static func timesAlpha(_ value: Int) -> Int {
        let shifted = value << 1
        return shifted & 0x20 != 0 ? (shifted ^ 0x25) : shifted
    }

    static func format(_ values: [Int]) -> String {
        // Written straight into the string's storage: imports derive a key per license row.
        String(unsafeUninitializedCapacity: values.count + (values.count - 1) / groupLength) { characters in
            var count = 0
            for (index, value) in values.enumerated() {
                if index > 0 && index % groupLength == 0 {
                    characters[count] = UInt8(ascii: "-")
                    count += 1
                }
                characters[count] = alphabet[value]
                count += 1
            }
            return count
        }
    }
}
