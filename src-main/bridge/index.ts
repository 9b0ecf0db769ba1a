export { startBridge, RENDERER_CSP, defaultRendererDir } from './server';
export type { BridgeOptions, RunningBridge } from './server';
export { safeJoin, MIME_TYPES } from './static-files';
