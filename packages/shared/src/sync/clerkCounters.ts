/** Where the console's staff assignments live in a catalogue (see CatalogueSchema.clerkCounters). */
export interface ClerkCounterSource {
  clerkCounters?: Readonly<Record<string, readonly string[]>> | undefined;
}

/**
 * Whether a clerk may serve at a counter. A clerk with no assignment (none stored, or an
 * empty counter list) may serve any counter of the hall: that is the hall default, so a hall
 * that never assigns anyone keeps working as before. The station checks it at sign-in and
 * the central API on every counter mutation naming a clerk, with this same rule.
 */
export function clerkMayServe(source: ClerkCounterSource, staffId: string, counterId: string): boolean {
  const counters = source.clerkCounters?.[staffId];
  return counters === undefined || counters.length === 0 || counters.includes(counterId);
}
