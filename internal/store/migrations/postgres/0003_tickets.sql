-- Ticket list indexes and full-text search.
CREATE INDEX tickets_missed_updated_idx ON tickets (missed, updated_at, id);
CREATE INDEX tickets_channel_updated_idx ON tickets (channel_id, updated_at, id);
CREATE INDEX tickets_status_created_idx ON tickets (status, created_at, id);
CREATE INDEX tickets_assignee_created_idx ON tickets (assignee_id, status, created_at, id);
CREATE INDEX ticket_events_author_idx ON ticket_events (author_id, created_at);

-- Full-text search: GIN expression indexes over the 'simple' configuration,
-- queried with prefix terms (заказ:* finds заказа, заказом). 'simple' rather
-- than 'russian' because subjects and messages mix Russian, English, names,
-- order numbers and e-mail addresses that a Russian stemmer would mangle;
-- prefix matching covers most Russian inflection. Expression indexes need no
-- extra columns and no sync code: PostgreSQL keeps them current itself.
CREATE INDEX tickets_subject_fts_idx ON tickets USING GIN (to_tsvector('simple', subject));
CREATE INDEX ticket_events_body_fts_idx ON ticket_events USING GIN (to_tsvector('simple', body))
	WHERE kind IN ('reply', 'note');
CREATE INDEX clients_lower_name_idx ON clients (lower(name) text_pattern_ops);

-- The open views (All open, My open, Unassigned) read tickets still being
-- worked on, newest first: partial indexes keep them in order without
-- touching the solved and closed majority.
CREATE INDEX tickets_active_updated_idx ON tickets (updated_at, id)
	WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX tickets_active_assignee_idx ON tickets (assignee_id, updated_at, id)
	WHERE status IN ('new', 'open', 'pending', 'on_hold');
