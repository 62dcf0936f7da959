/// Why a JWS or a key was refused, with a message for the person holding it.
public struct JWSError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not a compact JWS: parts, base64url, header or payload JSON.
        case malformed
        /// `alg` is not `EdDSA`, or the header has `crit` members this verifier cannot honour.
        case unsupportedAlgorithm = "unsupported_algorithm"
        /// The header's `kid` names no key of the key set.
        case unknownKey = "unknown_key"
        /// The signature does not verify: the token was altered or signed by another key.
        case badSignature = "bad_signature"
        /// A JWK or JWK Set that cannot be read.
        case invalidKey = "invalid_key"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
