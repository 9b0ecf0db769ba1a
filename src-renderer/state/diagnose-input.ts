/**
 * What people paste into Diagnose, turned into what the back end takes: a
 * URL (`https://contoso.com/path`) becomes its host name, as the command line
 * does, and a server typed as `host:port` or `[IPv6]:port` gives its port.
 * Everything else is left to the back end's own checks.
 */
export type DiagnoseInput = { readonly target: string; readonly port?: number } | { readonly error: string };

export function parseDiagnoseInput(kind: 'domain' | 'host', text: string, ports: readonly number[]): DiagnoseInput {
  let target = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      if (kind === 'domain' || !url.port) return { target: url.hostname.replace(/^\[|\]$/g, '') };
      target = url.host;
    } catch {
      return { target };
    }
  }
  if (kind === 'domain') return { target };
  const withPort = /^\[([0-9a-f:.]+)\]:(\d{1,5})$/i.exec(target) ?? /^([^:\s]+):(\d{1,5})$/.exec(target);
  if (!withPort) return { target: target.replace(/^\[([0-9a-f:.]+)\]$/i, '$1') };
  const port = Number(withPort[2]);
  if (!ports.includes(port)) return { error: `Port ${port} is not one the app probes: choose ${ports.join(', ')}.` };
  return { target: withPort[1]!, port };
}
