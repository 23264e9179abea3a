import { TypedEmitter } from './transport/typedEmitter';

/**
 * Health every device reports the same way, so any app can show it without
 * knowing the device class. `level` is the worst of the current issues.
 */
export type HealthLevel = 'ok' | 'warning' | 'error' | 'offline';

export interface HealthIssue {
  /** Stable machine code, e.g. `reader-absent`, `paper-out`, `door-left-open`. */
  code: string;
  level: Exclude<HealthLevel, 'ok'>;
  /** Short English text for technicians; UIs translate by `code`. */
  message: string;
}

export interface DeviceHealth {
  device: string;
  level: HealthLevel;
  connected: boolean;
  issues: HealthIssue[];
  /** ISO timestamp of the last change of level or issues. */
  since: string;
}

const severity: Record<HealthLevel, number> = { ok: 0, warning: 1, error: 2, offline: 3 };

export function worstLevel(issues: readonly HealthIssue[], connected: boolean): HealthLevel {
  if (!connected) return 'offline';
  return issues.reduce<HealthLevel>((worst, issue) => (severity[issue.level] > severity[worst] ? issue.level : worst), 'ok');
}

export type HealthEvents = { health: [health: DeviceHealth] };

/** Keeps one device's issues keyed by code and emits `health` only on change. */
export class HealthTracker extends TypedEmitter<HealthEvents> {
  #connected = false;
  readonly #issues = new Map<string, HealthIssue>();
  #snapshot: DeviceHealth;

  constructor(
    private readonly device: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
    this.#snapshot = this.#build();
  }

  get current(): DeviceHealth {
    return this.#snapshot;
  }

  setConnected(connected: boolean): void {
    if (connected === this.#connected) return;
    this.#connected = connected;
    this.#changed();
  }

  raise(issue: HealthIssue): void {
    const existing = this.#issues.get(issue.code);
    if (existing && existing.level === issue.level && existing.message === issue.message) return;
    this.#issues.set(issue.code, issue);
    this.#changed();
  }

  clear(code: string): void {
    if (this.#issues.delete(code)) this.#changed();
  }

  #build(): DeviceHealth {
    const issues = [...this.#issues.values()];
    return {
      device: this.device,
      level: worstLevel(issues, this.#connected),
      connected: this.#connected,
      issues,
      since: this.now().toISOString(),
    };
  }

  #changed(): void {
    this.#snapshot = this.#build();
    this.emit('health', this.#snapshot);
  }
}
