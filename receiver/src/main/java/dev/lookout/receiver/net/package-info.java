/**
 * A connection as the receiver serves it: bytes in, bytes out, every wait bounded, the peer. Uses {@code protocol}.
 */
package dev.lookout.receiver.net;
