/**
 * The training run the launcher starts once to make the class-data-sharing archive: real uploads
 * through the per-connection path and a gallery, so the archive holds the classes they load. Uses
 * {@code cli} (the fast path) and {@code gallery}; nothing uses it.
 */
package dev.lookout.receiver.training;
