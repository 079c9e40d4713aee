import type * as Graph from '@microsoft/microsoft-graph-types';

import type { Snapshot } from '../../snapshot/types.js';

/** Indexes the authentication methods registration report by lower-case user id. */
export function registrationsByUserId(snapshot: Snapshot): Map<string, Graph.UserRegistrationDetails> {
  const registrations = new Map<string, Graph.UserRegistrationDetails>();
  for (const details of snapshot.resources.userRegistrationDetails ?? []) {
    if (details.id) registrations.set(details.id.toLowerCase(), details);
  }
  return registrations;
}
