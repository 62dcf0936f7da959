import PortalProtocol

/// The public keys that verify the portal's signatures: a JWK Set, `{"keys":[…]}` (RFC 7517 §5).
public struct JSONWebKeySet: Sendable, Hashable {
    public var keys: [JSONWebKey]

    public init(keys: [JSONWebKey]) {
        self.keys = keys
    }

    /// Reads a JWK Set. Keys of other types (`kty`, `crv`) are skipped, as RFC 7517 asks; an
    /// Ed25519 key that is malformed is an error rather than silently left out.
    public init(json: JSONValue) throws(JWSError) {
        guard let entries = json["keys"]?.arrayValue else {
            throw JWSError(.invalidKey, "a JWK Set is an object with a keys array")
        }
        var keys: [JSONWebKey] = []
        for (index, entry) in entries.enumerated() {
            guard entry["kty"] == "OKP", entry["crv"] == "Ed25519" else { continue }
            do throws(JWSError) {
                keys.append(try JSONWebKey(json: entry))
            } catch {
                throw JWSError(.invalidKey, "keys[\(index)]: \(error.message)")
            }
        }
        self.init(keys: keys)
    }

    public var json: JSONValue { .object(["keys": .array(keys.map(\.json))]) }

    /// The key named `id`, if the set has it.
    public func key(id: String) -> JSONWebKey? {
        keys.first { $0.id == id }
    }
}
