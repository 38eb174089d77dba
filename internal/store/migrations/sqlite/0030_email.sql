-- The email channel (issue 17). An email channel keeps its IMAP password in
-- channels.secret_enc and its SMTP password here, both sealed.
ALTER TABLE channels ADD COLUMN smtp_secret_enc TEXT NOT NULL DEFAULT '';

-- Every incoming message, stored raw before it is applied: one row per
-- mailbox and Message-ID (a message without one is keyed by a digest of its
-- bytes), so a message fetched twice is a duplicate. state: pending (stored,
-- not applied), applied, ignored (machine mail kept only), failed.
CREATE TABLE email_inbound (
	id          INTEGER PRIMARY KEY,
	channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
	message_key TEXT NOT NULL,
	uidvalidity INTEGER NOT NULL DEFAULT 0,
	uid         INTEGER NOT NULL DEFAULT 0,
	state       TEXT NOT NULL DEFAULT 'pending',
	reason      TEXT NOT NULL DEFAULT '',
	ticket_id   INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
	event_id    INTEGER,
	html        TEXT NOT NULL DEFAULT '',  -- the sanitised HTML part, remote images blocked
	received_at INTEGER NOT NULL,
	applied_at  INTEGER,
	UNIQUE (channel_id, message_key)
);
CREATE INDEX email_inbound_pending_idx ON email_inbound (state, id);
CREATE INDEX email_inbound_event_idx ON email_inbound (event_id);

-- The raw bytes of each incoming message, apart from its state, so
-- applying a message (which updates email_inbound) never rewrites them.
CREATE TABLE email_inbound_raw (
	inbound_id INTEGER PRIMARY KEY REFERENCES email_inbound(id) ON DELETE CASCADE,
	raw        BLOB NOT NULL
);

-- Files that came with incoming messages, downloadable by agents.
CREATE TABLE email_attachments (
	inbound_id   INTEGER NOT NULL REFERENCES email_inbound(id) ON DELETE CASCADE,
	idx          INTEGER NOT NULL,
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	content_id   TEXT NOT NULL DEFAULT '',
	inline       INTEGER NOT NULL DEFAULT 0,
	size         INTEGER NOT NULL,
	data         BLOB NOT NULL,
	PRIMARY KEY (inbound_id, idx)
);

-- Where each mailbox's IMAP reading stands: the folder's UIDVALIDITY and
-- the last UID stored. It moves only in the transaction that stores a
-- message, so nothing is skipped or read twice across restarts.
CREATE TABLE email_cursors (
	channel_id  INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
	uidvalidity INTEGER NOT NULL DEFAULT 0,
	last_uid    INTEGER NOT NULL DEFAULT 0,
	updated_at  INTEGER NOT NULL
);

-- Message-IDs of a ticket's mail, both ways, for threading replies.
CREATE TABLE email_message_ids (
	message_id TEXT NOT NULL,
	ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	event_id   INTEGER,
	outgoing   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (message_id, ticket_id)
);
CREATE INDEX email_message_ids_ticket_idx ON email_message_ids (ticket_id);

-- Public replies to send by email, written in the same transaction as the
-- reply's timeline entry. status: queued, sent, failed. A worker claims a
-- due row by setting claimed_until (claims expire, so a crashed sender's
-- rows are taken again); message_id and raw are recorded before the first
-- send, so a resend after a crash repeats the same message.
CREATE TABLE email_outbox (
	id              INTEGER PRIMARY KEY,
	channel_id      INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
	ticket_id       INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	event_id        INTEGER NOT NULL UNIQUE,
	status          TEXT NOT NULL DEFAULT 'queued',
	to_addrs        TEXT NOT NULL,              -- JSON array of addresses
	from_name       TEXT NOT NULL DEFAULT '',
	subject         TEXT NOT NULL,
	body            TEXT NOT NULL,
	in_reply_to     TEXT NOT NULL DEFAULT '',
	refs            TEXT NOT NULL DEFAULT '[]', -- JSON array of Message-IDs
	message_id      TEXT NOT NULL DEFAULT '',
	raw             BLOB,
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	claimed_until   INTEGER,
	claimed_by      TEXT NOT NULL DEFAULT '',
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	sent_at         INTEGER
);
CREATE INDEX email_outbox_due_idx ON email_outbox (status, next_attempt_at, id);
CREATE INDEX email_outbox_ticket_idx ON email_outbox (ticket_id);
CREATE INDEX email_outbox_message_idx ON email_outbox (message_id);
