/**
 * What jsdom lacks and React Flow needs to mount (it measures nodes with
 * ResizeObserver and reads DOMMatrix for zoom); no behaviour is faked beyond that.
 */
class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
const g = globalThis as Record<string, unknown>;
g['ResizeObserver'] ??= NoopResizeObserver;
g['DOMMatrixReadOnly'] ??= class {
  m22 = 1;
  constructor(_transform?: string) {}
};
