import GRDB

extension StoreMigrations {
    /// What the scheduler needs to find the two grace periods that end with time: the ALM test
    /// phase of licenses never activated, and the grace of activations superseded by a
    /// reactivation. Both partial, so they hold only the rows still waiting for their end (an
    /// activated or destroyed license leaves the first).
    static func graceEndSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX licenses_test_phase ON licenses (order_date)
                WHERE model = 'alm' AND activation_state = 'none' AND destroyed_at IS NULL;
            CREATE INDEX activations_grace_end ON activations (grace_end) WHERE grace_end IS NOT NULL;
            """)
    }
}
