-- k8s-bridge: the status model of each job (command-side's JobStatus as JSON), from which the FlinkCluster status is
-- written whole; a change that only starts something (a savepoint triggered) waits up to the progress delay so that
-- one write shows both its start and its end (ClusterStatusRecord, StatusWriter). Rebuilt from the event store by
-- the tracking processor k8s-cluster-status.
create table k8s_cluster_status (
    job_id        varchar(512)             not null primary key, -- namespace/name
    status        text                     not null,
    written       boolean                  not null,             -- the FlinkCluster shows this status
    pending_since timestamp with time zone,                      -- set while a change waits to be written
    annotation_pending boolean             not null default false, -- a control ended; its annotation is to go
    updated_at    timestamp with time zone not null
);
create index k8s_cluster_status_pending_idx on k8s_cluster_status (pending_since) where not written or annotation_pending;

-- The processor k8s-status that patched the status event by event is replaced by k8s-cluster-status.
delete from token_entry where processor_name = 'k8s-status';
