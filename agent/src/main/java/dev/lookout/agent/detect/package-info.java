/**
 * Detection: the luma motion algorithm plugged into webcam-capture's motion detector, masks, events and
 * which stills of an event go out; {@code Score} judges decisions against labels. Uses {@code capture} (frames) only.
 */
package dev.lookout.agent.detect;
