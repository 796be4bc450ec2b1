-- A job id is namespace/name: up to 63 + 1 + 253 = 317 characters, the longest a Kubernetes namespace (a DNS label)
-- and name (a DNS subdomain) can be. Axon's columns that hold it were varchar(255): the event stream's and the
-- snapshots' aggregate id, the sagas' association value (JobRunSaga is associated by jobId), and the dead letters'
-- sequence (the aggregate id). They take 512 now, as every job_id column of the service's own tables does. The
-- deadlines (scheduled_tasks) keep the id in text and bytea columns, the SQL views only read columns that were
-- wide enough already.
-- Raising a varchar limit changes the catalog only: no table is rewritten, no index rebuilt.
alter table domain_event_entry alter column aggregate_identifier type varchar(512);
alter table snapshot_event_entry alter column aggregate_identifier type varchar(512);
alter table association_value_entry alter column association_value type varchar(512);
alter table dead_letter_entry
    alter column aggregate_identifier type varchar(512),
    alter column sequence_identifier type varchar(512);
