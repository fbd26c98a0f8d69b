/**
 * The running agent: a source's frames through detection, stills into the spool and out to the receiver,
 * schedules, arming and the control socket's answers, wired in one place. Uses the pipeline's packages; only
 * {@code cli} uses it.
 */
package dev.lookout.agent.run;
