// The back office (后台审批) as tests drive it: an officer of a department, signed in to the
// central API, taking case steps over HTTP like the console does.
import type { HallCentral } from './central';

export interface Officer {
  id: string;
  /** POST /halls/:hallId/back-office/cases/:caseId/<action>; throws with the API's answer unless 200. */
  /** GET /halls/:hallId/back-office/cases/:caseIdOrNumber: the central case. */
  get(caseId: string): Promise<Record<string, unknown>>;
  act(caseId: string, action: 'approve' | 'deny' | 'supplement' | 'complete' | 'answer-consult' | 'transfer', body?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

async function post(url: string, token: string | undefined, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Creates an officer of `departmentId` as the hall manager (POST /staff) and signs them in. */
export async function createOfficer(
  central: Pick<HallCentral, 'url' | 'hallId'>,
  manager: { login: string; password: string },
  officer: { id: string; departmentId: string; password: string },
): Promise<Officer> {
  const api = `${central.url}/api/v1`;
  const managerLogin = await post(`${api}/auth/login`, undefined, manager);
  if (managerLogin.status !== 200) throw new Error(`manager login: ${managerLogin.status}`);
  const created = await post(`${api}/staff`, managerLogin.json.token as string, {
    id: officer.id,
    hallId: central.hallId,
    login: officer.id,
    displayName: '审*',
    staffNumber: officer.id.slice(-6),
    departmentId: officer.departmentId,
    roles: ['officer'],
    password: officer.password,
  });
  if (created.status !== 201) throw new Error(`officer: ${created.status} ${JSON.stringify(created.json)}`);
  const login = await post(`${api}/auth/login`, undefined, { login: officer.id, password: officer.password });
  if (login.status !== 200) throw new Error(`officer login: ${login.status}`);
  const token = login.json.token as string;
  return {
    id: officer.id,
    async get(caseId) {
      const response = await fetch(`${api}/halls/${central.hallId}/back-office/cases/${caseId}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`case ${caseId}: ${response.status}`);
      return ((await response.json()) as { case: Record<string, unknown> }).case;
    },
    async act(caseId, action, body = {}) {
      const done = await post(`${api}/halls/${central.hallId}/back-office/cases/${caseId}/${action}`, token, body);
      if (done.status !== 200) throw new Error(`${action}: ${done.status} ${JSON.stringify(done.json)}`);
      return done.json;
    },
  };
}
