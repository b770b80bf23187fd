/**
 * Stored events are checked against a schema before anything folds them. Events come from other
 * writers too (an older instance, a migration, an operator's tool on EventStoreDB); one that does
 * not match its type's shape, or whose type the aggregate does not know, must never become state.
 *
 * zod is the one package the domain may import (`.dependency-cruiser.js`): a schema is part of
 * the event's definition, so it sits beside the event's type.
 */
import type { z } from 'zod';
import type { DomainEvent, EventCheck } from './decider';
import { versionRefusal } from './eventVersioning';

/** An event as any writer stored it; `metadata.schemaVersion` is its shape's version. */
export interface StoredEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: { readonly [key: string]: unknown };
}

/** One schema per event type of an aggregate, each describing exactly that type's data. */
export type EventSchemas<Event extends DomainEvent<string, unknown>> = {
  readonly [Type in Event['type']]: z.ZodType<Extract<Event, { readonly type: Type }>['data']>;
};

/**
 * The event, typed, when its type is one of the aggregate's, its version is not newer than the
 * type's current one (`currentVersions`, absent: 1; see eventVersioning.ts) and its data matches
 * that type's schema.
 */
export function checkEvent<Event extends DomainEvent<string, unknown>>(
  schemas: EventSchemas<Event>,
  stored: StoredEvent,
  currentVersions: Readonly<Record<string, number>> = {},
): EventCheck<Event> {
  if (!Object.hasOwn(schemas, stored.type)) return { valid: false, reason: `unknown event type "${stored.type}"` };
  const refusal = versionRefusal(currentVersions, stored);
  if (refusal !== null) return { valid: false, reason: refusal };
  const schema = schemas[stored.type as Event['type']] as z.ZodType;
  const parsed = schema.safeParse(stored.data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'data'}: ${issue.message}`);
    return { valid: false, reason: `${stored.type} does not match its schema (${problems.join('; ')})` };
  }
  return { valid: true, event: { type: stored.type, data: parsed.data } as Event };
}
