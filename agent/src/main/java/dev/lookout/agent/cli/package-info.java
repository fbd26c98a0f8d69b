/**
 * The agent's command line (picocli): one class per command, option groups shared between commands,
 * the settings-file defaults, and the one place that maps failures to exit codes. May use every agent package;
 * none of them uses it.
 */
package dev.lookout.agent.cli;
