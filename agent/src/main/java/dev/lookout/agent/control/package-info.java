/**
 * The running agent's local admin socket and its client ({@code ctl}). Knows no command: the answers come
 * from whoever runs the server. Uses no other agent package.
 */
package dev.lookout.agent.control;
