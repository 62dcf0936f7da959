import GRDB

extension StoreMigrations {
    /// What the scheduler has applied already, so each time-driven change is recorded once.
    ///
    /// `schedule_progress` holds one moment: every change that time made up to it (runtime ends,
    /// services entering their last 28 days, service ends) has been announced. A pass announces
    /// the changes after it and moves it forward in the same transaction, so a second pass, or a
    /// second node, finds nothing left to announce. `license_announcements` holds, for licenses
    /// a command changed since that moment (a renewal), when the command announced their state:
    /// the scheduler starts from there. The indexes on the ends find the licenses whose ends
    /// fall in a pass's window without reading the others.
    static func scheduleSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE schedule_progress (
                id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                applied_through INTEGER NOT NULL
            );
            CREATE TABLE license_announcements (
                license_id TEXT PRIMARY KEY NOT NULL REFERENCES licenses (id),
                announced_at INTEGER NOT NULL
            );
            CREATE INDEX licenses_runtime_end ON licenses (runtime_end) WHERE destroyed_at IS NULL;
            CREATE INDEX licenses_service_end ON licenses (service_end) WHERE destroyed_at IS NULL;
            """)
    }
}
