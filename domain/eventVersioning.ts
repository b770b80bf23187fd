/**
 * Events are stored forever; their shapes change. Each stored event carries the version of its
 * shape in its metadata (`schemaVersion`; absent means 1, the shape before versions were recorded).
 * On read, upcasters turn an old shape into the current one step by step, so deciders, projections
 * and process managers only ever see the current shape. A stored type name is never renamed in
 * place: a renamed type is an upcaster from the old name to the new one.
 *
 * An event whose version is newer than this code knows is not upcast and not guessed at: the
 * checks refuse it (see `versionRefusal`), so it is never folded as if it were a shape it is not.
 */

/** The metadata key holding the version of an event's data shape. */
export const SCHEMA_VERSION = 'schemaVersion';

/** An event as stored, as far as versioning is concerned: its type name, its version and its data. */
export interface VersionedEvent {
  readonly type: string;
  readonly version: number;
  readonly data: { readonly [key: string]: unknown };
}

/**
 * One step: reads `type` at `fromVersion` and returns the next shape. Either the same type at
 * `fromVersion + 1`, or a new type name (at the version that type starts from). Must accept any
 * JSON object: other writers' events reach it too, and the schema check after it judges the result.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  readonly upcast: (data: { readonly [key: string]: unknown }) => VersionedEvent;
}

/** What one aggregate knows: the current version of each of its current event types, and the steps from older shapes. */
export interface EventVersioning {
  readonly currentVersions: Readonly<Record<string, number>>;
  readonly upcasters: readonly Upcaster[];
}

export type UpcastResult =
  | { readonly kind: 'current'; readonly event: VersionedEvent }
  | { readonly kind: 'upcast'; readonly event: VersionedEvent }
  /** A type this aggregate never had: left as stored for the schema check to refuse. */
  | { readonly kind: 'unknownType' }
  /** Newer than this code knows, or not a version at all: left as stored, refused by the checks. */
  | { readonly kind: 'refused'; readonly reason: string };

/** The version stored in an event's metadata: absent is 1; anything but a whole number from 1 is null. */
export function storedSchemaVersion(metadata: { readonly [key: string]: unknown } | undefined): number | null {
  const value = metadata?.[SCHEMA_VERSION];
  if (value === undefined) return 1;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : null;
}

/** Looks upcasters up by type and version, and checks once that every chain ends at a current type. */
export function eventVersioning(currentVersions: Readonly<Record<string, number>>, upcasters: readonly Upcaster[]): EventVersioning {
  const keys = new Set<string>();
  for (const step of upcasters) {
    const key = `${step.type}@${step.fromVersion}`;
    if (keys.has(key)) throw new Error(`two upcasters read ${key}`);
    keys.add(key);
    const current = currentVersions[step.type];
    if (current !== undefined && step.fromVersion >= current)
      throw new Error(`an upcaster reads ${key}, which is not older than the current version ${current}`);
  }
  for (const [type, current] of Object.entries(currentVersions)) {
    for (let version = 1; version < current; version += 1) {
      if (!keys.has(`${type}@${version}`)) throw new Error(`${type} is at version ${current} but nothing upcasts version ${version}`);
    }
  }
  return { currentVersions, upcasters };
}

/**
 * The versioning of an aggregate none of whose event shapes has changed yet: every type it has a
 * schema for is at version 1, and there is nothing to upcast.
 */
export function firstVersionsOnly(schemas: { readonly [type: string]: unknown }): EventVersioning {
  return eventVersioning(Object.fromEntries(Object.keys(schemas).map((type) => [type, 1])), []);
}

/** The current shape of a stored event: every step applied in turn. */
export function upcastEvent(versioning: EventVersioning, stored: VersionedEvent): UpcastResult {
  let event = stored;
  for (let steps = 0; ; steps += 1) {
    const current = Object.hasOwn(versioning.currentVersions, event.type) ? versioning.currentVersions[event.type] : undefined;
    if (current !== undefined && event.version === current) return steps === 0 ? { kind: 'current', event } : { kind: 'upcast', event };
    if (current !== undefined && event.version > current)
      return { kind: 'refused', reason: newerThanKnown(event.type, event.version, current) };
    const step = versioning.upcasters.find((upcaster) => upcaster.type === event.type && upcaster.fromVersion === event.version);
    if (step === undefined) {
      const known = versioning.upcasters.filter((upcaster) => upcaster.type === event.type).map((upcaster) => upcaster.fromVersion);
      if (known.length === 0) return { kind: 'unknownType' };
      return { kind: 'refused', reason: newerThanKnown(event.type, event.version, Math.max(...known)) };
    }
    if (steps > versioning.upcasters.length) throw new Error(`the upcasters of ${stored.type} go round in a circle`);
    event = step.upcast(event.data);
  }
}

/**
 * Why a checked event must not be folded because of its version, or null. The read path has
 * upcast every event it knows how to; what is left newer than the current version is refused here.
 */
export function versionRefusal(
  currentVersions: Readonly<Record<string, number>>,
  stored: { readonly type: string; readonly metadata?: { readonly [key: string]: unknown } },
): string | null {
  const version = storedSchemaVersion(stored.metadata);
  if (version === null)
    return `${stored.type} has a ${SCHEMA_VERSION} that is not a whole number from 1 (${JSON.stringify(stored.metadata?.[SCHEMA_VERSION])})`;
  const current = Object.hasOwn(currentVersions, stored.type) ? (currentVersions[stored.type] ?? 1) : 1;
  return version > current ? newerThanKnown(stored.type, version, current) : null;
}

function newerThanKnown(type: string, version: number, known: number): string {
  return `${type} version ${version} is newer than this gateway knows (${known})`;
}
