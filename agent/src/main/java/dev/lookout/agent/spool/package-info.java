/**
 * The durable outbox: each still in the one form it travels in ({@code Upload}), kept until the receiver's
 * {@code OK}. Uses the wire format and durable files from {@code protocol} and {@code common}.
 */
package dev.lookout.agent.spool;
