import CSodium

/// SHA-256 of arbitrary bytes (libsodium), for fingerprints such as an idempotent request's.
public enum SHA256Digest {
    /// The digest of `bytes`, as 64 lower-case hex digits.
    public static func hex(of bytes: [UInt8]) -> String {
        Sodium.ensureInitialised()
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        crypto_hash_sha256(&digest, bytes, UInt64(bytes.count))
        // Written straight into the string: every authenticated request hashes its token, and
        // two-digit arrays per byte cost three times the hashing itself.
        return String(unsafeUninitializedCapacity: digest.count * 2) { text in
            for (index, byte) in digest.enumerated() {
                text[2 * index] = hexDigit(byte >> 4)
                text[2 * index + 1] = hexDigit(byte & 0x0F)
            }
            return digest.count * 2
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
