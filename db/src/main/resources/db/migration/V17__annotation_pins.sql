-- A savepoint pinned by the FlinkCluster's annotation savepoints.dev/pinned-savepoints is pinned in the history too
-- (kept apart from a pin by REST: removing one leaves the other).
alter table qs_savepoint add column pinned_by_annotation boolean not null default false;

create or replace view savepoints.savepoint_history as
select trigger_id, namespace, name, incarnation, flink_job_id, reason, source, actor, target_directory,
       format_type, stop_job, control_id, outcome, generation, location, failure_cause, late,
       triggered_at, completed_at, duration_ms, trigger_reason,
       retention, retention in ('RETAINED', 'DISPOSING', 'DISPOSAL_FAILED') as retained,
       pinned or pinned_by_annotation as pinned,
       coalesce(pinned_by, case when pinned_by_annotation then 'annotation savepoints.dev/pinned-savepoints' end)::varchar(253)
           as pinned_by,
       disposal_reason, disposal_attempts, disposal_failure, disposal_retry_at, disposal_method, disposed_at
from qs_savepoint;

create or replace view savepoints.retained_savepoints as
select namespace, name, trigger_id, location, completed_at, reason, pinned or pinned_by_annotation as pinned,
       coalesce(pinned_by, case when pinned_by_annotation then 'annotation savepoints.dev/pinned-savepoints' end)::varchar(253)
           as pinned_by,
       retention, disposal_attempts, disposal_failure
from qs_savepoint
where retention in ('RETAINED', 'DISPOSING', 'DISPOSAL_FAILED');
