package dev.savepoints.query.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.status.ControlState;
import dev.savepoints.command.api.status.JobStatus;
import dev.savepoints.command.api.status.LatestSavepoint;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A row projected before the whole status was kept goes on from its columns, in the words used then. */
class JobStatusRowTest {

    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    private static JobStatusRow legacyRow(String controlState) {
        JobStatusRow row = new JobStatusRow("default/old", "default", "old", T);
        row.incarnation = 2;
        row.uid = "uid-2";
        row.registered = true;
        row.flinkJobId = "c0c55ce62eba6ab41b6bb9288ef79c12";
        row.state = "Running";
        row.savepointGeneration = 3;
        row.savepointLocation = "gs://b/savepoint-3";
        row.lastSavepointTriggerId = "t-3";
        row.lastSavepointTime = T;
        row.restartCount = 1;
        row.failureCause = "boom";
        row.controlName = "savepoint";
        row.controlState = controlState;
        row.updatedAt = T;
        return row;
    }

    @Test
    void itsColumnsBecomeTheStatusAndTheOldWordsTheCurrentOnes() {
        JobStatus status = legacyRow("InProgress").legacyStatus();
        assertThat(status.uid()).isEqualTo("uid-2");
        assertThat(status.incarnation()).isEqualTo(2);
        assertThat(status.state()).isEqualTo(JobState.RUNNING);
        assertThat(status.latestSavepoint()).isEqualTo(new LatestSavepoint("t-3", "gs://b/savepoint-3", T));
        assertThat(status.failureReasons()).containsExactly("boom");
        assertThat(status.control().state()).isEqualTo(ControlState.PROGRESSING);
        assertThat(legacyRow("Rejected").legacyStatus().control().state()).isEqualTo(ControlState.FAILED);
        assertThat(legacyRow("Succeeded").legacyStatus().control().state()).isEqualTo(ControlState.SUCCEEDED);
    }

    @Test
    void theNextEventIsShownInTheColumnsAsForAnyRow() {
        JobStatusRow row = legacyRow("Succeeded");
        JobStatus next = row.legacyStatus().next(new SavepointCompleted(JobId.parse("default/old"), "t-4",
                row.flinkJobId, TriggerReason.SCHEDULED, 4L, "gs://b/savepoint-4", T, T.plusSeconds(60), false),
                T.plusSeconds(60));
        row.show(next, "{}");
        assertThat(row.view().savepointGeneration()).isEqualTo(4);
        assertThat(row.view().savepointLocation()).isEqualTo("gs://b/savepoint-4");
        assertThat(row.view().state()).isEqualTo("Running");
        assertThat(row.view().controlState()).isEqualTo("Succeeded");
        assertThat(row.status).isEqualTo("{}");
    }
}
