/**
 * Timed work on Quartz (snapshot schedules, retries) and the arming windows. Uses no other agent package.
 */
package dev.lookout.agent.schedule;
