/**
 * The wire format both programs speak: framed images, their header and cipher, reply lines, error codes,
 * addresses, camera names and the key file. Depends on nothing but the JDK.
 */
package dev.lookout.protocol;
