/** Roles that manage a hall in the console (everything but the back office's own work). */
export const MANAGING_ROLES = ['hall_manager', 'supervisor', 'city_admin'] as const;
/** Roles the console lets in: managers, officers for the back office (后台审批), clerks for their own appraisal (窗口绩效). */
export const CONSOLE_ROLES: readonly string[] = [...MANAGING_ROLES, 'officer', 'clerk'];

export const isManaging = (roles: readonly string[]): boolean => roles.some((r) => (MANAGING_ROLES as readonly string[]).includes(r));
export const mayUseConsole = (roles: readonly string[]): boolean => roles.some((r) => CONSOLE_ROLES.includes(r));
