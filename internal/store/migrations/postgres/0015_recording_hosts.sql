-- Recording hosts: the CoMagic hosts join the UIS ones in the default list
-- (public integrations see UIS accounts' recordings served from
-- app.comagic.ru). Channels that still have the old default list, exactly
-- as Ringdesk wrote it, get the new one; a list an administrator changed
-- stays as it is.
UPDATE channels
SET settings = jsonb_set(settings::jsonb, '{recording_hosts}',
	'["app.uiscom.ru","media.uiscom.ru","app.comagic.ru","media.comagic.ru"]'::jsonb)::text
WHERE type = 'uis'
	AND settings::jsonb -> 'recording_hosts' = '["app.uiscom.ru","media.uiscom.ru"]'::jsonb;
