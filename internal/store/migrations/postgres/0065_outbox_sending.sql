-- When the current attempt to send an outbox row began (microseconds),
-- written and committed just before the SMTP session, cleared when the
-- attempt's outcome is stored. A row still claimed by a process that died
-- with sending_at set may have reached the SMTP server: at the restart it is
-- sent again with the same bytes and Message-ID (at least once), and the
-- log says which (store.ReleaseInstance, docs/email-channel.md).
ALTER TABLE email_outbox ADD COLUMN sending_at BIGINT;
