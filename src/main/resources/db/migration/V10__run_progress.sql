-- What each oc-mirror run is doing, as its worker last saw it: the lifecycle pages read this from any node.
create table run_progress (
  run_id               varchar(200) not null primary key,
  lifecycle_id         varchar(64) not null,
  process_instance_id  varchar(64) not null,
  step                 varchar(64) not null,
  host                 varchar(255) not null,
  enclave              varchar(128),
  started_at           timestamp with time zone not null,
  updated_at           timestamp with time zone not null,
  state                varchar(32) not null,
  images_total         integer,
  images_done          integer not null,
  image_errors         integer not null,
  current_image        varchar(1024),
  log_tail             varchar(8192) not null
);
create index run_progress_lifecycle on run_progress (lifecycle_id);
