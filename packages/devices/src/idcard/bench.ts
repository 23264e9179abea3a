import { performance } from 'node:perf_hooks';
import { openPtyHarness } from '../testing/ptyHarness';
import type { ByteLink } from '../transport/link';
import { SamCommand, encodeBaseInfo, encodeSamCommand, encodeSamReply } from './frame';
import { SamIdCardReader } from './samReader';
import { IdCardSimulator, fillerPhoto } from './simulator';
import { encodeTextBlock } from './text';
import { testResidentCard } from './testCards';

export interface IdCardReadOverhead {
  iterations: number;
  /** Mean time of `reader.read()` (find + select + read base info). */
  meanReadMs: number;
  /** Mean time of the same three exchanges as raw bytes over the same pty, no driver. */
  meanRawExchangeMs: number;
  /** Mean time the simulator itself spent per read (handle + write). */
  meanSimulatorMs: number;
  /**
   * What the driver adds: the median over iterations of (read − raw exchange).
   * The median, because on a loaded machine single runs jump by milliseconds.
   */
  overheadMs: number;
  meanOverheadMs: number;
  p95OverheadMs: number;
}

function waitForBytes(link: ByteLink, count: number): Promise<void> {
  return new Promise((resolve) => {
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received >= count) {
        link.off('data', onData);
        resolve();
      }
    };
    link.on('data', onData);
  });
}

/**
 * Measures the time our ID-card driver adds beyond the device's answer: each
 * iteration places a card and times `read()`; a raw exchange of the same bytes
 * (write command, wait for the known reply length) over the same pty pair,
 * right after it, is the baseline, so socat's relaying and the simulator's work
 * cancel out. `idcard_read_overhead_ms` for the bench is `overheadMs`.
 */
export async function measureIdCardReadOverhead(iterations = 50): Promise<IdCardReadOverhead> {
  const harness = await openPtyHarness();
  const card = { document: testResidentCard(), photo: fillerPhoto(3) };
  const sim = new IdCardSimulator(harness.device);
  const reader = new SamIdCardReader({ link: harness.host, timeoutMs: 2000 });
  sim.start();
  reader.start();
  try {
    await Promise.all([harness.host.waitOpen(3000), harness.device.waitOpen(3000)]);
    const replyLengths = [
      encodeSamReply({ sw1: 0, sw2: 0, sw3: 0x9f, data: new Uint8Array(4) }).length,
      encodeSamReply({ sw1: 0, sw2: 0, sw3: 0x90, data: new Uint8Array(8) }).length,
      encodeSamReply({ sw1: 0, sw2: 0, sw3: 0x90, data: encodeBaseInfo(encodeTextBlock(card.document), card.photo) }).length,
    ];
    const commands = [SamCommand.findCard, SamCommand.selectCard, SamCommand.readBase].map((c) => encodeSamCommand(c));
    const reads: number[] = [];
    const raws: number[] = [];
    let simulatorMs = 0;
    for (let i = 0; i < iterations + 3; i++) {
      sim.placeCard(card);
      const simBefore = sim.totalProcessingMs;
      const started = performance.now();
      const read = await reader.read();
      const readMs = performance.now() - started;
      if (!read) throw new Error('benchmark read found no card');
      const simMs = sim.totalProcessingMs - simBefore;

      // The raw channel would be confused by the driver listening too; the
      // driver only acts on frames it asked for, so it ignores these replies.
      sim.placeCard(card);
      const rawStarted = performance.now();
      for (const [n, command] of commands.entries()) {
        const reply = waitForBytes(harness.host, replyLengths[n] ?? 0);
        await harness.host.write(command);
        await reply;
      }
      const rawMs = performance.now() - rawStarted;
      if (i >= 3) {
        reads.push(readMs);
        raws.push(rawMs);
        simulatorMs += simMs;
      }
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const overheads = reads.map((r, i) => r - (raws[i] ?? 0)).sort((a, b) => a - b);
    const round = (x: number): number => Math.round(x * 1000) / 1000;
    return {
      iterations,
      meanReadMs: round(mean(reads)),
      meanRawExchangeMs: round(mean(raws)),
      meanSimulatorMs: round(simulatorMs / iterations),
      overheadMs: round(overheads[Math.floor(overheads.length / 2)] ?? 0),
      meanOverheadMs: round(mean(reads) - mean(raws)),
      p95OverheadMs: round(overheads[Math.floor(overheads.length * 0.95)] ?? 0),
    };
  } finally {
    await reader.close();
    await harness.close();
  }
}
