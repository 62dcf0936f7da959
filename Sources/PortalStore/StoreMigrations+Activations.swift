import GRDB

extension StoreMigrations {
    /// Activations of licenses and reactivation requests.
    static func activationSchema(_ db: Database) throws {}
}
