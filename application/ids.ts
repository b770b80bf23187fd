import { createHash, randomUUID } from 'node:crypto';

/** The namespace of every name-based id this gateway derives (a fixed, random UUID). */
const GATEWAY_NAMESPACE = '7c5f3e2a-9d1b-4f6e-8a3c-2b1d0e9f8a7c';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** RFC 9562 UUID version 5 (SHA-1, name-based): the same name always gives the same id. */
export function uuidV5(name: string, namespace: string = GATEWAY_NAMESPACE): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Event ids derived from the command id make a retried command append the very same events; the
 * stream is part of the name, so two commands that share an id on different streams (or one
 * command id reused across streams) can never give two events in `$all` the same id.
 */
export const eventIdFor = (commandId: string, streamName: string, index: number): string =>
  uuidV5(`${commandId}/${streamName}/event/${index}`);

export const newId = (): string => randomUUID();

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

/** The id as the streams and read models key it (lower case), or null when it is no UUID and so names nothing. */
export const canonicalUuid = (value: string): string | null => (isUuid(value) ? value.toLowerCase() : null);
