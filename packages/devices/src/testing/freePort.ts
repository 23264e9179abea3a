import { createServer } from 'node:net';

/** A loopback port nothing listens on now: the OS hands it out, so parallel test files do not collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port handed out'))));
    });
  });
}
