-- The supervisor role: between agent and administrator, reads the call
-- reports and the wallboard.
ALTER TABLE agents DROP CONSTRAINT agents_role_check;
ALTER TABLE agents ADD CONSTRAINT agents_role_check CHECK (role IN ('admin', 'supervisor', 'agent'));
