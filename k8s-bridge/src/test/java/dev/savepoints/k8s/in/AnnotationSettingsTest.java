package dev.savepoints.k8s.in;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One key per setting of the control annotation, also for two settings the API server records alike. */
class AnnotationSettingsTest {

    private static final String KEY = "kubectl-annotate@2026-12-04T05:00:00Z:savepoint";

    @Test
    void aSettingKeepsItsKeyWhileItIsShownAndAnotherOfTheSameSecondGetsItsOwn() {
        AnnotationSettings settings = new AnnotationSettings();
        assertThat(settings.keyOf("uid", KEY, "10")).isEqualTo(KEY);
        assertThat(settings.keyOf("uid", KEY, "11")).as("a resync of the same setting").isEqualTo(KEY);
        settings.absent("uid");
        String again = settings.keyOf("uid", KEY, "13");
        assertThat(again).isEqualTo(KEY + "#13");
        assertThat(settings.keyOf("uid", KEY, "14")).as("its resyncs").isEqualTo(again);
        settings.absent("uid");
        assertThat(settings.keyOf("uid", KEY, "16")).as("a third one").isEqualTo(KEY + "#16");
    }

    @Test
    void aSettingOfAnotherSecondOrResourceIsKnownByItsManagedFieldsAlone() {
        AnnotationSettings settings = new AnnotationSettings();
        settings.keyOf("uid", KEY, "10");
        settings.absent("uid");
        String later = "kubectl-annotate@2026-12-04T05:00:01Z:savepoint";
        assertThat(settings.keyOf("uid", later, "12")).isEqualTo(later);
        assertThat(settings.keyOf("other", KEY, "12")).isEqualTo(KEY);
        settings.absent("never-shown");
        assertThat(settings.keyOf("never-shown", KEY, "20")).isEqualTo(KEY);
    }
}
