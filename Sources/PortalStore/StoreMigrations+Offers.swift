import GRDB

extension StoreMigrations {
    /// Requests for non-binding service offers, their quotes, decisions and fulfilment.
    static func offerSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE offers (
                id TEXT PRIMARY KEY NOT NULL,
                -- 1, 2, 3, … in the order they were requested: pages and the order queue follow it.
                position INTEGER NOT NULL UNIQUE,
                requester_id TEXT NOT NULL REFERENCES companies (id),
                requester_view TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                requested_at INTEGER NOT NULL,
                -- reseller, distributor (seller_id the company) or vendor (seller_id NULL).
                seller_role TEXT NOT NULL,
                seller_id TEXT REFERENCES companies (id),
                extension_years INTEGER NOT NULL,
                message TEXT,
                status TEXT NOT NULL,
                -- The quote: an exact amount, price_units of its last decimal place (never REAL).
                price_units INTEGER,
                price_decimals INTEGER,
                currency TEXT,
                valid_until INTEGER,
                quote_note TEXT,
                quoted_at INTEGER,
                quoted_by TEXT,
                decided_at INTEGER,
                decided_by TEXT,
                decline_reason TEXT,
                fulfilled_at INTEGER,
                fulfilled_by TEXT,
                order_reference TEXT
            );
            CREATE INDEX offers_requester ON offers (requester_id, requester_view, position);
            CREATE INDEX offers_seller ON offers (seller_id, seller_role, position) WHERE seller_id IS NOT NULL;
            -- The expiry pass reads quotes by their end; the order queue by status.
            CREATE INDEX offers_quoted ON offers (valid_until) WHERE status = 'quoted';
            CREATE INDEX offers_status ON offers (status, position);
            CREATE TABLE offer_licenses (
                offer_id TEXT NOT NULL REFERENCES offers (id),
                -- The order the licenses were named in.
                position INTEGER NOT NULL,
                license_id TEXT NOT NULL REFERENCES licenses (id),
                license_key TEXT NOT NULL,
                product_id TEXT NOT NULL,
                PRIMARY KEY (offer_id, position)
            );
            """)
    }
}
