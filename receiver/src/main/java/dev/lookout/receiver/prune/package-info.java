/**
 * Retention: the oldest images removed by age, size and free space, never what is marked to keep
 * (and, with {@code --archived-only}, never what is not archived). Uses {@code store} and the archive's
 * record ({@code archive.DayRecord}).
 */
package dev.lookout.receiver.prune;
