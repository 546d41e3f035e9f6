package io.sparkprop.ml;

/**
 * Hands an instance's uid to Spark's base-class constructors. Spark's Scala classes create their
 * Params (featuresCol, labelCol, ...) while they are constructed, with {@code uid()} as the parent;
 * a Scala subclass has its uid assigned before that, but a Java subclass cannot assign a field
 * before its superclass constructor runs. So a constructor first {@link #hold}s the uid (in the
 * argument of {@code this(...)}), {@code uid()} answers {@link #of} the field, falling back to the
 * held value while the field is still unset, and the constructor {@link #release}s it.
 */
final class ConstructionUid {
    private static final ThreadLocal<String> HELD = new ThreadLocal<>();

    private ConstructionUid() {
    }

    static String hold(String uid) {
        HELD.set(uid);
        return uid;
    }

    static String of(String field) {
        return field != null ? field : HELD.get();
    }

    static void release() {
        HELD.remove();
    }
}
