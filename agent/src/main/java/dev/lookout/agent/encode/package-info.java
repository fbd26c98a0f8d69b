/**
 * A still's bytes: the camera's own JPEG (or the frame encoded) with the Exif block that says who and when.
 * Uses {@code detect} (the still) only.
 */
package dev.lookout.agent.encode;
