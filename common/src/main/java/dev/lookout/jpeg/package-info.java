/**
 * Reading the structure of a JPEG's bytes, untrusted: its marker segments, bounds-checked. Depends on
 * nothing but java.base, and loads nothing more: the receiver's per-connection check uses it.
 */
package dev.lookout.jpeg;
