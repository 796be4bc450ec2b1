-- How stale a job's latest savepoint is, as the history page and the savepoint_age_seconds gauge show it: the job's
-- expected interval (autoSavepointSeconds), its savepoint failures since the last completed one, since when its state
-- has been at risk (its latest completed savepoint or the deployment of its current run, whichever is later) and
-- whether it is meant to run. All four come from the job's events through the one status mapping (JobStatus).
alter table qs_job_status
    add column savepoint_interval_seconds integer,
    add column consecutive_failures       integer not null default 0,
    add column savepoint_age_from         timestamp with time zone,
    add column expected_to_run            boolean not null default false;

-- Rows projected before these columns: what the status already says, and the interval from the job's latest
-- settings in the event store (Jackson-serialized payloads). A replay of the query projections gives the same.
update qs_job_status
set savepoint_age_from = case
        when last_savepoint_time is null then deploy_time
        when deploy_time is null or last_savepoint_time > deploy_time then last_savepoint_time
        else deploy_time end,
    expected_to_run = registered and state in ('Deploying', 'Running', 'Restarting');

update qs_job_status s
set savepoint_interval_seconds = latest.interval_seconds,
    status = case when s.status is null then null
                  else jsonb_set(s.status::jsonb, '{savepointIntervalSeconds}',
                                 coalesce(to_jsonb(latest.interval_seconds), 'null'::jsonb))::text end
from (select distinct on (aggregate_identifier) aggregate_identifier,
             (convert_from(payload, 'UTF8')::jsonb #>> '{settings,autoSavepointSeconds}')::integer as interval_seconds
      from domain_event_entry
      where payload_type in ('dev.savepoints.command.api.JobRegistered', 'dev.savepoints.command.api.JobSettingsChanged')
      order by aggregate_identifier, global_index desc) latest
where latest.aggregate_identifier = s.job_id;

create or replace view savepoints.job_status as
select namespace, name, uid, incarnation, registered, flink_job_id, state, savepoint_generation,
       savepoint_location, last_savepoint_trigger_id, last_savepoint_time, from_savepoint, restart_count,
       failure_cause, control_name, control_state, control_message, registered_at, updated_at,
       savepoint_request_trigger_id, savepoint_request_reason, savepoint_request_state, savepoint_request_message,
       savepoint_request_time, control_savepoint_trigger_id, control_time, job_manager_state, job_manager_message,
       job_manager_since, final_savepoint, deploy_time, start_time, completion_time, cluster_state,
       job_manager_replicas, job_manager_ready_replicas, task_manager_replicas, task_manager_ready_replicas,
       savepoint_interval_seconds, consecutive_failures, savepoint_age_from, expected_to_run
from qs_job_status;
