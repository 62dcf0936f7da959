import CSodium

/// An Ed25519 private key (RFC 8032), held as its 32-byte seed, as JWK `d` carries it.
///
/// Its descriptions show only the public key, so that logging or interpolating a key by mistake
/// never writes the secret anywhere.
public struct Ed25519SigningKey: Sendable {
    /// The secret: whoever has these 32 bytes can sign. Store it only where `portald` keeps keys.
    public let seed: [UInt8]
    public let publicKey: Ed25519PublicKey
    /// libsodium's form of the key: the seed followed by the public key.
    private let secretKey: [UInt8]

    /// The key of a 32-byte seed; nil for any other length.
    public init?(seed: [UInt8]) {
        guard seed.count == Int(crypto_sign_SEEDBYTES) else { return nil }
        Sodium.ensureInitialised()
        var publicBytes = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
        var secretKey = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
        let result = crypto_sign_seed_keypair(&publicBytes, &secretKey, seed)
        precondition(result == 0, "crypto_sign_seed_keypair failed")
        self.seed = seed
        self.secretKey = secretKey
        self.publicKey = Ed25519PublicKey(bytes: publicBytes)!
    }

    /// A new key from the system's secure random generator.
    public static func generate() -> Ed25519SigningKey {
        Sodium.ensureInitialised()
        var seed = [UInt8](repeating: 0, count: Int(crypto_sign_SEEDBYTES))
        randombytes_buf(&seed, seed.count)
        return Ed25519SigningKey(seed: seed)!
    }

    /// The 64-byte signature of `message`; Ed25519 is deterministic, so the same message always
    /// gets the same signature.
    public func signature(for message: [UInt8]) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: Int(crypto_sign_BYTES))
        let result = crypto_sign_detached(&signature, nil, message, UInt64(message.count), secretKey)
        precondition(result == 0, "crypto_sign_detached failed")
        return signature
    }
}

extension Ed25519SigningKey: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "Ed25519SigningKey(public: \(Base64URL.encode(publicKey.bytes)))" }
    public var debugDescription: String { description }
}
