/**
 * The exit codes both programs share ({@code sysexits.h} numbers) and the one user-facing failure. Depends on nothing.
 */
package dev.lookout.exit;
