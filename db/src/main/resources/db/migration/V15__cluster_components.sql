-- The Flink cluster the service creates for a FlinkCluster: how many JobManager and TaskManager pods it asks for and
-- how many are ready, as status.components shows them (null where the service created no cluster).
alter table qs_job_status
    add column job_manager_replicas        integer,
    add column job_manager_ready_replicas  integer,
    add column task_manager_replicas       integer,
    add column task_manager_ready_replicas integer;

create or replace view savepoints.job_status as
select namespace, name, uid, incarnation, registered, flink_job_id, state, savepoint_generation,
       savepoint_location, last_savepoint_trigger_id, last_savepoint_time, from_savepoint, restart_count,
       failure_cause, control_name, control_state, control_message, registered_at, updated_at,
       savepoint_request_trigger_id, savepoint_request_reason, savepoint_request_state, savepoint_request_message,
       savepoint_request_time, control_savepoint_trigger_id, control_time, job_manager_state, job_manager_message,
       job_manager_since, final_savepoint, deploy_time, start_time, completion_time, cluster_state,
       job_manager_replicas, job_manager_ready_replicas, task_manager_replicas, task_manager_ready_replicas
from qs_job_status;
