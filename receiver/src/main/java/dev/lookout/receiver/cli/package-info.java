/**
 * The receiver's command line (picocli): its commands, its settings declared once, the config file, and
 * the fast path a per-connection start takes without picocli (with the JCA provider order it sets).
 * May use every receiver package.
 */
package dev.lookout.receiver.cli;
