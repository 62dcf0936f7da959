import CSodium

/// SHA-256 of arbitrary bytes (libsodium), for fingerprints such as an idempotent request's.
public enum SHA256Digest {
    /// The digest of `bytes`, as 64 lower-case hex digits.
    public static func hex(of bytes: [UInt8]) -> String {
        Sodium.ensureInitialised()
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        crypto_hash_sha256(&digest, bytes, UInt64(bytes.count))
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}
