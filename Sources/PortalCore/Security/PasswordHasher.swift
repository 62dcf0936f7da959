import CSodium

/// Hashes and verifies passwords with Argon2id (libsodium's `crypto_pwhash_str`).
///
/// The stored string carries algorithm, parameters and salt, so the cost can be raised later and
/// old hashes still verify. The default cost follows the OWASP recommendation for Argon2id
/// (19 MiB, 2 passes): about 30 ms per login on one core, bounded memory per worker.
public struct PasswordHasher: Sendable {
    public var operations: UInt64
    public var memoryBytes: Int

    public init(operations: UInt64 = 2, memoryBytes: Int = 19 << 20) {
        self.operations = operations
        self.memoryBytes = memoryBytes
    }

    /// The cheapest cost libsodium allows; for tests and demo data only.
    public static let minimalCost = PasswordHasher(
        operations: UInt64(crypto_pwhash_OPSLIMIT_MIN), memoryBytes: Int(crypto_pwhash_MEMLIMIT_MIN))

    public func hash(_ password: String) -> String {
        Sodium.ensureInitialised()
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
        let input = Array(password.utf8CString.dropLast())
        let result = crypto_pwhash_str(&output, input, UInt64(input.count), operations, memoryBytes)
        precondition(result == 0, "Argon2id ran out of memory")
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` matches `stored`; false for a malformed stored string.
    public func verify(_ password: String, against stored: String) -> Bool {
        Sodium.ensureInitialised()
        var storedBytes = Array(stored.utf8CString)
        guard storedBytes.count <= Int(crypto_pwhash_STRBYTES) else { return false }
        storedBytes += [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES) - storedBytes.count)
        let input = Array(password.utf8CString.dropLast())
        return crypto_pwhash_str_verify(storedBytes, input, UInt64(input.count)) == 0
    }
}
