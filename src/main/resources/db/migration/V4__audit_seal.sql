-- Sealed audit records: each ended lifecycle's record digest, chained to the one sealed before it, so that a
-- later change to the history tables (or to this table) is detected.
create table audit_seal (
  sequence_number      bigint primary key,
  process_instance_id  varchar(64) not null,
  record_sha256        char(64) not null,
  chain_sha256         char(64) not null,
  sealed_at            timestamp with time zone not null,
  constraint audit_seal_instance unique (process_instance_id)
);
