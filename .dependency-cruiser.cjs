/**
 * The layers of Mailflow Doctor as an allow-list (`npm run deps`, part of
 * `npm test`). Every import must match one `allowed` rule below, or the run
 * fails: a folder may import only the layers under it (and its own files),
 * never one above, and there are no cycles. ESLint adds what a folder may
 * use besides imports (globals: see eslint.config.js).
 *
 *   renderer (src-renderer)          -> contract                       (sandboxed UI)
 *   electron, preload, bridge, cli   -> handlers, store, report, planner, engine, text, contract   (shells; electron and bridge also static)
 *   handlers                         -> store, report, planner, engine, text, contract
 *   store                            -> engine/clock, contract
 *   report                           -> planner, text, contract
 *   planner                          -> text, contract                  (pure: no Node, no network)
 *   engine                           -> text, contract, Node, dns2      (network; dependencies passed in)
 *     engine/message                 -> also planner                    (a traced message is mapped onto the plan's flows)
 *   static                           -> Node                            (the built renderer's files, for app:// and the bridge)
 *   text                             -> contract                        (pure text helpers: escaping, with the contract's sanitiser)
 *   contract                         -> zod                             (the one contract)
 *
 * Only src-main/electron and src-main/preload import electron; the preload
 * imports nothing but electron and the contract's channel names (the sandbox
 * cannot load modules).
 */
const layer = (name) => `^src-main/${name}/`;
const node = ['core'];

/** An allowed rule: from files under `from`, to any of `to` (paths) or Node built-ins when `core`. */
const allow = (comment, from, to, { core = false, packages = [] } = {}) => [
  { comment, from: { path: from }, to: { path: to } },
  ...(core ? [{ comment: `${comment} (Node built-ins)`, from: { path: from }, to: { dependencyTypes: node } }] : []),
  ...(packages.length ? [{ comment: `${comment} (packages)`, from: { path: from }, to: { dependencyTypes: ['npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown'], path: `^node_modules/(${packages.join('|')})/` } }] : []),
];

const own = (name) => `${layer(name)}`;
const either = (...paths) => `(${paths.join('|')})`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form no cycles: a cycle makes the load order (and so the behaviour) depend on who imports first.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'electron-only-in-the-shell',
      severity: 'error',
      comment: 'Importing electron from plain Node starts a download that kills the process: only src-main/electron and src-main/preload may.',
      from: { pathNot: either(layer('electron'), layer('preload'), '^test/') },
      to: { path: '^node_modules/(electron|electron-store)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  allowedSeverity: 'error',
  allowed: [
    ...allow('contract: zod and its own files', layer('contract'), layer('contract'), { packages: ['zod'] }),
    ...allow('text: its own files and the contract (the one sanitiser for untrusted text)', layer('text'), either(own('text'), layer('contract'))),
    ...allow('static: finding the built renderer\'s files, for the app:// protocol and the bridge', layer('static'), own('static'), { core: true }),
    ...allow('engine/message: a traced message is mapped onto the plan\'s flows (pure planner helpers)', '^src-main/engine/message/', layer('planner')),
    ...allow('planner: the contract and text helpers; no Node, no network', layer('planner'), either(own('planner'), layer('contract'), layer('text')), { packages: ['zod'] }),
    ...allow('engine: the contract, text helpers, Node and its protocol packages', layer('engine'), either(own('engine'), layer('contract'), layer('text')), { core: true, packages: ['dns2', 'p-limit', 'zod', 'postal-mime', '@kenjiuno/msgreader'] }),
    ...allow('report: the planner\'s renderers, the contract, text helpers', layer('report'), either(own('report'), layer('planner'), layer('contract'), layer('text')), { core: true, packages: ['zod'] }),
    ...allow('store: the contract and the engine\'s clock', layer('store'), either(own('store'), layer('contract'), '^src-main/engine/clock\\.ts$'), { core: true, packages: ['conf', 'zod'] }),
    ...allow('handlers: everything under the shells', layer('handlers'), either(own('handlers'), layer('store'), layer('report'), layer('planner'), layer('engine'), layer('contract'), layer('text')), { core: true, packages: ['zod', 'p-limit'] }),
    ...allow('bridge: handlers and what they use', layer('bridge'), either(own('bridge'), layer('static'), layer('handlers'), layer('store'), layer('report'), layer('planner'), layer('engine'), layer('contract'), layer('text')), { core: true, packages: ['zod'] }),
    ...allow('electron: handlers and what they use, electron', layer('electron'), either(own('electron'), layer('static'), layer('handlers'), layer('store'), layer('report'), layer('planner'), layer('engine'), layer('contract'), layer('text'), '^assets/'), { core: true, packages: ['electron', 'electron-store', 'zod'] }),
    ...allow('preload: electron and the contract\'s channel names', layer('preload'), either(own('preload'), '^src-main/contract/channels\\.ts$'), { packages: ['electron'] }),
    ...allow('cli: everything under the shells, the bridge for `web`', layer('cli'), either(own('cli'), layer('bridge'), layer('handlers'), layer('store'), layer('report'), layer('planner'), layer('engine'), layer('contract'), layer('text'), '^package\\.json$'), { core: true, packages: ['commander', 'zod'] }),
    ...allow('renderer: its own files and the contract', '^src-renderer/', either('^src-renderer/', layer('contract')), { packages: ['react', 'react-dom', '@xyflow/react', 'zod'] }),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: '^node_modules' },
    exclude: { path: '^(out|dist|release)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
