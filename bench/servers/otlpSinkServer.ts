/**
 * A local OTLP/HTTP receiver that reads and discards every export (answering 200 as a collector
 * does), in its own process: the traced gateway pays the real exporter's cost (batching, OTLP JSON
 * encoding, HTTP) with nothing downstream to slow it. Counts what it received, for the report.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fail, onRequest, onStop, sendReady } from '../lib/childRuntime';

async function main(): Promise<void> {
  let exports = 0;
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      exports += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onRequest('received', () => ({ exports, bytes }));
  onStop(() => new Promise<void>((resolve) => server.close(() => resolve())));
  sendReady({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

main().catch(fail);
