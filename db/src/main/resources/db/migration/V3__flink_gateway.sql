-- flink-gateway: the managed jobs, where their JobManager is and which Flink job runs them (WatchedJob).
create table flink_gateway_job (
    job_id          varchar(512)             not null primary key, -- namespace/name
    job_manager_url varchar(1024),                                 -- null: the configured template
    flink_job_id    varchar(32),
    state           varchar(32)              not null,
    updated_at      timestamp with time zone not null,
    -- the highest checkpoint id of flink_job_id whose savepoint was reported (see JobObserver)
    savepoints_seen_up_to bigint             not null default 0
);
create index flink_gateway_job_watch_idx on flink_gateway_job (state) where flink_job_id is not null;
