/**
 * The counter's renderer reaches its station over the loopback WebSocket served by the
 * main process (see main/electron.ts), so the preload exposes nothing: no Node, no IPC
 * surface a compromised page could use.
 */
export {};
