import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '@hall/shared';
import { createAppI18n } from '../i18n/index';
import { syncIndicator } from './syncIndicator';

const base: SyncStatus = { online: true, pending: 0, rejected: 0, oldestPendingAgeSeconds: null, lastSyncAt: null, lastError: null, cursor: 0 };
const since = '2026-03-02T06:00:00.000Z';
const connected: SyncStatus = { ...base, hall: { mode: 'connected', peers: 3, peerPending: 0, since } };
const mesh = (peers: number): SyncStatus => ({ ...base, online: false, pending: 4, hall: { mode: 'mesh', peers, peerPending: 2, since } });
const alone: SyncStatus = { ...base, online: false, pending: 1, hall: { mode: 'alone', peers: 0, peerPending: 0, since } };

const i18n = createAppI18n({ 'zh-CN': {}, en: {} });
const zh = i18n.getFixedT('zh-CN', 'ui');
const en = i18n.getFixedT('en', 'ui');

describe('sync indicator', () => {
  it('names the three hall states in Chinese and English', () => {
    expect(syncIndicator(connected, 'open', zh)).toMatchObject({ state: 'online', mode: 'connected', label: '已连接中心' });
    expect(syncIndicator(mesh(3), 'open', zh)).toMatchObject({ state: 'offline', mode: 'mesh', label: '中心服务不可达，与本厅 3 台设备协同工作', pending: 4 });
    expect(syncIndicator(alone, 'open', zh)).toMatchObject({ state: 'offline', mode: 'alone', label: '单机工作', pending: 1 });
    expect(syncIndicator(connected, 'open', en).label).toBe('Connected');
    expect(syncIndicator(mesh(1), 'open', en).label).toBe('Central API unreachable — working with 1 station of the hall');
    expect(syncIndicator(mesh(3), 'open', en).label).toBe('Central API unreachable — working with 3 stations of the hall');
    expect(syncIndicator(alone, 'open', en).label).toBe('Working alone');
  });

  it('keeps the kiosk calm: a short line, the full one as detail', () => {
    expect(syncIndicator(mesh(3), 'open', zh, 'calm')).toMatchObject({ label: '本厅协同工作', detail: '中心服务不可达，与本厅 3 台设备协同工作' });
    expect(syncIndicator(alone, 'open', en, 'calm').label).toBe('Working alone');
    expect(syncIndicator(connected, 'open', zh, 'calm').label).toBe('已连接中心');
  });

  it('says when the station itself is away, and falls back to online/offline without a hall link', () => {
    expect(syncIndicator(undefined, 'connecting', zh)).toMatchObject({ state: 'lost', label: '连接中' });
    expect(syncIndicator(connected, 'closed', zh)).toMatchObject({ state: 'lost', label: '本机服务未连接' });
    expect(syncIndicator(base, 'open', zh)).toMatchObject({ state: 'online', mode: undefined, label: '联网' });
    expect(syncIndicator({ ...base, online: false }, 'open', en)).toMatchObject({ state: 'offline', label: 'Offline' });
  });

  it('warns when the station clock is more than a minute off the server, in Chinese and English', () => {
    const fast = { ...connected, clockOffsetMs: -5 * 60_000 - 400 };
    expect(syncIndicator(fast, 'open', zh).clockWarning).toBe('本机时钟与服务器相差 5 分钟，请联系管理员校准');
    expect(syncIndicator({ ...connected, clockOffsetMs: 90_000 }, 'open', en).clockWarning).toBe("This PC's clock is 2 min off the server's; please ask the administrator to set it");
    expect(syncIndicator(fast, 'open', zh, 'calm').clockWarning).toBeDefined();
    expect(syncIndicator({ ...connected, clockOffsetMs: 59_000 }, 'open', zh).clockWarning).toBeUndefined();
    expect(syncIndicator({ ...connected, clockOffsetMs: null }, 'open', zh).clockWarning).toBeUndefined();
    expect(syncIndicator(fast, 'closed', zh).clockWarning).toBeUndefined();
  });
});
