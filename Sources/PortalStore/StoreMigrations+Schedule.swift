import GRDB

extension StoreMigrations {
    /// What the scheduler has applied already, so each time-driven change is recorded once.
    static func scheduleSchema(_ db: Database) throws {}
}
