/**
 * Whether bytes are one complete JPEG, without decoding it. Uses {@code protocol} (the error codes) only.
 */
package dev.lookout.receiver.validate;
