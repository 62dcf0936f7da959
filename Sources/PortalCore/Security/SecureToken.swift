import CSodium

/// Random secrets handed to clients (session tokens, confirmation tokens) and their stored form.
///
/// A token is 256 random bits, base64url without padding. Only its SHA-256 is stored, so a
/// leaked database or backup does not hand out live sessions.
public enum SecureToken {
    /// A new random token.
    public static func generate() -> String {
        Sodium.ensureInitialised()
        var bytes = [UInt8](repeating: 0, count: 32)
        randombytes_buf(&bytes, bytes.count)
        return base64URL(bytes)
    }

    /// The stored form of `token`: its SHA-256, hex-encoded.
    public static func hash(_ token: String) -> String {
        Sodium.ensureInitialised()
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        let input = Array(token.utf8)
        crypto_hash_sha256(&digest, input, UInt64(input.count))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<(chunk.count + 1) {
                output.append(alphabet[(value >> (18 - 6 * position)) & 0x3F])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
