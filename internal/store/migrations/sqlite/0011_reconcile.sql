-- Reconciliation with the UIS calls report: per channel, how far the report
-- has been read and how the last run went (shown on the channel page).
CREATE TABLE channel_reconcile (
	channel_id   INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
	synced_until INTEGER,                      -- calls that started before this are reconciled
	last_run_at  INTEGER NOT NULL,
	last_status  TEXT NOT NULL,                -- ok or error
	last_error   TEXT NOT NULL DEFAULT '',     -- the UIS mnemonic or transport failure, never a secret
	checked      INTEGER NOT NULL DEFAULT 0,   -- report rows read by the last successful run
	recovered    INTEGER NOT NULL DEFAULT 0,   -- calls it created
	finished     INTEGER NOT NULL DEFAULT 0,   -- calls it finished
	failures     INTEGER NOT NULL DEFAULT 0    -- failed runs in a row, for backoff
);
