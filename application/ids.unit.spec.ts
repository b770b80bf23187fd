import { canonicalUuid, eventIdFor, isUuid, uuidV5 } from './ids';

describe('uuidV5', () => {
  it('matches the RFC 9562 test vector (DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('derives stable, distinct event ids per command, stream and index', () => {
    expect(eventIdFor('c1', 'order-a', 0)).toBe(eventIdFor('c1', 'order-a', 0));
    expect(eventIdFor('c1', 'order-a', 0)).not.toBe(eventIdFor('c1', 'order-a', 1));
    expect(eventIdFor('c1', 'order-a', 0)).not.toBe(eventIdFor('c2', 'order-a', 0));
    expect(isUuid(eventIdFor('c1', 'order-a', 0))).toBe(true);
  });

  it('gives one command id different event ids on different streams', () => {
    expect(eventIdFor('c1', 'order-a', 0)).not.toBe(eventIdFor('c1', 'order-b', 0));
  });
});

describe('canonicalUuid', () => {
  it('keys a UUID in lower case, whatever case it came in', () => {
    expect(canonicalUuid('2ED6657D-E927-568B-95E1-2665A8AEA6A2')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(canonicalUuid('2ed6657d-e927-568b-95e1-2665a8aea6a2')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives null for anything that is not a UUID', () => {
    expect(canonicalUuid('')).toBeNull();
    expect(canonicalUuid('not-a-uuid')).toBeNull();
    expect(canonicalUuid(' 2ed6657d-e927-568b-95e1-2665a8aea6a2')).toBeNull();
  });
});
