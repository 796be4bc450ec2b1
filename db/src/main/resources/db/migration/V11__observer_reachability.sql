-- flink-gateway: the observer counts the rounds in which a job's JobManager did not answer, and tells the job once
-- it has not answered for savepoints.flink.unreachable-after-rounds (JobObserver). States are kept in the status
-- words, as everywhere else.
alter table flink_gateway_job
    add column failed_rounds        integer                  not null default 0,
    add column unreachable_since    timestamp with time zone,
    add column unreachable_reported boolean                  not null default false;

update flink_gateway_job set state = case state
    when 'PENDING' then 'Pending' when 'DEPLOYING' then 'Deploying' when 'RUNNING' then 'Running'
    when 'FAILED' then 'Failed' when 'RESTARTING' then 'Restarting' when 'FINISHED' then 'Succeeded'
    when 'CANCELLED' then 'Cancelled' when 'LOST' then 'Lost' when 'DEREGISTERED' then 'Deregistered'
    else state end;
