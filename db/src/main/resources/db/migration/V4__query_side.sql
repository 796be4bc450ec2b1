-- query-side read models, projected from the event store by the tracking processor "query-projections".
-- They can be dropped and rebuilt at any time (docs/operations.md, "Rebuilding the read models"); the stable
-- interface for SQL users is the views of V5, not these tables.

create table qs_job_status (
    job_id                    varchar(512) not null,  -- namespace/name
    incarnation               integer      not null,  -- 1 for the first FlinkCluster of this name
    namespace                 varchar(253) not null,
    name                      varchar(253) not null,
    uid                       varchar(64),
    registered                boolean      not null,
    flink_job_id              varchar(32),
    state                     varchar(32)  not null,
    savepoint_generation      bigint       not null default 0,
    savepoint_location        text,
    last_savepoint_trigger_id varchar(128),
    last_savepoint_time       timestamp with time zone,
    from_savepoint            text,
    restart_count             integer      not null default 0,
    failure_cause             text,
    control_name              varchar(64),
    control_state             varchar(32),
    control_message           text,
    registered_at             timestamp with time zone not null,
    updated_at                timestamp with time zone not null,
    primary key (job_id, incarnation)
);

create table qs_savepoint (
    trigger_id       varchar(128) not null primary key,
    job_id           varchar(512) not null,
    namespace        varchar(253) not null,
    name             varchar(253) not null,
    incarnation      integer      not null,
    flink_job_id     varchar(32),
    reason           varchar(32)  not null,
    source           varchar(32),
    actor            varchar(512),
    target_directory text,
    format_type      varchar(16),
    stop_job         boolean      not null default false,
    control_id       varchar(64),
    outcome          varchar(16)  not null,  -- IN_PROGRESS, COMPLETED, FAILED, TIMED_OUT
    generation       bigint,
    location         text,
    failure_cause    text,
    late             boolean      not null default false,
    triggered_at     timestamp with time zone not null,
    completed_at     timestamp with time zone,
    duration_ms      bigint,
    updated_at       timestamp with time zone not null
);
create index qs_savepoint_job_idx on qs_savepoint (job_id, triggered_at desc, trigger_id desc);
create index qs_savepoint_time_idx on qs_savepoint (triggered_at desc, trigger_id desc);

create table qs_audit (
    event_id     varchar(64)  not null primary key, -- the event that recorded the action
    global_index bigint       not null unique,      -- its place in the event store: the audit's order
    at           timestamp with time zone not null,
    job_id       varchar(512) not null,
    namespace    varchar(253) not null,
    name         varchar(253) not null,
    action       varchar(64)  not null,   -- what was asked: register, change-settings, savepoint, control:savepoint, ...
    source       varchar(32),
    actor        varchar(512),
    decision     varchar(16)  not null,   -- ACCEPTED or REJECTED
    reason       text,                    -- why it was rejected
    outcome      varchar(16),             -- SUCCEEDED or FAILED once known
    outcome_detail text,
    outcome_at   timestamp with time zone,
    trigger_id   varchar(128),
    control_id   varchar(64)
);
create index qs_audit_job_idx on qs_audit (job_id, global_index desc);
create index qs_audit_actor_idx on qs_audit (actor, global_index desc);
create index qs_audit_trigger_idx on qs_audit (trigger_id) where trigger_id is not null;
create index qs_audit_control_idx on qs_audit (control_id) where control_id is not null;
