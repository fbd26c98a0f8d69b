/**
 * Standard error as the systemd journal reads it (priorities, one line per message). Depends on nothing.
 */
package dev.lookout.journal;
