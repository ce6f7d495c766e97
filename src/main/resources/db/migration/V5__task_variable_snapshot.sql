-- What a person's task showed when it was created: at completion, only the task's own fields may differ.
-- Kept in the service's table, which no engine API can write.
create table task_variable_snapshot (
  task_id    varchar(64) primary key,
  variables  text not null
);
