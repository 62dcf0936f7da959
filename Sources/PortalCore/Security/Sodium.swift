import CSodium

/// libsodium, initialised once before first use (its functions are thread-safe after that).
enum Sodium {
    private static let initialised: Bool = sodium_init() >= 0

    static func ensureInitialised() {
        precondition(initialised, "libsodium could not be initialised")
    }
}
