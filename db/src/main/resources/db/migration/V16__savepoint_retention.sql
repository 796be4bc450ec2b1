-- Retention: whether a completed savepoint's files are kept (RETAINED), being disposed of (DISPOSING), kept after a
-- failed disposal that is tried again (DISPOSAL_FAILED), or gone (DISPOSED); pinned by whom; why and how disposed.
alter table qs_savepoint add column retention varchar(16);
alter table qs_savepoint add column pinned boolean not null default false;
alter table qs_savepoint add column pinned_by varchar(253);
alter table qs_savepoint add column disposal_reason varchar(16);
alter table qs_savepoint add column disposal_attempts integer not null default 0;
alter table qs_savepoint add column disposal_failure text;
alter table qs_savepoint add column disposal_retry_at timestamp with time zone;
alter table qs_savepoint add column disposal_method varchar(16);
alter table qs_savepoint add column disposed_at timestamp with time zone;

update qs_savepoint set retention = 'RETAINED' where outcome = 'COMPLETED';

create index qs_savepoint_retained_idx on qs_savepoint (job_id, completed_at desc) where retention <> 'DISPOSED';

-- new columns go last, so the view keeps its grants and its readers' column positions
create or replace view savepoints.savepoint_history as
select trigger_id, namespace, name, incarnation, flink_job_id, reason, source, actor, target_directory,
       format_type, stop_job, control_id, outcome, generation, location, failure_cause, late,
       triggered_at, completed_at, duration_ms, trigger_reason,
       retention, retention in ('RETAINED', 'DISPOSING', 'DISPOSAL_FAILED') as retained, pinned, pinned_by,
       disposal_reason, disposal_attempts, disposal_failure, disposal_retry_at, disposal_method, disposed_at
from qs_savepoint;

-- what each job keeps on storage now
create view savepoints.retained_savepoints as
select namespace, name, trigger_id, location, completed_at, reason, pinned, pinned_by, retention,
       disposal_attempts, disposal_failure
from qs_savepoint
where retention in ('RETAINED', 'DISPOSING', 'DISPOSAL_FAILED');

do $$
begin
    if exists (select from pg_roles where rolname = 'savepoints_reader') then
        grant select on savepoints.retained_savepoints to savepoints_reader;
    end if;
end
$$;
