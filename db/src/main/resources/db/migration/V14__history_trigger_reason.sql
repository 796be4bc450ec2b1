-- The savepoint history names each attempt's reason in the words of status.savepoint.triggerReason too (the
-- operator's: scheduled, user requested, update, job cancel, external), next to the service's finer reason.
alter table qs_savepoint add column trigger_reason varchar(32);

update qs_savepoint set trigger_reason = case reason
    when 'SCHEDULED' then 'scheduled'
    when 'GENERATION_BUMP' then 'user requested'
    when 'USER_CONTROL' then 'user requested'
    when 'REST' then 'user requested'
    when 'JOB_CANCEL' then 'job cancel'
    when 'UPDATE' then 'update'
    when 'EXTERNAL' then 'external'
    end;

-- a new column goes last, so the view keeps its grants and its readers' column positions
create or replace view savepoints.savepoint_history as
select trigger_id, namespace, name, incarnation, flink_job_id, reason, source, actor, target_directory,
       format_type, stop_job, control_id, outcome, generation, location, failure_cause, late,
       triggered_at, completed_at, duration_ms, trigger_reason
from qs_savepoint;
