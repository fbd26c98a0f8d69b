/**
 * The camera side's entry point: {@code Main} hands the command line to {@link dev.lookout.agent.cli.Cli}.
 * Nothing else lives here.
 */
package dev.lookout.agent;
