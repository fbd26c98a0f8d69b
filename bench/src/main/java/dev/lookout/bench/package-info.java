/**
 * The benchmarks {@code bench/run} starts: each prints its figures and the same-run comparison
 * docs/BENCHMARKS.md records. Uses the programs' packages; nothing uses it.
 */
package dev.lookout.bench;
