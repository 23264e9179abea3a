/** The central API as the console uses it: bearer session token, JSON errors with a message. */
export const API = '/api/v1';

export interface StaffSession {
  token: string;
  staff: { id: string; login: string; displayName: string; hallId: string | null; roles: string[] };
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** What the server said beyond the message (an import's bad rows). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const SESSION_KEY = 'hall-console-session';

export function loadSession(): StaffSession | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as StaffSession;
  } catch {
    return null;
  }
}

export function saveSession(session: StaffSession | null): void {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

async function failure(response: Response): Promise<ApiFailure> {
  try {
    // Most routes answer {error: {code, message}}; a refused case step answers {error: code, message}.
    const body = (await response.json()) as { error?: string | { code?: string; message?: string; details?: unknown }; message?: string };
    if (typeof body.error === 'string') return new ApiFailure(response.status, body.error, body.message ?? response.statusText);
    return new ApiFailure(response.status, body.error?.code ?? 'error', body.error?.message ?? response.statusText, body.error?.details);
  } catch {
    return new ApiFailure(response.status, 'error', response.statusText);
  }
}

export async function request<T>(session: StaffSession | null, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${API}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Downloads an authenticated file (exports) through a temporary object URL. */
export async function download(session: StaffSession, path: string, fallbackName: string): Promise<void> {
  const response = await fetch(`${API}${path}`, { headers: { authorization: `Bearer ${session.token}` } });
  if (!response.ok) throw await failure(response);
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
