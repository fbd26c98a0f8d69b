/**
 * Delivery: one upload per batch with a half-close ({@code Sender}), draining the spool ({@code Drainer}),
 * retries with backoff on the running agent's own thread ({@code Courier}). Uses {@code spool} and {@code protocol}.
 */
package dev.lookout.agent.send;
