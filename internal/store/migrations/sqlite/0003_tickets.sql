-- Ticket list indexes and full-text search.
CREATE INDEX tickets_missed_updated_idx ON tickets (missed, updated_at, id);
CREATE INDEX tickets_channel_updated_idx ON tickets (channel_id, updated_at, id);
CREATE INDEX tickets_status_created_idx ON tickets (status, created_at, id);
CREATE INDEX tickets_assignee_created_idx ON tickets (assignee_id, status, created_at, id);
CREATE INDEX ticket_events_author_idx ON ticket_events (author_id, created_at);

-- One row per ticket (rowid = tickets.id): the subject and the text of every
-- reply and note. The store keeps it in step in the same transaction as the
-- ticket. Client names, emails and phones are not indexed here: search finds
-- matching clients and returns their tickets, so editing a client needs no
-- reindexing. unicode61 folds case (Cyrillic included) and diacritics.
CREATE VIRTUAL TABLE ticket_fts USING fts5 (subject, body, tokenize = 'unicode61 remove_diacritics 2');

-- The open views (All open, My open, Unassigned) read tickets still being
-- worked on, newest first: partial indexes keep them in order without
-- touching the solved and closed majority.
CREATE INDEX tickets_active_updated_idx ON tickets (updated_at, id)
	WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX tickets_active_assignee_idx ON tickets (assignee_id, updated_at, id)
	WHERE status IN ('new', 'open', 'pending', 'on_hold');
