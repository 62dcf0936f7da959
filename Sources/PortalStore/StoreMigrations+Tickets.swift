import GRDB

extension StoreMigrations {
    /// Support tickets and their comment threads.
    static func ticketSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE tickets (
                id TEXT PRIMARY KEY NOT NULL,
                company_id TEXT NOT NULL REFERENCES companies (id),
                -- The system integrator that opened the ticket for company_id; it sees it too.
                integrator_id TEXT REFERENCES companies (id),
                opened_by TEXT NOT NULL REFERENCES users (id),
                view TEXT NOT NULL,
                subject TEXT NOT NULL,
                description TEXT NOT NULL,
                category TEXT NOT NULL,
                priority TEXT NOT NULL,
                -- low 0 … urgent 3: what sorting by priority orders by.
                priority_rank INTEGER NOT NULL,
                status TEXT NOT NULL,
                license_id TEXT REFERENCES licenses (id),
                license_key TEXT,
                -- The covering service when the ticket was opened; all NULL when not entitled.
                service_license_id TEXT,
                service_license_key TEXT,
                service_level TEXT,
                service_end INTEGER,
                response_hours INTEGER,
                -- After every date when there is no response target, so that it sorts last.
                respond_by INTEGER NOT NULL,
                assignee_id TEXT REFERENCES users (id),
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX tickets_company ON tickets (company_id, created_at);
            CREATE INDEX tickets_integrator ON tickets (integrator_id, created_at) WHERE integrator_id IS NOT NULL;
            CREATE INDEX tickets_queue ON tickets (status, created_at);
            CREATE TABLE ticket_comments (
                id TEXT PRIMARY KEY NOT NULL,
                ticket_id TEXT NOT NULL REFERENCES tickets (id),
                -- 1, 2, 3, … within the ticket: the thread's order, also of comments of one second.
                position INTEGER NOT NULL,
                author_id TEXT NOT NULL REFERENCES users (id),
                side TEXT NOT NULL,
                internal INTEGER NOT NULL,
                body TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                UNIQUE (ticket_id, position)
            );
            """)
    }
}
