import type { StationApiHandlers } from '@hall/shared';

/** The handlers of `source` for just these methods: a role serves its own slice and leaves the rest to the station's common ones. */
export function handlersFor(source: StationApiHandlers, methods: readonly string[]): StationApiHandlers {
  const all = source as Record<string, unknown>;
  return Object.fromEntries(methods.filter((method) => all[method] !== undefined).map((method) => [method, all[method]])) as StationApiHandlers;
}
