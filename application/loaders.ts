/**
 * Fresh per request: each batches every lookup made while one operation resolves, and caches it for
 * that request only. Each capability declares its own (`declare module '../../application/loaders'
 * { interface Loaders { … } }`) and makes them per request (server/capabilities/).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging, one capability at a time
export interface Loaders {}
