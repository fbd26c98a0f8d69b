/**
 * A program's settings file: keys are the long option names. Uses {@code exit} for its failures.
 */
package dev.lookout.settings;
