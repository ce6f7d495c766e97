-- The n-th transfer to an enclave: media name their sequence, and a site report acknowledges it.
alter table ledger_transfer add column sequence integer;
-- On a receiving station: where the verified media lie, so that the import reads exactly those.
alter table ledger_transfer add column media_path varchar(1024);

-- What a disconnected site's receiving station reported, signed by its key and carried back on media or paper.
create table ledger_site_report (
  enclave                varchar(128) not null references ledger_enclave (name),
  report_number          bigint not null,
  created_at             timestamp with time zone not null,
  recorded_at            timestamp with time zone not null,
  recorded_by            varchar(255),
  lineage_id             varchar(36),
  generations            varchar(4000) not null,
  cache_blob_set_digest  varchar(71) not null,
  cache_complete         boolean not null,
  proven                 boolean not null,
  transfer_id            varchar(36),
  transfer_sequence      integer,
  transfer_outcome       varchar(32),
  report_json            text not null,
  signature              varchar(256) not null,
  primary key (enclave, report_number)
);
