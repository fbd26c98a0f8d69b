/**
 * Files that survive a crash or a power cut whole or not at all. Depends on nothing.
 */
package dev.lookout.files;
