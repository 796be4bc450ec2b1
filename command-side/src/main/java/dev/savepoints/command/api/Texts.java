package dev.savepoints.command.api;

/**
 * How a value given by a user is cut where it is shown or stored, so that no input, however long, makes a message
 * unreadable or stalls a read model on a bounded column.
 */
public final class Texts {

    private Texts() {
    }

    /** The value, or when longer than {@code longest} its first {@code kept} characters and its length. */
    public static String abbreviate(String value, int longest, int kept) {
        if (value == null) {
            return "";
        }
        return value.length() <= longest ? value : value.substring(0, kept) + "…(" + value.length() + " characters)";
    }

    /** {@link #abbreviate(String, int, int)} keeping {@code longest} characters. */
    public static String abbreviate(String value, int longest) {
        return abbreviate(value, longest, longest);
    }

    /** The value cut to at most {@code width} characters, the last of them a mark that it was cut; null stays null. */
    public static String fit(String value, int width) {
        return value == null || value.length() <= width ? value : value.substring(0, width - 1) + "…";
    }
}
