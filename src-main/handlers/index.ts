export { createHandlers, checkFindings } from './create-handlers';
export { createDefaultEngine, resolverFor } from './default-deps';
export type { EngineOverrides } from './default-deps';
export type { EngineDeps, HandlerDeps, HandlerTable, Emit, JobOptions, EngineProgress, TlsObservation } from './types';
export { JobRegistry } from './jobs';
