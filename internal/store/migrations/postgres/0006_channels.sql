-- Channel administration: when a webhook token was last used (written at
-- most once a minute per token), which also tells when a channel last
-- received an event.
ALTER TABLE channel_tokens ADD COLUMN last_used_at BIGINT;
