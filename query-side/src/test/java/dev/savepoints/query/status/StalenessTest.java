package dev.savepoints.query.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one judgement of a savepoint's age behind the pages, the REST status and the gauge the alerts read. */
class StalenessTest {

    private static final Instant FROM = Instant.parse("2026-12-04T10:00:00Z");

    private static Staleness after(long seconds, Integer interval) {
        return Staleness.of(true, FROM, interval, FROM.plusSeconds(seconds));
    }

    @Test
    void aJobIsFineUpToTwoIntervalsLateUpToThreeAndStaleBeyond() {
        assertThat(after(120, 60).verdict()).isEqualTo(Staleness.Verdict.FINE);
        assertThat(after(121, 60).verdict()).isEqualTo(Staleness.Verdict.LATE);
        assertThat(after(180, 60).verdict()).isEqualTo(Staleness.Verdict.LATE);
        assertThat(after(181, 60)).isEqualTo(new Staleness(Staleness.Verdict.STALE, 181L, 60));
    }

    @Test
    void withoutAScheduleTheAgeIsToldButNotJudged() {
        assertThat(after(90_000, null)).isEqualTo(new Staleness(Staleness.Verdict.UNSCHEDULED, 90_000L, null));
        assertThat(after(90_000, 0).verdict()).isEqualTo(Staleness.Verdict.UNSCHEDULED);
    }

    @Test
    void aJobThatIsNotMeantToRunOrWasNeverDeployedHasNoAge() {
        assertThat(Staleness.of(false, FROM, 60, FROM.plusSeconds(1_000)))
                .isEqualTo(new Staleness(Staleness.Verdict.NOT_RUNNING, null, 60));
        assertThat(Staleness.of(true, null, 60, FROM).ageSeconds()).isNull();
        assertThat(after(-5, 60).ageSeconds()).as("a clock a little behind the database's").isZero();
    }

    @Test
    void theVerdictsReadAsThePagesShowThem() {
        assertThat(Staleness.Verdict.STALE.word()).isEqualTo("stale");
        assertThat(Staleness.Verdict.UNSCHEDULED.word()).isEqualTo("no schedule");
        assertThat(Staleness.Verdict.NOT_RUNNING.word()).isEqualTo("not running");
    }
}
