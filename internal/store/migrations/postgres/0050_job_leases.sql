-- One instance at a time runs each periodic job (internal/jobs): the
-- instance whose lease row it is, until expires_at (microseconds). The
-- holder renews it while it runs and deletes it when it stops; a holder
-- that died leaves it to expire, and then another instance takes it.
CREATE TABLE job_leases (
	name        TEXT PRIMARY KEY,
	holder      TEXT NOT NULL,
	acquired_at BIGINT NOT NULL,
	expires_at  BIGINT NOT NULL
);
