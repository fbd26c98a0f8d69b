/**
 * {@code setup}: the settings file edited as a person would, the key put in place. Uses {@code protocol}
 * (the key) and {@code common} (durable writes).
 */
package dev.lookout.agent.setup;
