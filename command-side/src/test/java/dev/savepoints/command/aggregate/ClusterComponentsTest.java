package dev.savepoints.command.aggregate;

import static dev.savepoints.command.aggregate.FlinkJobFixture.*;

import dev.savepoints.command.api.ClusterComponent;
import dev.savepoints.command.api.ClusterComponents;
import dev.savepoints.command.api.ClusterComponentsObserved;
import dev.savepoints.command.api.DeregisterJob;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.ReportClusterComponents;
import dev.savepoints.command.api.status.ComponentState;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the bridge sees of the Flink cluster it created for a job is recorded when it changes, and only then. */
class ClusterComponentsTest {

    static ClusterComponents components(int readyTaskManagers) {
        return new ClusterComponents(ClusterComponent.of("sample-configmap", ComponentState.READY),
                new ClusterComponent("sample-jobmanager", ComponentState.READY, 1, 1),
                ClusterComponent.of("sample-jobmanager", ComponentState.READY),
                new ClusterComponent("sample-taskmanager", readyTaskManagers == 2 ? ComponentState.READY
                        : ComponentState.NOT_READY, 2, readyTaskManagers));
    }

    private AggregateTestFixture<FlinkJob> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    @Test
    void aFirstSightIsRecorded() {
        at(fixture, registered(plainSettings()))
                .when(new ReportClusterComponents(JOB, UID, components(1)))
                .expectEvents(new ClusterComponentsObserved(JOB, components(1)));
    }

    @Test
    void theSameSightAgainRecordsNothingAndAChangeIsRecorded() {
        at(fixture, registered(plainSettings()), new ClusterComponentsObserved(JOB, components(1)))
                .when(new ReportClusterComponents(JOB, UID, components(1)))
                .expectNoEvents();
        at(fixture, registered(plainSettings()), new ClusterComponentsObserved(JOB, components(1)))
                .when(new ReportClusterComponents(JOB, UID, components(2)))
                .expectEvents(new ClusterComponentsObserved(JOB, components(2)));
    }

    @Test
    void aSightOfAnotherResourceOrOfADeregisteredJobIsNotRecorded() {
        at(fixture, registered(plainSettings()))
                .when(new ReportClusterComponents(JOB, "another-uid", components(2)))
                .expectNoEvents();
        at(fixture, registered(plainSettings()), new JobDeregistered(JOB, UID, "deleted", KUBECTL))
                .when(new ReportClusterComponents(JOB, UID, components(2)))
                .expectNoEvents();
    }
}
