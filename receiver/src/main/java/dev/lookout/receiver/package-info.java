/**
 * The laptop side's entry point and what its exit codes mean: {@code Main} sends a handed-over connection
 * down the fast path and everything else to {@link dev.lookout.receiver.cli.Cli}.
 */
package dev.lookout.receiver;
