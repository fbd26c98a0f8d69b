/**
 * The image tree: each image stored atomically and durably under a timestamped name, once per image id,
 * and the tree read back for the gallery and retention. Uses {@code protocol} and {@code common}.
 */
package dev.lookout.receiver.store;
