import type { FastifyRequest } from 'fastify';
import type { Permission } from '@hall/shared';
import type { ServerContext } from '../context';
import { authenticate } from '../http/auth';
import { forbidden } from '../http/errors';
import { effectivePermissions } from './store';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Which console page's permission each API route belongs to. Public reads the kiosks use
 * (services, halls, counters) are not listed: a configurable role narrows what staff do in
 * the console, never what a station reads.
 */
export const ROUTE_PERMISSIONS: Readonly<Record<string, Permission | readonly Permission[]>> = {
  'GET /admin/halls/:hallId/live': 'live',
  'GET /lockers/alerts': 'live',
  'POST /lockers/alerts/:alertId/acknowledge': 'live',
  'GET /stats': 'stats',
  'GET /stats/export': 'stats',
  'GET /stats/export.xlsx': 'stats',
  'GET /halls/:hallId/case-stats': 'stats',
  'GET /stats/trends': 'stats',
  'GET /stats/counter-hours': 'stats',
  'GET /admin/halls/:hallId/rating-outbox': 'stats',
  'GET /admin/halls/:hallId/slip-templates': 'slips',
  'POST /admin/halls/:hallId/slip-templates/preview': 'slips',
  'PUT /admin/halls/:hallId/slip-templates': 'slips',
  'DELETE /admin/halls/:hallId/slip-templates': 'slips',
  'GET /supervision': 'supervision',
  'GET /halls/:hallId/back-office/cases': 'backoffice',
  'GET /halls/:hallId/back-office/cases/:caseId': 'backoffice',
  'POST /halls/:hallId/back-office/cases/:caseId/:action': 'backoffice',
  'GET /halls/:hallId/back-office/notices': 'backoffice',
  'POST /halls/:hallId/back-office/notices/:noticeId/read': 'backoffice',
  'GET /halls/:hallId/back-office/announcements': 'backoffice',
  'POST /halls/:hallId/back-office/announcements/:id/read': 'backoffice',
  'GET /catalogue/halls/:hallId/shared-materials': 'catalogue',
  'PUT /catalogue/halls/:hallId/shared-materials/:id': 'catalogue',
  'DELETE /catalogue/halls/:hallId/shared-materials/:id': 'catalogue',
  'GET /catalogue/halls/:hallId/tags': 'catalogue',
  'GET /services/:id/versions': 'catalogue',
  'GET /services/:id/versions/:version': 'catalogue',
  'GET /services/:id/diff': 'catalogue',
  'GET /catalogue/halls/:hallId/export.xlsx': 'catalogue',
  'POST /catalogue/halls/:hallId/import': 'catalogue',
  'POST /services': 'services',
  'PUT /services/:id': 'services',
  'GET /admin/halls/:hallId/forms': 'forms',
  'PUT /admin/halls/:hallId/forms/:id': 'forms',
  'PUT /halls/:hallId/calling-rules': 'rules',
  'PUT /halls/:hallId/case-rules': 'caseRules',
  'GET /admin/halls/:hallId/staff': 'staff',
  'GET /halls/:hallId/staff': 'staff',
  'POST /staff': 'staff',
  'PATCH /staff/:id': 'staff',
  'PUT /admin/halls/:hallId/staff/:id/assignment': 'staff',
  'GET /admin/halls/:hallId/staff/export.xlsx': 'staff',
  'POST /admin/halls/:hallId/staff/import': 'staff',
  'GET /admin/halls/:hallId/calendar': 'calendar',
  'PUT /admin/halls/:hallId/calendar': 'calendar',
  'GET /admin/halls/:hallId/booking-settings': 'booking',
  'PUT /admin/halls/:hallId/booking-settings': 'booking',
  'GET /admin/halls/:hallId/phone-links': 'booking',
  'PUT /admin/halls/:hallId/phone-links': 'booking',
  'GET /admin/halls/:hallId/devices': 'devices',
  'GET /admin/halls/:hallId/lan-keys': 'devices',
  'POST /admin/halls/:hallId/lan-keys/rotate': 'devices',
  'GET /admin/halls/:hallId/notices': 'notices',
  'PUT /admin/halls/:hallId/notices': 'notices',
  'GET /admin/halls/:hallId/staff-announcements': 'notices',
  'POST /admin/halls/:hallId/staff-announcements': 'notices',
  'POST /admin/halls/:hallId/staff-announcements/:id/withdraw': 'notices',
  'GET /admin/halls/:hallId/sms-templates': 'sms',
  'POST /admin/halls/:hallId/sms-templates/:template/preview': 'sms',
  'PUT /admin/halls/:hallId/sms-templates/:template': 'sms',
  'GET /admin/halls/:hallId/sms-batches': 'smsBatch',
  'GET /admin/halls/:hallId/sms-batches/:batchId': 'smsBatch',
  'POST /admin/halls/:hallId/sms-batches/preview': 'smsBatch',
  'PUT /admin/halls/:hallId/sms-batches/:batchId': 'smsBatch',
  'GET /halls/:hallId/blacklist': 'blacklist',
  'POST /halls/:hallId/blacklist': 'blacklist',
  'POST /blacklist/:id/lift': 'blacklist',
  'PUT /halls/:hallId/no-show-rule': 'blacklist',
  'GET /admin/halls/:hallId/release-passwords': 'release',
  'POST /admin/halls/:hallId/release-passwords': 'release',
  'POST /admin/halls/:hallId/release-passwords/:id/revoke': 'release',
  'GET /admin/halls/:hallId/released-tickets': 'release',
  'GET /admin/halls/:hallId/released-tickets/export': 'release',
  'GET /admin/halls/:hallId/departments': 'departments',
  'POST /admin/halls/:hallId/departments': 'departments',
  'PATCH /admin/halls/:hallId/departments/:id': 'departments',
  'GET /admin/halls/:hallId/roles': 'roles',
  'POST /admin/halls/:hallId/roles': 'roles',
  'PATCH /admin/halls/:hallId/roles/:id': 'roles',
  'PUT /admin/halls/:hallId/staff/:id/roles': 'roles',
  'GET /admin/audit': 'audit',
  'GET /admin/audit/export.csv': 'audit',
  'GET /admin/audit/export.xlsx': 'audit',
  'GET /admin/halls/:hallId/performance': 'performance',
  'POST /admin/halls/:hallId/performance/schemes': 'performance',
  'PUT /admin/halls/:hallId/performance/schemes/:id': 'performance',
  'PUT /admin/halls/:hallId/performance/contacts/:staffId': 'performance',
  'GET /admin/halls/:hallId/performance/events': 'performance',
  'POST /admin/halls/:hallId/performance/events': 'performance',
  'DELETE /admin/halls/:hallId/performance/events/:id': 'performance',
  'GET /admin/halls/:hallId/performance/events/template.csv': 'performance',
  'POST /admin/halls/:hallId/performance/events/import': 'performance',
  'POST /admin/halls/:hallId/performance/appraisals': 'performance',
  'GET /admin/halls/:hallId/performance/appraisals/:id': 'performance',
  'POST /admin/halls/:hallId/performance/appraisals/:id/publish': 'performance',
  'POST /admin/halls/:hallId/performance/appeals/:id/answer': 'performance',
  'GET /admin/halls/:hallId/performance/report': 'performance',
  'GET /performance/mine': 'myPerformance',
  'POST /performance/appraisals/:id/appeal': 'myPerformance',
  'GET /halls/:hallId/handoffs': 'backoffice',
  'GET /halls/:hallId/handoffs/overdue': 'backoffice',
  'POST /halls/:hallId/handoffs/scan': 'backoffice',
  'GET /admin/personal-data-purge': 'booking',
  'PUT /admin/personal-data-purge': 'booking',
  'GET /halls/:hallId/case-rules': 'caseRules',
  'GET /halls/:hallId/no-show-rule': 'blacklist',
  'POST /counters': 'layout',
  // The counters' calling rules are edited on the rules page too.
  'PUT /counters/:id': ['layout', 'rules'],
  'POST /queues': 'layout',
  'PUT /queues/:id': 'layout',
  'POST /sync/devices': 'devices',
  'POST /sync/devices/:id/counter': 'devices',
  'POST /sync/devices/:id/revoke': 'devices',
};

const API_PREFIX = '/api/v1';

/** The permissions any one of which opens a route to a staff member with configured roles; undefined: not a console page's route. */
export function routePermissions(method: string, routeUrl: string): readonly Permission[] | undefined {
  const path = routeUrl.startsWith(API_PREFIX) ? routeUrl.slice(API_PREFIX.length) : routeUrl;
  const entry = ROUTE_PERMISSIONS[`${method.toUpperCase() as Method} ${path}`];
  return entry === undefined ? undefined : typeof entry === 'string' ? [entry] : entry;
}

/**
 * Runs before every API handler: a staff member whose configurable roles lack the page's
 * permission gets 403 whatever their built-in role allows. Without configurable roles
 * nothing changes: the route's own role check decides, as before issue 20.
 */
export function permissionGate(ctx: ServerContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const url = request.routeOptions.url;
    const needed = url === undefined ? undefined : routePermissions(request.method, url);
    if (!needed) return;
    const principal = await authenticate(ctx, request);
    if (!principal || principal.kind !== 'staff') return;
    const effective = await effectivePermissions(ctx.db, principal.id, principal.roles);
    if (effective.configured && !needed.some((p) => effective.permissions.includes(p))) throw forbidden(`your role does not include the ${needed.join(' or ')} permission`);
  };
}
