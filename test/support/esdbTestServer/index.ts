/**
 * TEST INFRASTRUCTURE — NOT PRODUCT STORAGE. An EventStoreDB protocol test server (see README.md).
 */
export { startEsdbTestServer, type EsdbTestServer, type EsdbTestServerOptions } from './server';
export { EsdbTestServerData, type StoredEvent, type EsdbTestServerDataOptions } from './data';
