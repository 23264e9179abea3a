// The sync client refuses an answer that belongs to another request (HTTP/1.1 pairs them
// only by order on a connection; a slipped order must not reach the store).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mutation, PullResponse, PushResponse } from '@hall/shared';
import { SyncClient, SyncHttpError } from './client';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A central API stand-in that answers every request with the next body given. */
async function answering(bodies: unknown[]): Promise<SyncClient> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(bodies.shift()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return new SyncClient({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 2000 });
}

const EPOCH = 'epoch-1';
function mutation(seq: number, id: string): Mutation {
  return { id, deviceId: 'k1', epoch: EPOCH, seq, type: 'issueTicket', payload: {}, hlc: `0000000000001:${seq}:k1` };
}

async function rejection(promise: Promise<unknown>): Promise<SyncHttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SyncHttpError);
  return error as SyncHttpError;
}

describe('sync client answers', () => {
  it('refuses a pull page that does not continue from the cursor it asked after', async () => {
    // An empty page for cursor 5: the answer to an earlier pull. Applied, it would move a
    // station at 9 back to 5; the answer to its next pull (after 9) would then skip 6..9.
    const stale: PullResponse = { kind: 'page', entries: [], cursor: 5, hasMore: false, head: 5 };
    const current: PullResponse = { kind: 'page', entries: [], cursor: 9, hasMore: false, head: 9 };
    const client = await answering([stale, current]);
    const error = await rejection(client.pull(9, 100));
    expect(error.code).toBe('malformed_response');
    expect(error.transient).toBe(true);
    expect(await client.pull(9, 100)).toEqual(current);
  });

  it("refuses push results for another batch's mutations", async () => {
    const mine = [mutation(3, '01900000-0000-7000-8000-000000000003')];
    // Another station's batch (its seq 3 too): its verdict must not mark this station's seq 3.
    const theirs: PushResponse = { results: [{ id: '01900000-0000-7000-8000-0000000000ff', seq: 3, status: 'applied', logSeq: 40 }], lastSeq: 3 };
    const answer: PushResponse = { results: [{ id: mine[0]!.id, seq: 3, status: 'rejected', code: 'clock_skew', reason: 'ahead' }], lastSeq: 3 };
    const client = await answering([theirs, answer]);
    const error = await rejection(client.push(EPOCH, mine));
    expect(error.code).toBe('malformed_response');
    expect(error.transient).toBe(true);
    expect(await client.push(EPOCH, mine)).toEqual(answer);
  });
});
