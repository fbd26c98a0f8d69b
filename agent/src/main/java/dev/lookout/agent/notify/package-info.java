/**
 * Telling the house: events, stills, arming and the camera's health published over MQTT for Home
 * Assistant (topics, discovery, the last will), on a thread of its own with a bounded queue, and
 * the house's commands handed to the agent's control answers. Uses {@code send} (its backoff) only.
 */
package dev.lookout.agent.notify;
