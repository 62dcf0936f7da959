import CSodium

/// An Ed25519 public key (RFC 8032): checks signatures made with its signing key.
public struct Ed25519PublicKey: Sendable, Hashable {
    /// The key's 32 bytes, as JWK `x` carries them.
    public let bytes: [UInt8]

    /// A key from its 32 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Int(crypto_sign_PUBLICKEYBYTES) else { return nil }
        self.bytes = bytes
    }

    /// Whether `signature` is this key's signature of `message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        Sodium.ensureInitialised()
        guard signature.count == Int(crypto_sign_BYTES) else { return false }
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), bytes) == 0
    }
}
