package dev.savepoints.k8s.in;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells apart two settings of the control annotation that the API server records alike: the same value by the same
 * field manager within one second (managedFields keep the time to the second), the first one's control ended and its
 * annotation removed in between. A setting seen gone cannot be seen again, so one that looks like it is a new one,
 * told apart by the resource version at which it was first seen. Kept in memory: after a restart the watcher knows
 * no ended setting, and every setting is known by its managed fields alone, as before (never a second control for
 * one setting, at worst one new setting taken for the old one).
 */
final class AnnotationSettings {

    /** The key of the setting each resource shows now. */
    private final Map<String, String> current = new ConcurrentHashMap<>();
    /** The managed-fields key of the setting each resource showed last, before its annotation was seen gone. */
    private final Map<String, String> ended = new ConcurrentHashMap<>();

    /** The key of the setting {@code uid} shows, known by its managed fields as {@code key}, at {@code resourceVersion}. */
    String keyOf(String uid, String key, String resourceVersion) {
        if (!key.equals(ended.get(uid))) {
            current.put(uid, key);
            return key;
        }
        return current.compute(uid, (u, shown) -> shown != null && shown.startsWith(key + "#") ? shown
                : key + "#" + resourceVersion);
    }

    /** Resource {@code uid} shows no control annotation. */
    void absent(String uid) {
        String shown = current.remove(uid);
        if (shown != null) {
            int renewed = shown.lastIndexOf('#');
            ended.put(uid, renewed < 0 ? shown : shown.substring(0, renewed));
        }
    }

    void forget(String uid) {
        current.remove(uid);
        ended.remove(uid);
    }

    void clear() {
        current.clear();
        ended.clear();
    }
}
