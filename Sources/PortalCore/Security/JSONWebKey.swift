import CSodium
import PortalProtocol

/// An Ed25519 public key as a JSON Web Key (RFC 7517, RFC 8037): `{"kty":"OKP","crv":"Ed25519","x":…}`.
public struct JSONWebKey: Sendable, Hashable {
    /// `kid`: how a JWS header names this key.
    public var id: String?
    public var publicKey: Ed25519PublicKey

    public init(id: String?, publicKey: Ed25519PublicKey) {
        self.id = id
        self.publicKey = publicKey
    }

    /// Reads an Ed25519 public JWK; `kid` is optional, members other than `kty`, `crv`, `x`, `kid`
    /// and `alg` are ignored.
    public init(json: JSONValue) throws(JWSError) {
        guard let members = json.objectValue else { throw JWSError(.invalidKey, "a JWK must be an object, not \(json.typeName)") }
        guard members["kty"] == "OKP", members["crv"] == "Ed25519" else {
            throw JWSError(.invalidKey, "not an Ed25519 key (expected kty OKP and crv Ed25519)")
        }
        if let algorithm = members["alg"], algorithm != .string(JWS.algorithm) {
            throw JWSError(.invalidKey, "the key is for alg \(algorithm.stringValue ?? algorithm.typeName), not \(JWS.algorithm)")
        }
        guard let x = members["x"]?.stringValue, let bytes = Base64URL.decode(x), let publicKey = Ed25519PublicKey(bytes: bytes)
        else { throw JWSError(.invalidKey, "x must be the 32-byte public key in base64url") }
        let id = members["kid"]
        guard id == nil || id?.stringValue != nil else { throw JWSError(.invalidKey, "kid must be a string") }
        self.init(id: id?.stringValue, publicKey: publicKey)
    }

    /// `{"alg":"EdDSA","crv":"Ed25519","kid":…,"kty":"OKP","use":"sig","x":…}`: what a JWK Set
    /// publishes (never the private `d`).
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(publicKey.bytes)),
            "alg": .string(JWS.algorithm), "use": "sig",
        ]
        if let id { members["kid"] = .string(id) }
        return .object(members)
    }

    /// The key's RFC 7638 thumbprint: base64url of the SHA-256 of its required members
    /// (`{"crv":"Ed25519","kty":"OKP","x":…}`, sorted, no white space). It depends on the key
    /// alone, so it makes a good `kid`.
    public var thumbprint: String {
        Sodium.ensureInitialised()
        let canonical = JSONValue.object([
            "crv": "Ed25519", "kty": "OKP", "x": .string(Base64URL.encode(publicKey.bytes)),
        ]).serialized()
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        crypto_hash_sha256(&digest, canonical, UInt64(canonical.count))
        return Base64URL.encode(digest)
    }
}
