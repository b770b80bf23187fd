/** Who is asking: the authenticated subject and their role. */
export type Actor =
  { readonly role: 'anonymous' } | { readonly role: 'customer'; readonly id: string } | { readonly role: 'admin'; readonly id: string };

export const ANONYMOUS: Actor = { role: 'anonymous' };

/** How the actor is recorded in event metadata, e.g. `customer:alice`. */
export function actorName(actor: Actor): string {
  return actor.role === 'anonymous' ? 'anonymous' : `${actor.role}:${actor.id}`;
}
