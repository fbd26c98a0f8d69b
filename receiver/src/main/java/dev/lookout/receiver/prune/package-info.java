/**
 * Retention: the oldest images removed by age, size and free space, never what is marked to keep. Uses {@code store}.
 */
package dev.lookout.receiver.prune;
