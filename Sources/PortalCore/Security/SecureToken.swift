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
        return Base64URL.encode(bytes)
    }

    /// The stored form of `token`: its SHA-256, hex-encoded.
    public static func hash(_ token: String) -> String {
        SHA256Digest.hex(of: Array(token.utf8))
    }
}
