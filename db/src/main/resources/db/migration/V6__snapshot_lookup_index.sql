-- Axon reads a job's latest snapshot by aggregate_identifier; the primary key leads with sequence_number, so
-- without this index that lookup scans every job's snapshot (found by the history benchmark).
create index snapshot_event_entry_aggregate_idx on snapshot_event_entry (aggregate_identifier, sequence_number desc);
