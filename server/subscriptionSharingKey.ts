/**
 * Which graphql-ws subscriptions may share one execution (sharedSubscriptions.ts), and under which
 * key. Conservative on purpose:
 *
 * - Only root fields that stream changes as they happen, with no first value of their own: a
 *   subscriber joining a running execution misses nothing another subscriber would get. (Fields
 *   that start with the current state, such as `inventoryItem(id)` or `order(id)`, and the `events`
 *   feed that replays from a cursor, keep one execution per subscriber.)
 * - The operation must select exactly that one field, without directives or fragments at the root.
 * - The key holds the actor (role and subject): an execution runs with its first subscriber's
 *   authorization, so only the same actor may share it — two customers never share one, even for
 *   the same operation text and variables. Then the operation name, the document text as sent, and
 *   the variables in canonical form.
 */
import { Kind, getOperationAST, type DocumentNode } from 'graphql';
import { actorName, type Actor } from '../application/actor';
import { canonicalVariables } from './canonicalVariables';

export const SHAREABLE_SUBSCRIPTION_FIELDS: ReadonlySet<string> = new Set(['inventoryItemChanges', 'lowStockAlerts', 'customerOrders']);

export interface SharingRequest {
  readonly document: DocumentNode;
  /** The document text as the client sent it. */
  readonly query: string;
  readonly operationName: string | null | undefined;
  readonly variables: Readonly<Record<string, unknown>> | null | undefined;
  readonly actor: Actor;
}

/** The key subscribers share an execution under, or null when this one executes on its own. */
export function subscriptionSharingKey({ document, query, operationName, variables, actor }: SharingRequest): string | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation?.operation !== 'subscription' || (operation.directives?.length ?? 0) > 0) return null;
  const selections = operation.selectionSet.selections;
  const [field] = selections;
  if (selections.length !== 1 || field?.kind !== Kind.FIELD) return null;
  if ((field.directives?.length ?? 0) > 0 || !SHAREABLE_SUBSCRIPTION_FIELDS.has(field.name.value)) return null;
  try {
    return JSON.stringify([actorName(actor), operationName ?? null, query, canonicalVariables(variables ?? null)]);
  } catch {
    return null;
  }
}
