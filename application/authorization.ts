/**
 * Authorization: the one place that says who may do what.
 *
 * - Access rules guard every root field (query, mutation, subscription) by role; each capability
 *   declares its own (server/capabilities/), the composition root applies them to the schema, and a
 *   test checks that no root field is left without a rule.
 * - The object rules below decide per document (whose order is this?) and are called by the
 *   services that load those documents. A customer asking for someone else's order is told it
 *   does not exist, so ids cannot be probed.
 */
import { DomainError, NotFoundError } from '../domain/errors';
import type { Actor } from './actor';

export class UnauthenticatedError extends DomainError.withCode('UNAUTHENTICATED') {}

export class ForbiddenError extends DomainError.withCode('FORBIDDEN') {}

/** `anyone`: also anonymous; `customer`: a signed-in customer or an admin; `admin`: admins only. */
export type Rule = 'anyone' | 'customer' | 'admin';

/** Who may call each root field, by its coordinate (`Query.order`): each capability declares its own. */
export type AccessRules = Readonly<Record<string, Rule>>;

export function authorizeField(actor: Actor, rules: AccessRules, field: string): void {
  const rule = rules[field];
  if (rule === undefined) throw new ForbiddenError(`No access rule for ${field}`);
  if (rule === 'anyone') return;
  if (actor.role === 'anonymous') throw new UnauthenticatedError('Sign in to do this');
  if (rule === 'admin' && actor.role !== 'admin') throw new ForbiddenError('Only an admin may do this');
}

/** Whether the actor may see an order of this customer. */
export function canSeeCustomerOrders(actor: Actor, customerId: string): boolean {
  return actor.role === 'admin' || (actor.role === 'customer' && actor.id === customerId);
}

/** The customer an actor acts for: customers only for themselves, admins for anyone. */
export function customerIdFor(actor: Actor, requested: string | null | undefined): string {
  if (actor.role === 'admin') {
    if (!requested) throw new ForbiddenError('An admin must name the customer');
    return requested;
  }
  if (actor.role !== 'customer') throw new UnauthenticatedError('Sign in to do this');
  if (requested && requested !== actor.id) throw new ForbiddenError('Customers act only for themselves');
  return actor.id;
}

/** Hides orders the actor may not see, exactly as if they did not exist. */
export function requireOrderAccess<Order extends { readonly customerId: string }>(actor: Actor, order: Order | null, id: string): Order {
  if (!order || !canSeeCustomerOrders(actor, order.customerId))
    throw new NotFoundError(id.length <= 64 ? `Order ${id} not found` : 'Order not found');
  return order;
}
