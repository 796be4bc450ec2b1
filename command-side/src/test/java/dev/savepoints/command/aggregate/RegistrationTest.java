package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.AutomaticSavepointScheduled;
import dev.savepoints.command.api.ChangeJobSettings;
import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlName;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.DeregisterJob;
import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobManagerHosts;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRegistrationRejected;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobSettingsRejected;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.RegisterJob;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointCompleted;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import java.util.List;
import java.util.stream.Stream;
import java.time.Duration;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistrationTest {

    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    @Test
    void aNewFlinkClusterIsRegisteredAndItsJarSubmitted() {
        JobSettings settings = new JobSettings(DIR, 300, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE,
                "gs://my-bucket/savepoints/savepoint-123", true, SavepointFormatType.NATIVE, 3600, false, ARTIFACT);
        fixture.givenNoPriorActivity()
                .when(new RegisterJob(JOB, UID, settings, KUBECTL))
                .expectEvents(new JobRegistered(JOB, UID, 1, settings, KUBECTL),
                        new JobSubmissionRequested(JOB, ARTIFACT, "gs://my-bucket/savepoints/savepoint-123", true));
    }

    @Test
    void aJobWithoutJarIsRegisteredButNothingIsSubmitted() {
        JobSettings noJar = new JobSettings(DIR, null, null, null, false, null, null, false, null);
        fixture.givenNoPriorActivity()
                .when(new RegisterJob(JOB, UID, noJar, KUBECTL))
                .expectEvents(new JobRegistered(JOB, UID, 1, noJar, KUBECTL));
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of(settingsWith(DIR, -5, null, null), "autoSavepointSeconds must not be negative, was -5"),
                Arguments.of(settingsWith(null, 60, null, null), "autoSavepointSeconds needs savepointsDir to be set"),
                Arguments.of(settingsWith(DIR, null, -1, null), "maxStateAgeToRestoreSeconds must not be negative, was -1"),
                Arguments.of(settingsWith("savepoints/relative", null, null, null),
                        "savepointsDir must be an absolute path or a URI with a scheme such as gs:// or s3://, was 'savepoints/relative'"),
                Arguments.of(settingsWith("  ", null, null, null), "savepointsDir must not be blank"),
                Arguments.of(settingsWith("/data/save points", null, null, null), "savepointsDir must not contain white space"),
                Arguments.of(settingsWith("s3://" + "x".repeat(1100), null, null, null), "savepointsDir is longer than 1024 characters"),
                Arguments.of(settingsWith(DIR, null, null, "relative/savepoint-1"),
                        "fromSavepoint must be an absolute path or a URI with a scheme such as gs:// or s3://, was 'relative/savepoint-1'"),
                Arguments.of(new JobSettings(DIR, null, null, null, false, null, null, false, ARTIFACT, "jobmanager:8081"),
                        "the JobManager address must be an http(s) URL, was 'jobmanager:8081'"),
                Arguments.of(new JobSettings(DIR, null, null, null, false, null, null, false, new JobArtifact(" ", null, null, null)),
                        "jarFile must be set to run the job"),
                Arguments.of(new JobSettings(DIR, null, null, null, false, null, null, false, new JobArtifact("/job.jar", null, null, 0)),
                        "parallelism must be at least 1, was 0"));
    }

    private static JobSettings settingsWith(String dir, Integer interval, Integer maxAge, String fromSavepoint) {
        return new JobSettings(dir, interval, null, fromSavepoint, false, null, maxAge, false, ARTIFACT);
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void aRegistrationThatBreaksARuleIsRejectedWithItsReason(JobSettings invalid, String reason) {
        fixture.givenNoPriorActivity()
                .when(new RegisterJob(JOB, UID, invalid, KUBECTL))
                .expectEvents(new JobRegistrationRejected(JOB, UID, invalid, reason, KUBECTL));
    }

    @Test
    void theSameRejectedRegistrationIsNotRejectedAgainOnEveryResync() {
        JobSettings invalid = settingsWith(DIR, -5, null, null);
        at(fixture, new JobRegistrationRejected(JOB, UID, invalid, "autoSavepointSeconds must not be negative, was -5", KUBECTL))
                .when(new RegisterJob(JOB, UID, invalid, KUBECTL))
                .expectNoEvents();
    }

    @Test
    void aCorrectedRegistrationAfterARejectionRegistersTheJob() {
        JobSettings invalid = settingsWith(DIR, -5, null, null);
        at(fixture, new JobRegistrationRejected(JOB, UID, invalid, "autoSavepointSeconds must not be negative, was -5", KUBECTL))
                .when(new RegisterJob(JOB, UID, plainSettings(), KUBECTL))
                .expectEvents(new JobRegistered(JOB, UID, 1, plainSettings(), KUBECTL),
                        new JobSubmissionRequested(JOB, ARTIFACT, null, false));
    }

    @Test
    void aResyncOfAnUnchangedResourceDecidesNothing() {
        at(fixture, running(plainSettings()))
                .when(new RegisterJob(JOB, UID, plainSettings(), KUBECTL))
                .expectNoEvents();
    }

    @Test
    void aChangedSpecOfTheSameResourceChangesTheSettings() {
        JobSettings changed = settings(600, RestartPolicy.FROM_SAVEPOINT_ON_FAILURE);
        at(fixture, running(plainSettings()))
                .when(new RegisterJob(JOB, UID, changed, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, changed, KUBECTL), new AutomaticSavepointScheduled(JOB, T0.plusSeconds(600)));
    }

    @Test
    void aRecreatedResourceIsANewIncarnationThatStartsFromGenerationZero() {
        at(fixture, concat(running(plainSettings()),
                        triggered("id-1", TriggerReason.REST, REST_USER, T0),
                        completed("id-1", TriggerReason.REST, 1, T0, T0)))
                .when(new RegisterJob(JOB, "uid-2", plainSettings(), KUBECTL))
                .expectEvents(new JobDeregistered(JOB, UID, "replaced by a new FlinkCluster with uid uid-2", KUBECTL),
                        new JobRegistered(JOB, "uid-2", 2, plainSettings(), KUBECTL),
                        new JobSubmissionRequested(JOB, ARTIFACT, null, false))
                .expectState(job -> assertThat(job).extracting("savepoints.generation", "savepoints.latest")
                        .containsExactly(0L, null));
    }

    @Test
    void aResourceCreatedAgainAfterItsDeletionIsTheNextIncarnation() {
        at(fixture, registered(plainSettings()), new JobDeregistered(JOB, UID, "the FlinkCluster was deleted", KUBECTL))
                .when(new RegisterJob(JOB, "uid-2", plainSettings(), KUBECTL))
                .expectEvents(new JobRegistered(JOB, "uid-2", 2, plainSettings(), KUBECTL),
                        new JobSubmissionRequested(JOB, ARTIFACT, null, false));
    }

    @Test
    void invalidSettingsAreRejectedAndThePreviousOnesStay() {
        JobSettings invalid = settingsWith(DIR, -1, null, null);
        at(fixture, running(plainSettings()))
                .when(new ChangeJobSettings(JOB, invalid, KUBECTL))
                .expectEvents(new JobSettingsRejected(JOB, invalid, "autoSavepointSeconds must not be negative, was -1", KUBECTL))
                .expectState(job -> assertThat(job).extracting("settings").isEqualTo(plainSettings()));
    }

    @Test
    void settingsOfAJobThatIsNotRegisteredAreRejected() {
        at(fixture, registered(plainSettings()), new JobDeregistered(JOB, UID, "the FlinkCluster was deleted", KUBECTL))
                .when(new ChangeJobSettings(JOB, settings(60, RestartPolicy.NEVER), KUBECTL))
                .expectEvents(new JobSettingsRejected(JOB, settings(60, RestartPolicy.NEVER), "the job is not registered", KUBECTL));
    }

    @Test
    void deletingTheResourceDeregistersTheJob() {
        at(fixture, running(settings(60, RestartPolicy.NEVER)))
                .andGivenCommands(new ChangeJobSettings(JOB, settings(30, RestartPolicy.NEVER), KUBECTL))
                .when(new DeregisterJob(JOB, UID, KUBECTL))
                .expectEvents(new JobDeregistered(JOB, UID, "the FlinkCluster was deleted", KUBECTL));
    }

    @Test
    void aDeletedJobTakesNoMoreSavepoints() {
        at(fixture, running(settings(60, RestartPolicy.NEVER)))
                .andGivenCommands(new ChangeJobSettings(JOB, settings(30, RestartPolicy.NEVER), KUBECTL),
                        new DeregisterJob(JOB, UID, KUBECTL))
                .whenTimeElapses(Duration.ofSeconds(60))
                .expectTriggeredDeadlinesWithName(FlinkJob.AUTO_SAVEPOINT)
                .expectNoEvents();
    }

    @Test
    void theDeletionOfAnOlderIncarnationDoesNotDeregisterTheNewOne() {
        at(fixture, running(plainSettings()))
                .when(new DeregisterJob(JOB, "an-older-uid", KUBECTL))
                .expectNoEvents();
    }

    @Test
    void deletingTheResourceFailsTheControlInProgress() {
        at(fixture, concat(running(plainSettings()),
                        new ControlRequested(JOB, "c-1", ControlName.SAVEPOINT, null, ANNOTATOR),
                        new SavepointTriggered(JOB, "t-1", FLINK_JOB, TriggerReason.USER_CONTROL, DIR,
                                SavepointFormatType.CANONICAL, false, "c-1", ANNOTATOR, T0)))
                .when(new DeregisterJob(JOB, UID, KUBECTL))
                .expectEvents(new ControlFailed(JOB, "c-1", ControlName.SAVEPOINT, FLINK_JOB, "t-1",
                                "the job was deregistered: the FlinkCluster was deleted"),
                        new JobDeregistered(JOB, UID, "the FlinkCluster was deleted", KUBECTL));
    }

    @Test
    void aSavepointOfADeletedResourceThatCompletesLateIsStillRecorded() {
        at(fixture, concat(running(plainSettings()),
                        triggered("t-1", TriggerReason.REST, REST_USER, T0),
                        new JobDeregistered(JOB, UID, "the FlinkCluster was deleted", KUBECTL)))
                .when(new dev.savepoints.command.api.CompleteSavepoint(JOB, "t-1", location("t-1")))
                .expectEvents(new SavepointCompleted(JOB, "t-1", FLINK_JOB, TriggerReason.REST, 1L, location("t-1"),
                        T0, T0, false));
    }

    @Test
    void aSavepointIsRejectedForAJobThatIsNotRegistered() {
        at(fixture, registered(plainSettings()), new JobDeregistered(JOB, UID, "the FlinkCluster was deleted", KUBECTL))
                .when(new TriggerSavepoint(JOB, TriggerReason.REST, null, REST_USER))
                .expectEvents(new dev.savepoints.command.api.SavepointRejected(JOB, TriggerReason.REST, null,
                        "the job is not registered", REST_USER));
    }

    @Test
    void rulesAreCheckedInTheOrderTheUserFixesThem() {
        assertThat(JobSettingsRules.firstViolation(null, HOSTS)).contains("the job has no settings");
        assertThat(JobSettingsRules.firstViolation(plainSettings(), HOSTS)).isEmpty();
        // Flink reports locations as file:/path; a location Flink gave must be usable as fromSavepoint.
        assertThat(JobSettingsRules.firstViolation(new JobSettings("file:/tmp/sp", null, null,
                "file:/tmp/sp/savepoint-c0c55c-75ed63ba63b2", false, null, null, false, ARTIFACT), HOSTS)).isEmpty();
        assertThat(JobSettingsRules.firstViolation(new JobSettings("hdfs:relative", null, null, null, false, null, null,
                false, ARTIFACT), HOSTS)).isPresent();
        assertThat(JobSettingsRules.firstViolation(new JobSettings("file:///tmp/sp", 1, null, "/tmp/sp/savepoint-1", false,
                null, 0, false, new JobArtifact("https://example.org/job.jar", null, List.of(), null),
                "http://localhost:8081"), JobManagerHosts.of(List.of("localhost"), null))).isEmpty();
    }

    private static JobSettings withJobManager(String url) {
        return new JobSettings(DIR, null, RestartPolicy.NEVER, null, false, SavepointFormatType.CANONICAL, null, false,
                ARTIFACT, url);
    }

    private static final String NOT_PERMITTED = "the JobManager address may only name a host that "
            + "savepoints.flink.job-manager-hosts permits (.svc, .svc.cluster.local, *-jobmanager.*.svc), was ";

    @Test
    void aJobManagerOutsideTheAllowListIsRejectedWithTheReason() {
        JobSettings metadata = withJobManager("http://169.254.169.254/latest/meta-data");
        fixture.givenNoPriorActivity()
                .when(new RegisterJob(JOB, UID, metadata, KUBECTL))
                .expectEvents(new JobRegistrationRejected(JOB, UID, metadata, NOT_PERMITTED + "'169.254.169.254'", KUBECTL));
        // the host the HTTP client would call, not the one a user info part shows
        JobSettings disguised = withJobManager("http://flink-jobmanager.team-a.svc@evil.example.org:8081");
        fixture.givenNoPriorActivity()
                .when(new RegisterJob(JOB, UID, disguised, KUBECTL))
                .expectEvents(new JobRegistrationRejected(JOB, UID, disguised, NOT_PERMITTED + "'evil.example.org'", KUBECTL));
    }

    @Test
    void aCorrectedJobManagerAddressRegistersTheJob() {
        JobSettings outside = withJobManager("http://flink.example.org:8081");
        JobSettings inCluster = withJobManager("http://analytics-jobmanager.team-a.svc.cluster.local:8081");
        at(fixture, new JobRegistrationRejected(JOB, UID, outside, NOT_PERMITTED + "'flink.example.org'", KUBECTL))
                .when(new RegisterJob(JOB, UID, inCluster, KUBECTL))
                .expectEvents(new JobRegistered(JOB, UID, 1, inCluster, KUBECTL),
                        new JobSubmissionRequested(JOB, ARTIFACT, null, false));
    }

    @Test
    void aChangedJobManagerAddressOutsideTheAllowListIsRejectedAndTheOldOneStays() {
        JobSettings outside = withJobManager("https://flink.example.org");
        at(fixture, running(plainSettings()))
                .when(new ChangeJobSettings(JOB, outside, KUBECTL))
                .expectEvents(new JobSettingsRejected(JOB, outside, NOT_PERMITTED + "'flink.example.org'", KUBECTL))
                .expectState(job -> assertThat(job).extracting("settings").isEqualTo(plainSettings()));
        // (of a job not started yet: for a running one, another JobManager is an upgrade, see UpgradeTest)
        JobSettings corrected = withJobManager("http://flink-jobmanager.default.svc:8081");
        at(fixture, registered(plainSettings()), new JobSettingsRejected(JOB, outside, NOT_PERMITTED
                + "'flink.example.org'", KUBECTL))
                .when(new ChangeJobSettings(JOB, corrected, KUBECTL))
                .expectEvents(new JobSettingsChanged(JOB, corrected, KUBECTL));
    }

    @Test
    void theAllowListTakesSuffixesPatternsAndExactHosts() {
        JobManagerHosts hosts = JobManagerHosts.of(List.of(".svc", "flink.example.org", "10.0.0.7", "[::1]"),
                "https://{name}.jobmanagers.example.net:8443/");
        assertThat(hosts.allowed()).containsExactly(".svc", "flink.example.org", "10.0.0.7", "::1", "*.jobmanagers.example.net");
        assertThat(hosts.permits("a-jobmanager.ns.svc")).isTrue();
        assertThat(hosts.permits("A-JobManager.NS.SVC.")).as("no case, no trailing dot").isTrue();
        assertThat(hosts.permits("svc")).isFalse();
        assertThat(hosts.permits("evilsvc")).isFalse();
        assertThat(hosts.permits("flink.example.org")).isTrue();
        assertThat(hosts.permits("flink.example.org.evil.io")).isFalse();
        assertThat(hosts.permits("10.0.0.7")).isTrue();
        assertThat(hosts.permits("10.0.0.70")).isFalse();
        assertThat(hosts.permits("[::1]")).isTrue();
        assertThat(hosts.permits("analytics.jobmanagers.example.net")).as("the template's host").isTrue();
        assertThat(hosts.permits("jobmanagers.example.net")).isFalse();
        JobManagerHosts any = JobManagerHosts.of(List.of("*"), null);
        assertThat(List.of("metadata.google.internal", "10.0.0.7", "::1")).as("* turns the check off").allMatch(any::permits);
        assertThat(JobSettingsRules.firstViolation(withJobManager("http://[::1]:8081"), hosts)).isEmpty();
        assertThat(JobSettingsRules.firstViolation(withJobManager("http://bad_host.svc:8081"), hosts))
                .contains("the JobManager address names no host that can be checked, was 'http://bad_host.svc:8081'");
    }
}
