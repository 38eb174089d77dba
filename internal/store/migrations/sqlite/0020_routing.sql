-- Calls routed to groups: the group a call's channel routing chose (NULL:
-- none, every agent may take it). It decides whose screens a call pops up
-- on, and it stays with the call when the group is archived. When later
-- events route a call elsewhere (an employee rule matches once UIS names
-- who answered), shown_to keeps whom it showed on first (0: every agent),
-- so their pop-ups still hear how it ended; NULL: never routed elsewhere.
ALTER TABLE calls ADD COLUMN group_id INTEGER REFERENCES agent_groups(id);
ALTER TABLE calls ADD COLUMN shown_to INTEGER;

-- Subjects Ringdesk writes for calls are kept as their parts too, so each
-- reader sees "Incoming call from ..." in their own language. subject_call
-- is the call's direction (in, out) while the subject is Ringdesk's own,
-- '' once an agent wrote one; subject_who is whom the call was with.
-- Existing subjects are recognised by Ringdesk's own prefixes, compared
-- exactly (LIKE folds case differently in the two databases), on tickets a
-- call made whose subject nobody has changed since.
ALTER TABLE tickets ADD COLUMN subject_call TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN subject_who TEXT NOT NULL DEFAULT '';
UPDATE tickets SET subject_call = 'in', subject_who = substr(subject, 18)
	WHERE channel_id IS NOT NULL AND substr(subject, 1, 17) = 'Входящий звонок: '
	AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.kind = 'subject');
UPDATE tickets SET subject_call = 'out', subject_who = substr(subject, 19)
	WHERE channel_id IS NOT NULL AND substr(subject, 1, 18) = 'Исходящий звонок: '
	AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.kind = 'subject');
UPDATE tickets SET subject_call = 'in', subject_who = substr(subject, 20)
	WHERE channel_id IS NOT NULL AND substr(subject, 1, 19) = 'Incoming call from '
	AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.kind = 'subject');
UPDATE tickets SET subject_call = 'out', subject_who = substr(subject, 18)
	WHERE channel_id IS NOT NULL AND substr(subject, 1, 17) = 'Outgoing call to '
	AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.kind = 'subject');
