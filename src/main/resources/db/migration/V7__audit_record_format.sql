-- Which version of the audit record a seal digests. Seals made before this column existed digest format 1, which
-- lacked outcomes, operations, comments on tasks and refusals; this version cannot rebuild that format.
alter table audit_seal add column record_format integer default 1 not null;
