// The floor under mesh latency: a bare UDP echo in its own process, on loopback.
// IPC out: {port} once bound. IPC in: 'exit'.
import { createSocket } from 'node:dgram';

const socket = createSocket('udp4');
socket.on('message', (datagram, remote) => socket.send(datagram, remote.port, remote.address));
socket.bind(0, '127.0.0.1', () => process.send?.({ port: socket.address().port }));
process.on('message', (message) => {
  if (message === 'exit') socket.close(() => process.exit(0));
});
