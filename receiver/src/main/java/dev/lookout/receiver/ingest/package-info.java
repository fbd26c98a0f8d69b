/**
 * Serving one connection: frames or a raw JPEG read until the client half-closes, each checked, stored
 * and answered with one reply line. Uses {@code net}, {@code validate}, {@code store} and {@code protocol}.
 */
package dev.lookout.receiver.ingest;
