-- Why a dead letter was not understood, as data beside the parser's words
-- (error): problem is one of ringdesk's Problem* codes (empty_body,
-- invalid_json, missing, wrong_type, ...) and problem_field the field at
-- fault, so the dead letters page says it in the reader's language; the
-- same for the last failed replay. Rows kept before this are '' and show
-- the parser's words only.
ALTER TABLE webhook_dead_letters ADD COLUMN problem TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_dead_letters ADD COLUMN problem_field TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_dead_letters ADD COLUMN replay_problem TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_dead_letters ADD COLUMN replay_problem_field TEXT NOT NULL DEFAULT '';
