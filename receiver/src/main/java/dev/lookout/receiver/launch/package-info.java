/**
 * How the receiver runs: one handed-over connection, an inherited listening socket, or {@code --listen};
 * and the class-data training run the launcher starts. Uses {@code ingest}, {@code net}, {@code gallery}.
 */
package dev.lookout.receiver.launch;
