export { startBridge, RENDERER_CSP, defaultRendererDir } from './server';
export type { BridgeOptions, RunningBridge } from './server';
