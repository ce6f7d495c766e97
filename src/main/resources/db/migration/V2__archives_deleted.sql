-- Retention deletes archives; the ledger keeps what they held, and must know they can no longer be carried.
alter table ledger_generation add column archives_deleted_at timestamp with time zone;
