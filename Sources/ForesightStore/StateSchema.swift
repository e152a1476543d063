import GRDB

/// The tables of a state file, created and upgraded step by step (GRDB's migrator records the steps applied in
/// `grdb_migrations`; `PRAGMA user_version` says the schema version for `sqlite3` users). docs/STATE.md
/// describes every table and blob.
enum StateSchema {
    /// The schema version this build writes (the number of steps below).
    static let version = 3

    /// Step identifiers, oldest first.
    static let steps = ["v1-checkpoint", "v2-erasure", "v3-campaigns"]

    static func migrator(upTo last: String? = nil) -> DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-checkpoint") { db in
            try db.execute(sql: """
                CREATE TABLE checkpoint (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    written_at TEXT NOT NULL,             -- wall clock, ISO-8601 UTC
                    sequence INTEGER NOT NULL,            -- checkpoints written so far
                    log_path TEXT,                        -- the followed file, as given
                    log_device INTEGER, log_inode INTEGER,
                    log_offset INTEGER,                   -- start of the next line to read
                    log_line INTEGER,
                    fingerprint_bytes INTEGER, fingerprint INTEGER,  -- hash of the file's first bytes
                    session_gap_ms INTEGER NOT NULL, max_line_bytes INTEGER NOT NULL, dedup_window_ms INTEGER,
                    watermark_ms INTEGER,                 -- newest event time
                    customers INTEGER NOT NULL, events INTEGER NOT NULL
                );
                CREATE TABLE customers (
                    id INTEGER PRIMARY KEY,               -- dense id, in order of first appearance
                    key TEXT NOT NULL,                    -- userId, else anonymousId
                    first_seen_ms INTEGER, last_seen_ms INTEGER,
                    events INTEGER NOT NULL, sessions INTEGER NOT NULL,
                    orders INTEGER NOT NULL, revenue REAL NOT NULL, refunds REAL NOT NULL,
                    first_order_ms INTEGER, last_order_ms INTEGER,
                    stage TEXT,                           -- lifecycle stage at the checkpoint's watermark
                    page_views INTEGER, product_views INTEGER, cart_adds INTEGER, cart_removes INTEGER,
                    checkouts INTEGER, emails_delivered INTEGER, email_opens INTEGER, email_clicks INTEGER,
                    support_tickets INTEGER, advocacy INTEGER, sentiment_sum REAL, sentiment_count INTEGER,
                    channels INTEGER,                     -- bit set of Channel
                    traits_index INTEGER NOT NULL,        -- 0: never identified
                    email TEXT, name TEXT, country TEXT, city TEXT, plan TEXT, timezone TEXT, age INTEGER,
                    email_opt_in INTEGER, sms_opt_in INTEGER,   -- 0 unknown, 1 granted, 2 denied
                    timeline BLOB NOT NULL,               -- 16-byte entries, see docs/STATE.md
                    order_list BLOB NOT NULL              -- 40-byte orders, see docs/STATE.md
                );
                CREATE TABLE names (
                    kind TEXT NOT NULL,                   -- event, product, category, label
                    id INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    PRIMARY KEY (kind, id)
                ) WITHOUT ROWID;
                CREATE TABLE blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
                CREATE TABLE segment_sizes (
                    time_ms INTEGER NOT NULL, segment TEXT NOT NULL, size INTEGER NOT NULL,
                    PRIMARY KEY (time_ms, segment)
                ) WITHOUT ROWID;
                CREATE TABLE models (
                    name TEXT PRIMARY KEY,                -- bgnbd, gamma_gamma, churn
                    fitted_at_ms INTEGER NOT NULL,
                    card TEXT NOT NULL                    -- JSON: parameters and hold-out figures
                );
                CREATE VIEW customer_summary AS
                    SELECT id, key,
                           datetime(first_seen_ms / 1000, 'unixepoch') AS first_seen,
                           datetime(last_seen_ms / 1000, 'unixepoch') AS last_seen,
                           events, sessions, orders, round(revenue, 2) AS revenue, stage, email, country, city
                    FROM customers;
                PRAGMA user_version = 1;
                """)
        }
        if last == "v1-checkpoint" { return m }
        m.registerMigration("v2-erasure") { db in
            try db.execute(sql: """
                CREATE TABLE suppression (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    key_hash INTEGER NOT NULL UNIQUE,     -- 64-bit hash of the erased key (never the key)
                    added_at TEXT NOT NULL
                );
                CREATE TABLE erasures (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    erased_at TEXT NOT NULL,              -- wall clock, ISO-8601 UTC
                    id_sha256 TEXT NOT NULL,              -- SHA-256 of the customer id, hex
                    erased_by TEXT NOT NULL,              -- --by, else the user running the command
                    profiles_removed INTEGER NOT NULL,    -- 0 when the id was not (yet) in the state
                    events_removed INTEGER NOT NULL
                );
                ALTER TABLE checkpoint ADD COLUMN applied_suppression INTEGER NOT NULL DEFAULT 0;
                PRAGMA user_version = 2;
                """)
        }
        if last == "v2-erasure" { return m }
        m.registerMigration("v3-campaigns") { db in
            // The runner's state is the `campaigns` blob (no table of its own).
            try db.execute(sql: """
                CREATE TABLE campaign_suppressed (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, -- order of the decisions; the newest 100,000 are kept
                    action_id TEXT NOT NULL,              -- the message id (32 hex digits) it would have had
                    trigger TEXT NOT NULL,
                    customer TEXT NOT NULL,               -- userId, else anonymousId
                    channel TEXT NOT NULL, template TEXT NOT NULL,
                    cause_time_ms INTEGER NOT NULL,       -- event time of the cause
                    send_time_ms INTEGER NOT NULL,        -- when it would have gone out (after quiet hours)
                    reason TEXT NOT NULL,                 -- no_consent, cooldown, held_out, cap_day, cap_week, quiet_hours
                    because TEXT NOT NULL                 -- why the trigger held
                );
                PRAGMA user_version = 3;
                """)
        }
        return m
    }
}
