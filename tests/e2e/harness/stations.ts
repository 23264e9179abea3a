// Real stations for end-to-end tests, each with its own data dir, enrolled with the central API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStationConfig, startStation, type StationConfig, type StationRuntime, type SyncEngineOptions } from '@hall/station';
import { signInStationClerk } from '@hall/station/testing';
import type { HallCentral, StationRoleName } from './central';

/** Sync tuned for tests: quick polls and short backoff so reconnects happen within a test. */
export const FAST_SYNC: SyncEngineOptions = { pollIntervalMs: 300, backoffBaseMs: 50, backoffMaxMs: 500, stallMs: 5000 };

export interface StationSpec {
  deviceId: string;
  role: StationRoleName;
  counterId?: string;
  /** Browser mode: where the built renderer is served from. */
  rendererDir?: string;
  /** A plain counter station's clerk, signed in through the central API once it runs (its counter mutations carry the session's proof). */
  clerk?: { login: string; password: string };
}

/** Enrolls the device and returns its validated station config in a fresh data dir. */
export async function enrolledConfig(central: HallCentral, spec: StationSpec): Promise<StationConfig> {
  const dataDir = mkdtempSync(join(tmpdir(), `hall-e2e-${spec.deviceId}-`));
  const code = await central.enrollmentCode(spec.deviceId, spec.role, spec.counterId);
  return parseStationConfig({
    hallId: central.hallId,
    role: spec.role,
    deviceId: spec.deviceId,
    ...(spec.counterId ? { counterId: spec.counterId } : {}),
    apiUrl: central.url,
    enrollment: { code, credentialPath: join(dataDir, 'credential') },
    dataDir,
    host: { bind: '127.0.0.1', port: 0, ...(spec.rendererDir ? { rendererDir: spec.rendererDir } : {}) },
  });
}

/** A station with the core API only (kiosk issuing, counter calling): the shared runtime. */
export async function startPlainStation(central: HallCentral, spec: StationSpec): Promise<StationRuntime> {
  const runtime = await startStation(await enrolledConfig(central, spec), { sync: FAST_SYNC });
  if (spec.clerk) await signInStationClerk(runtime, spec.clerk.login, spec.clerk.password);
  return runtime;
}

/**
 * Another page of a station (a path, perhaps with a query) with the launch token of the
 * station's printed URL kept in the fragment, where the page reads it.
 */
export function stationPage(url: string, pathAndQuery: string): string {
  const { origin, hash } = new URL(url);
  return `${origin}${pathAndQuery}${hash}`;
}

/** Polls `check` until it holds; throws with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  if (!(await check())) throw new Error(`timed out waiting for ${what}`);
}

/** The kiosk has the catalogue and leased numbers for the queue: it can issue offline from now on. */
export function canIssue(kiosk: StationRuntime, queueId: string): boolean {
  return kiosk.core.store.catalogue !== undefined && kiosk.core.store.remainingNumbers(queueId, kiosk.core.today()) > 0;
}
