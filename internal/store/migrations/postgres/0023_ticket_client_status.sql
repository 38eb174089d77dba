-- A search picks its page of tickets from the index of the matching
-- clients' tickets without reading them (store searchSet.page); with the
-- status in the index it can do so in the views that filter by status too,
-- such as the list's default, All open. (Call ingestion's look-up of a
-- client's open ticket reads the status from it as well.) A ticket's
-- status changes only with its updated_at, which this index holds already,
-- so writes cost the same.
DROP INDEX tickets_client_idx;
CREATE INDEX tickets_client_idx ON tickets (client_id, updated_at, id, status);
