-- A job's history filtered by outcome (?outcome=FAILED) read the job's every row to find the few that match; with
-- the outcome in the index it reads only those (query benchmark, 1 M rows).
create index qs_savepoint_job_outcome_idx on qs_savepoint (job_id, outcome, triggered_at desc, trigger_id desc);
