/**
 * The static HTML gallery written into the image root, with thumbnails made once. Uses {@code store}.
 */
package dev.lookout.receiver.gallery;
