-- One status model (JobStatus in command-side's api): the query side keeps it whole as JSON and shows the same facts
-- in columns, in the words of the CR status. The latest savepoint request (status.savepoint), the control's
-- savepoint and time, and whether the JobManager answers (status.components.jobManager) are new here.
alter table qs_job_status
    add column savepoint_request_trigger_id varchar(128),
    add column savepoint_request_reason     varchar(32),
    add column savepoint_request_state      varchar(32),   -- InProgress, Waiting, TriggerFailed, Failed, Succeeded
    add column savepoint_request_message    text,
    add column savepoint_request_time       timestamp with time zone,
    add column control_savepoint_trigger_id varchar(128),
    add column control_time                 timestamp with time zone,
    add column job_manager_state            varchar(16),   -- Ready, NotReady
    add column job_manager_message          text,
    add column job_manager_since            timestamp with time zone,
    add column status                       text;          -- the JobStatus as JSON; null in rows projected before

-- control_state now uses the CR's words: Progressing (was InProgress) and Failed (was Rejected for a refusal).
update qs_job_status set control_state = 'Progressing' where control_state = 'InProgress';
update qs_job_status set control_state = 'Failed' where control_state = 'Rejected';

create or replace view savepoints.job_status as
select namespace, name, uid, incarnation, registered, flink_job_id, state, savepoint_generation,
       savepoint_location, last_savepoint_trigger_id, last_savepoint_time, from_savepoint, restart_count,
       failure_cause, control_name, control_state, control_message, registered_at, updated_at,
       savepoint_request_trigger_id, savepoint_request_reason, savepoint_request_state, savepoint_request_message,
       savepoint_request_time, control_savepoint_trigger_id, control_time, job_manager_state, job_manager_message,
       job_manager_since
from qs_job_status;
