import PortalProtocol

/// Signs what the portal hands out for offline verification: activation certificates and
/// download tokens, as JWS compact serializations (RFC 7515) with EdDSA (Ed25519, RFC 8037).
public protocol TokenSigner: Sendable {
    /// `payload` signed with the active key: `header.payload.signature`, the header naming the
    /// key (`kid`) so a verifier picks it from the JWK Set.
    func sign(_ payload: JSONValue) throws -> String

    /// The public keys that verify what was signed, current and retired: `{"keys":[…]}`.
    func publicKeySet() throws -> JSONValue
}

/// The signer of a portal without signing keys: every use is a clear error for the operator.
public struct MissingTokenSigner: TokenSigner {
    public init() {}

    static let error = PortalError(
        .internal, "this portal has no signing key yet; the operator creates one with portald keys generate")

    public func sign(_ payload: JSONValue) throws -> String { throw Self.error }
    public func publicKeySet() throws -> JSONValue { throw Self.error }
}
