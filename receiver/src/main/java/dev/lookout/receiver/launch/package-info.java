/**
 * How the receiver runs: one handed-over connection, an inherited listening socket, or {@code --listen}.
 * Uses {@code ingest} and {@code net}.
 */
package dev.lookout.receiver.launch;
