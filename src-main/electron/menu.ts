import type { MenuItemConstructorOptions } from 'electron';

/** Help topics map to fixed addresses: a renderer string never reaches shell.openExternal (checklist #15). */
export const HELP_LINKS = {
  connectors: 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/use-connectors-to-configure-mail-flow',
  tls: 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/set-up-connectors-for-secure-mail-flow-with-a-partner',
} as const;
export type HelpTopic = keyof typeof HELP_LINKS;

export interface MenuActions {
  readonly about: () => void;
  readonly openHelp: (topic: HelpTopic) => void;
  readonly reload: () => void;
  readonly toggleDevTools?: () => void;
}

/** The application menu, as data (testable without Electron). */
export function menuTemplate(platform: NodeJS.Platform, actions: MenuActions): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: 'About Mailflow Doctor', click: () => actions.about() };
  return [
    ...(isMac ? [{ label: 'Mailflow Doctor', submenu: [about, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, { role: 'quit' }] } satisfies MenuItemConstructorOptions] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: 'View',
      submenu: [
        { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: () => actions.reload() },
        ...(actions.toggleDevTools ? [{ label: 'Developer Tools', accelerator: 'CmdOrCtrl+Alt+I', click: () => actions.toggleDevTools?.() } satisfies MenuItemConstructorOptions] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Connectors in Exchange Online', click: () => actions.openHelp('connectors') },
        { label: 'Secure mail flow with a partner', click: () => actions.openHelp('tls') },
        ...(isMac ? [] : [{ type: 'separator' } satisfies MenuItemConstructorOptions, about]),
      ],
    },
  ];
}

/** The About box text. */
export function aboutText(version: string, storePath: string, versions: Readonly<Record<string, string | undefined>>): string {
  return [
    `Mailflow Doctor ${version}`,
    'Plan and troubleshoot mail flow between Office 365, your own mail servers, partners and devices.',
    '',
    `Electron ${versions.electron ?? '?'}, Chromium ${versions.chrome ?? '?'}, Node ${versions.node ?? '?'}`,
    `Settings and history: ${storePath}`,
  ].join('\n');
}
