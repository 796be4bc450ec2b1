-- The times of a job's current run and whether its latest savepoint is its final state, as
-- status.components.job shows them (deployTime, startTime, completionTime, finalSavepoint).
alter table qs_job_status
    add column final_savepoint boolean not null default false,
    add column deploy_time     timestamp with time zone,
    add column start_time      timestamp with time zone,
    add column completion_time timestamp with time zone;

create or replace view savepoints.job_status as
select namespace, name, uid, incarnation, registered, flink_job_id, state, savepoint_generation,
       savepoint_location, last_savepoint_trigger_id, last_savepoint_time, from_savepoint, restart_count,
       failure_cause, control_name, control_state, control_message, registered_at, updated_at,
       savepoint_request_trigger_id, savepoint_request_reason, savepoint_request_state, savepoint_request_message,
       savepoint_request_time, control_savepoint_trigger_id, control_time, job_manager_state, job_manager_message,
       job_manager_since, final_savepoint, deploy_time, start_time, completion_time
from qs_job_status;
