-- What a handover names: kept here and not in process variables, which the receiver could read; the receiver must
-- read the media id and seal number off the media themselves.
alter table custody_event add column media_id varchar(64);
alter table custody_event add column seal_number varchar(64);
alter table custody_event add column courier varchar(128);
