-- The SQL interface for users: stable views in schema "savepoints" over the query side's tables (which may
-- change), and the role savepoints_reader that can read these views and nothing else. Grant it to a login role:
--   create role analyst login password '...' in role savepoints_reader;
create schema savepoints;

create view savepoints.job_status as
select namespace, name, uid, incarnation, registered, flink_job_id, state, savepoint_generation,
       savepoint_location, last_savepoint_trigger_id, last_savepoint_time, from_savepoint, restart_count,
       failure_cause, control_name, control_state, control_message, registered_at, updated_at
from qs_job_status;

create view savepoints.savepoint_history as
select trigger_id, namespace, name, incarnation, flink_job_id, reason, source, actor, target_directory,
       format_type, stop_job, control_id, outcome, generation, location, failure_cause, late,
       triggered_at, completed_at, duration_ms
from qs_savepoint;

create view savepoints.audit_log as
select global_index as sequence, at, namespace, name, action, source, actor, decision, reason, outcome,
       outcome_detail, outcome_at, trigger_id, control_id, event_id
from qs_audit;

-- Roles belong to the whole PostgreSQL server and need CREATEROLE: where the service's user lacks it, an
-- administrator creates the role once and the grants below still apply to it.
do $$
begin
    if not exists (select from pg_roles where rolname = 'savepoints_reader') then
        create role savepoints_reader nologin;
    end if;
exception when insufficient_privilege then
    raise notice 'role savepoints_reader not created (no CREATEROLE); create it as an administrator';
end $$;

do $$
begin
    if exists (select from pg_roles where rolname = 'savepoints_reader') then
        execute 'grant usage on schema savepoints to savepoints_reader';
        execute 'grant select on all tables in schema savepoints to savepoints_reader';
        -- PostgreSQL before 15 lets every role create tables in schema public: not this one.
        execute 'revoke create on schema public from public';
    end if;
end $$;
