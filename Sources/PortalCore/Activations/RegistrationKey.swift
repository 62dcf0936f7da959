/// The key the installed software computes from its server: 25 characters of Crockford base32
/// (digits and capital letters without I, L, O and U) in five groups of five joined by `-`, e.g.
/// `8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B`.
///
/// Unlike a license key, it is machine-made and has no check digit, so nothing is guessed: lower
/// case is accepted and normalised, anything else (I, L, O, U, missing dashes) is refused.
public struct RegistrationKey: Sendable, Hashable, CustomStringConvertible {
    /// Upper case, with dashes.
    public let text: String

    public var description: String { text }

    public init?(_ typed: String) {
        let upper = typed.uppercased()
        let groups = upper.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.count == LicenseKey.groupCount,
              groups.allSatisfy({ $0.utf8.count == LicenseKey.groupLength && $0.utf8.allSatisfy(LicenseKey.alphabet.contains) })
        else { return nil }
        text = upper
    }

    /// A key as the store keeps it, written in canonical form by this type: not parsed again
    /// (every `license.get` reads its activations' keys).
    public init(canonical text: String) {
        self.text = text
    }
}
