-- k8s-bridge: the status model of each job (command-side's JobStatus as JSON), from which the FlinkCluster status is
-- written whole once a change is due: after it settled, or for one that only starts something (a savepoint
-- triggered) after the progress delay, so that one write shows both its start and its end (ClusterStatusRecord,
-- StatusWriter, DueStatusWrites). Rebuilt from the event store by
-- the tracking processor k8s-cluster-status.
create table k8s_cluster_status (
    job_id        varchar(512)             not null primary key, -- namespace/name
    status        text                     not null,
    written       boolean                  not null,             -- the FlinkCluster shows this status
    due_at        timestamp with time zone,                      -- set while a change waits to be written
    annotation_pending boolean             not null default false, -- a control ended; its annotation is to go
    updated_at    timestamp with time zone not null
);
create index k8s_cluster_status_due_idx on k8s_cluster_status (due_at) where not written or annotation_pending;

-- The processor k8s-status that patched the status event by event is replaced by k8s-cluster-status.
delete from token_entry where processor_name = 'k8s-status';
