/**
 * Hostile values: ids that name nothing (or try to name something else), and Unicode edge cases.
 * None of them contains the strings the leak check looks for (`/work/`, `node_modules`, stack
 * frames), so an echo of the client's own input is never mistaken for a leak.
 */
import type { Prng } from './prng';

/** Ids to try wherever an id, SKU, cursor or stream name goes. `{uuid}` is replaced by a random UUID. */
export function hostileIds(prng: Prng): Array<readonly [label: string, value: string]> {
  const uuid = prng.uuid();
  return [
    ['random uuid', prng.uuid()],
    ['random uuid', prng.uuid()],
    ['random uuid (upper case)', prng.uuid().toUpperCase()],
    ['nil uuid', '00000000-0000-0000-0000-000000000000'],
    ['max uuid', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
    ['uuid in braces', `{${uuid}}`],
    ['uuid without dashes', uuid.replace(/-/g, '')],
    ['uuid with a trailing newline', `${uuid}\n`],
    ['uuid with a leading space', ` ${uuid}`],
    ['uuid with a NUL', `${uuid}\u0000`],
    ['stream name', 'inventoryItem-x'],
    ['stream name of a uuid', `inventoryItem-${uuid}`],
    ['$all', '$all'],
    ['system category', '$ce-inventoryItem'],
    ['SQL injection', "'; DROP TABLE events;--"],
    ['SQL tautology', "1' OR '1'='1"],
    ['SQL union', "x' UNION SELECT * FROM events--"],
    ['path traversal', '../../etc/passwd'],
    ['windows path traversal', '..\\..\\windows\\win.ini'],
    ['encoded traversal', '%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
    ['file url', 'file:///etc/passwd'],
    ['NoSQL operator', '{"$gt":""}'],
    ['template injection', '{{7*7}}${7*7}'],
    ['JNDI lookup', '${jndi:ldap://127.0.0.1/a}'],
    ['HTML', '<script>alert(1)</script>'],
    ['prototype key', '__proto__'],
    ['constructor key', 'constructor'],
    ['empty', ''],
    ['blank', '   '],
    ['wildcard', '*'],
    ['LIKE wildcard', '%'],
    ['negative number', '-1'],
    ['huge number', '99999999999999999999999999999'],
    ['NUL only', '\u0000'],
    ['CRLF', 'x\r\nX-Injected: 1'],
    ['emoji', '📦'],
    ['10,000 characters', 'x'.repeat(10_000)],
  ];
}

/** Unicode edge cases for names (and, all refused there, for SKUs). */
export const UNICODE_EDGE_CASES: ReadonlyArray<readonly [label: string, value: string]> = [
  ['lone high surrogate', 'Mug \ud800'],
  ['lone low surrogate', '\udc00 Mug'],
  ['reversed surrogate pair', '\ude00\ud83d'],
  ['high surrogate only', '\ud83d'],
  ['RTL override', '\u202eguM'],
  ['RTL mark and Arabic', '\u200fكوب'],
  ['unterminated RTL embedding', '\u202bMug'],
  ['zero-width spaces only', '\u200b\u200b\u200b'],
  ['zero-width joiner only', '\u200d'],
  ['zero-width non-joiner in a word', 'M\u200cug'],
  ['BOM only', '\ufeff'],
  ['NUL inside', 'Mu\u0000g'],
  ['NUL only', '\u0000'],
  ['C0 controls', '\u0001\u0002\u0007\u0008'],
  ['ANSI escape', '\u001b[31mRED\u001b[0m'],
  ['CRLF header injection', 'Mug\r\nX-Injected: 1'],
  ['line and paragraph separators', '\u2028Mug\u2029'],
  ['NEL', '\u0085Mug'],
  ['150 combining marks', `M${'\u0301'.repeat(150)}`],
  ['250 combining marks (over 200 UTF-16 units)', `M${'\u0301'.repeat(250)}`],
  ['emoji ZWJ family', '👨‍👩‍👧‍👦'],
  ['100 emoji (200 UTF-16 units)', '😀'.repeat(100)],
  ['101 emoji (202 UTF-16 units)', '😀'.repeat(101)],
  ['astral CJK', '𠜎𠜱𠝹'],
  ['fullwidth', 'ＭＵＧ'],
  ['noncharacters', '\ufffe\uffff'],
  ['private use', '\ue000\uf8ff'],
  ['replacement character', '\ufffd'],
  ['tag characters', '\udb40\udc41\udb40\udc42'],
  ['variation selectors', 'M\ufe0f\ufe0e'],
  ['interlinear annotation', '\ufff9Mug\ufffb'],
  ['Cyrillic homoglyph', '\u041cug'],
  ['HTML', '<img src=x onerror=alert(1)>'],
  ['Unicode spaces only', '\u3000\u2003\u00a0'],
  ['dotless i', 'ı'],
  ['sharp s', 'ß'],
];

/** The SKU rule of the domain: ASCII letters, digits, dots, dashes, underscores. */
export const SKU_RULE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
