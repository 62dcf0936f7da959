import GRDB

extension StoreMigrations {
    /// Destruction records of destroyed licenses.
    static func destructionSchema(_ db: Database) throws {}
}
