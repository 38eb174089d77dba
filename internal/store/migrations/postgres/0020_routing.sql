-- Calls routed to groups: the group a call's channel routing chose (NULL:
-- none, every agent may take it). It decides whose screens a ringing call
-- pops up on, and it stays with the call when the group is archived.
ALTER TABLE calls ADD COLUMN group_id BIGINT REFERENCES agent_groups(id);

-- Subjects Ringdesk writes for calls are kept as their parts too, so each
-- reader sees "Incoming call from ..." in their own language. subject_call
-- is the call's direction (in, out) while the subject is Ringdesk's own,
-- '' once an agent wrote one; subject_who is whom the call was with.
ALTER TABLE tickets ADD COLUMN subject_call TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN subject_who TEXT NOT NULL DEFAULT '';
UPDATE tickets SET subject_call = 'in', subject_who = substr(subject, 18)
	WHERE channel_id IS NOT NULL AND subject LIKE 'Входящий звонок: %';
UPDATE tickets SET subject_call = 'out', subject_who = substr(subject, 19)
	WHERE channel_id IS NOT NULL AND subject LIKE 'Исходящий звонок: %';
UPDATE tickets SET subject_call = 'in', subject_who = substr(subject, 20)
	WHERE channel_id IS NOT NULL AND subject LIKE 'Incoming call from %';
UPDATE tickets SET subject_call = 'out', subject_who = substr(subject, 18)
	WHERE channel_id IS NOT NULL AND subject LIKE 'Outgoing call to %';
