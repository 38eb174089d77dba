-- One row that the readiness probe rewrites on SQLite: reading alone says
-- nothing about a full or failing disk, under which every write fails while
-- reads still work (see store.DB.Ping). PostgreSQL does not use it; it is
-- here so both dialects have the same tables.
CREATE TABLE ready_probe (
    id         INTEGER PRIMARY KEY,
    checked_at BIGINT NOT NULL
);
