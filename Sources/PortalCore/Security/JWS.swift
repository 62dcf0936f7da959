import PortalProtocol

/// A JSON Web Signature in compact serialization (RFC 7515) with EdDSA over Ed25519 (RFC 8037):
/// `base64url(header).base64url(payload).base64url(signature)`, which any JWS or JWT library
/// verifies with the public key.
public struct JWS: Sendable {
    /// The one `alg` signed and accepted.
    public static let algorithm = "EdDSA"

    /// The protected header, e.g. `{"alg":"EdDSA","kid":…,"typ":"JWT"}`.
    public let header: [String: JSONValue]
    /// The payload as signed, not yet verified.
    public let payload: [UInt8]
    public let signature: [UInt8]
    /// What the signature covers: the first two parts of the compact form, as ASCII.
    private let signingInput: [UInt8]

    /// The `kid` the header names, if any.
    public var keyID: String? { header["kid"]?.stringValue }

    /// Splits and decodes a compact JWS, without checking the signature yet.
    public init(compact: some StringProtocol) throws(JWSError) {
        let text = compact.trimmingWhitespace()
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw JWSError(.malformed, "not a compact JWS: expected three base64url parts separated by dots, found \(parts.count)")
        }
        guard let headerBytes = Base64URL.decode(parts[0]), let payload = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2])
        else { throw JWSError(.malformed, "not a compact JWS: a part is not base64url without padding") }
        let header: JSONValue
        do throws(JSONParser.Failure) {
            header = try JSONParser.parse(headerBytes, maxDepth: 8)
        } catch {
            throw JWSError(.malformed, "the JWS header is not JSON: \(error.message)")
        }
        guard let members = header.objectValue else { throw JWSError(.malformed, "the JWS header is not a JSON object") }
        guard let algorithm = members["alg"]?.stringValue else { throw JWSError(.malformed, "the JWS header has no alg") }
        guard algorithm == Self.algorithm else {
            throw JWSError(.unsupportedAlgorithm, "the JWS is signed with alg \(algorithm); only \(Self.algorithm) (Ed25519) is accepted")
        }
        if members["crit"] != nil {
            throw JWSError(.unsupportedAlgorithm, "the JWS header has crit extensions, which this verifier does not understand")
        }
        if let kid = members["kid"], kid.stringValue == nil { throw JWSError(.malformed, "the JWS header's kid is not a string") }
        guard signature.count == 64 else {
            throw JWSError(.malformed, "the JWS signature has \(signature.count) bytes; Ed25519 signatures have 64")
        }
        self.header = members
        self.payload = payload
        self.signature = signature
        self.signingInput = Array(text.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
    }

    /// `payload` as JSON, signed with `key` under the header `{"alg":"EdDSA","kid":keyID,"typ":"JWT"}`.
    public static func sign(_ payload: JSONValue, keyID: String, with key: Ed25519SigningKey) -> String {
        sign(header: ["alg": .string(algorithm), "kid": .string(keyID), "typ": "JWT"], payload: payload.serialized(), with: key)
    }

    /// Any payload bytes under any header: the building block, and how RFC 8037's examples are
    /// reproduced exactly. The header is written as compact JSON with its members sorted.
    public static func sign(header: [String: JSONValue], payload: [UInt8], with key: Ed25519SigningKey) -> String {
        let signingInput = Base64URL.encode(JSONValue.object(header).serialized()) + "." + Base64URL.encode(payload)
        return signingInput + "." + Base64URL.encode(key.signature(for: Array(signingInput.utf8)))
    }

    /// The payload, once the signature is verified by the key the header names, or by any key of
    /// the set when the header names none.
    public func verifiedPayload(with keys: JSONWebKeySet) throws(JWSError) -> [UInt8] {
        let candidates: [JSONWebKey]
        if let keyID {
            guard let key = keys.key(id: keyID) else {
                throw JWSError(.unknownKey, "the JWS was signed with key \(keyID), which is not in the key set")
            }
            candidates = [key]
        } else {
            candidates = keys.keys
        }
        guard candidates.contains(where: { $0.publicKey.isValidSignature(signature, for: signingInput) }) else {
            throw JWSError(.badSignature, "the JWS signature does not verify: the token was altered or signed with another key")
        }
        return payload
    }

    /// The JSON payload of a compact JWS whose signature verifies with one of `keys`.
    public static func verify(_ compact: some StringProtocol, with keys: JSONWebKeySet) throws(JWSError) -> JSONValue {
        let payload = try JWS(compact: compact).verifiedPayload(with: keys)
        do throws(JSONParser.Failure) {
            return try JSONParser.parse(payload, maxDepth: 64)
        } catch {
            throw JWSError(.malformed, "the JWS payload is not JSON: \(error.message)")
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line breaks (a token read from a file ends
    /// with a newline).
    fileprivate func trimmingWhitespace() -> Substring {
        let whitespace: Set<Character> = [" ", "\t", "\n", "\r", "\r\n"]
        let text = Substring(self)
        guard let first = text.firstIndex(where: { !whitespace.contains($0) }),
              let last = text.lastIndex(where: { !whitespace.contains($0) })
        else { return "" }
        return text[first...last]
    }
}
