/**
 * Who may receive the development admin token (GraphiQL's Headers tab, the /timeline page) when
 * the gateway runs with a generated development secret: only a request addressed to a loopback
 * Host (so a DNS-rebinding page, whose Host is its own name, gets none) whose Origin, if it sends
 * one, is the gateway's own (so another site's script gets none either).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost } from './config';

export function mayReceiveDevToken(host: string | null | undefined, origin: string | null | undefined): boolean {
  if (!host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  if (!isLoopbackHost(hostname)) return false;
  return origin === null || origin === undefined || origin === `http://${host.toLowerCase()}`;
}

/** Node's request headers, or a fetch Headers (yoga's may come from a ponyfill: not `instanceof Headers`). */
export function mayReceiveDevTokenFrom(headers: IncomingHttpHeaders | Pick<Headers, 'get'>): boolean {
  const get = (name: string): string | null => {
    if (typeof headers.get === 'function') return (headers as Pick<Headers, 'get'>).get(name);
    const value = (headers as IncomingHttpHeaders)[name];
    return Array.isArray(value) ? (value.length === 1 ? value[0]! : null) : (value ?? null);
  };
  return mayReceiveDevToken(get('host'), get('origin'));
}
