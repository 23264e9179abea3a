/**
 * Login abuse controls, decided before any password is checked (so parallel guesses cannot
 * slip past a limit while earlier ones are still hashing):
 *
 * 1. a global budget of attempts per minute (a flood from many addresses cannot starve
 *    the server's CPU with password hashing);
 * 2. a per-address budget of attempts: every attempt takes a slot up front and a
 *    successful login gives its slot back, so a hall of clerks behind one NAT address
 *    signing in at opening time is never limited, while a guesser is;
 * 3. a per-(account, address) budget of wrong passwords: an address that guessed wrong
 *    too often for one account is shut out of that account for a short while; the clerk
 *    signing in from their own counter is not. The account-wide lockout (in the database,
 *    shared by every instance) is only a backstop against guessing from many addresses.
 *
 * State is per instance and in memory: behind a load balancer with N instances an address
 * gets at most N times the budget, which the account-wide backstop bounds.
 */
export interface LoginPolicy {
  /** Attempts per address per window, counted before the password is checked; a success is refunded. */
  perAddressAttempts: number;
  /** Wrong passwords per account from one address per window; then that address is shut out of that account for the window. */
  perAccountAddressFailures: number;
  windowMinutes: number;
  /** Attempts per minute over all addresses. */
  globalAttemptsPerMinute: number;
  /** Wrong passwords in a row for one account from any address before it is locked for everyone (backstop). */
  accountFailures: number;
  accountLockoutMinutes: number;
  sessionHours: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  perAddressAttempts: 20,
  perAccountAddressFailures: 5,
  windowMinutes: 15,
  globalAttemptsPerMinute: 600,
  accountFailures: 50,
  accountLockoutMinutes: 15,
  sessionHours: 12,
};

interface Window {
  count: number;
  resetAt: number;
}

export type Refusal = { ok: false; reason: 'global' | 'address' | 'account_address'; retryAfterSeconds: number };

/** A slot taken for one attempt; settle it exactly once with the outcome. */
export interface AttemptTicket {
  /** The password was right: the address slot is given back and the account's count from this address cleared. */
  succeeded(accountId: string): void;
  /** Wrong password (or unknown login): the slot stays spent. */
  failed(): void;
}

export class LoginGuard {
  readonly policy: LoginPolicy;
  readonly #byAddress = new Map<string, Window>();
  readonly #byAccountAddress = new Map<string, Window>();
  #global: Window = { count: 0, resetAt: 0 };
  #sweepAt = 0;

  constructor(policy: Partial<LoginPolicy> = {}, private readonly now: () => number = Date.now) {
    this.policy = { ...DEFAULT_LOGIN_POLICY, ...policy };
  }

  #window(map: Map<string, Window>, key: string, now: number): Window {
    let w = map.get(key);
    if (!w || w.resetAt <= now) map.set(key, (w = { count: 0, resetAt: now + this.policy.windowMinutes * 60_000 }));
    return w;
  }

  #sweep(now: number): void {
    if (now < this.#sweepAt) return;
    this.#sweepAt = now + 60_000;
    for (const map of [this.#byAddress, this.#byAccountAddress]) for (const [k, w] of map) if (w.resetAt <= now) map.delete(k);
  }

  /** Takes the address's and the global slot synchronously: call before anything is awaited. */
  begin(address: string): AttemptTicket | Refusal {
    const now = this.now();
    this.#sweep(now);
    if (this.#global.resetAt <= now) this.#global = { count: 0, resetAt: now + 60_000 };
    if (this.#global.count >= this.policy.globalAttemptsPerMinute) return refuse('global', this.#global.resetAt - now);
    const byAddress = this.#window(this.#byAddress, address, now);
    if (byAddress.count >= this.policy.perAddressAttempts) return refuse('address', byAddress.resetAt - now);
    this.#global.count += 1;
    byAddress.count += 1;
    let settled = false;
    return {
      succeeded: (accountId) => {
        if (settled) return;
        settled = true;
        if (this.#byAddress.get(address) === byAddress) byAddress.count = Math.max(0, byAddress.count - 1);
        this.#byAccountAddress.delete(`${accountId}\u0000${address}`);
      },
      failed: () => {
        settled = true;
      },
    };
  }

  /**
   * Takes a guess at one account from one address, before its password is checked: refused
   * once the address has used up its wrong guesses at this account. A success clears it.
   */
  guessAt(accountId: string, address: string): number | Refusal {
    const now = this.now();
    const w = this.#window(this.#byAccountAddress, `${accountId}\u0000${address}`, now);
    if (w.count >= this.policy.perAccountAddressFailures) return refuse('account_address', w.resetAt - now);
    w.count += 1;
    return w.count;
  }
}

function refuse(reason: Refusal['reason'], ms: number): Refusal {
  return { ok: false, reason, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) };
}

export function isRefusal(value: AttemptTicket | Refusal): value is Refusal {
  return 'ok' in value && value.ok === false;
}
