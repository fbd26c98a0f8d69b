/**
 * Copies stored stills to an S3-compatible bucket: each upload a conditional create whose copy the
 * store confirms, recorded durably under the image root so that a run does only new work. The only
 * package that loads the AWS SDK; the per-connection path never reaches it. Uses {@code store}.
 */
package dev.lookout.receiver.archive;
