import { useEffect, useState } from 'react';
import type { NetworkSettings } from '../../../src-main/contract/api';
import { useApi } from '../../api/ApiContext';
import { ListField, TextField } from '../../components/Fields';
import { ErrorMessage } from '../../components/Messages';
import { errorText, SETTINGS_LABELS } from '../../components/error-text';
import { dkimSelectorsError } from '../../state/settings-form';

/** Resolvers, DNS over HTTPS, extra CA files, timeouts, the HELO name and extra DKIM selectors. */
export function SettingsView() {
  const api = useApi();
  const [settings, setSettings] = useState<NetworkSettings | undefined>();
  const [timeoutText, setTimeoutText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [said, setSaid] = useState('');

  useEffect(() => {
    void api.request('settings:get', {}).then((r) => {
      if (r.ok) {
        setSettings(r.value);
        setTimeoutText(String(r.value.timeoutSeconds));
      } else setError(r.error.message);
    });
  }, [api]);

  if (!settings) return <div className="settings">{error ? <ErrorMessage message={error} /> : <p className="muted">Loading…</p>}</div>;

  const timeout = Number(timeoutText);
  const timeoutError = !Number.isInteger(timeout) || timeout < 1 || timeout > 60 ? 'A whole number of seconds from 1 to 60.' : undefined;
  const selectorsError = dkimSelectorsError(settings.dkimSelectors);
  const save = async (): Promise<void> => {
    setError(undefined);
    setSaid('');
    if (timeoutError || selectorsError) return;
    const result = await api.request('settings:set', { settings: { ...settings, timeoutSeconds: timeout } });
    if (result.ok) {
      setSettings(result.value);
      setSaid('Saved. New diagnoses use these settings.');
    } else setError(errorText(result.error, SETTINGS_LABELS));
  };

  return (
    <form
      className="settings"
      data-testid="settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>Settings</h2>
      <ListField
        label="DNS servers"
        value={settings.dnsServers}
        onChange={(v) => setSettings({ ...settings, dnsServers: v })}
        hint="IP addresses, optionally with :port, separated by commas. Empty means the computer's own resolvers."
        testId="settings-dns"
      />
      <TextField
        label="DNS over HTTPS address (optional)"
        value={settings.doh ?? ''}
        onChange={(v) => setSettings({ ...settings, doh: v.trim() || undefined })}
        hint="For example https://dns.example/dns-query. When set, it is used instead of the DNS servers."
        testId="settings-doh"
      />
      <TextField label="Timeout per step, in seconds" value={timeoutText} onChange={setTimeoutText} error={timeoutError} testId="settings-timeout" />
      <ListField label="Extra trusted CA files (PEM)" value={settings.caFiles} onChange={(v) => setSettings({ ...settings, caFiles: v })} hint="Full paths, separated by commas: for a company CA." testId="settings-ca" />
      <TextField label="HELO name (optional)" value={settings.heloName ?? ''} onChange={(v) => setSettings({ ...settings, heloName: v.trim() || undefined })} hint="The name sent in EHLO. Empty means this computer's name if it is a full domain name (with a dot), otherwise mailflow-doctor.invalid." testId="settings-helo" />
      <ListField
        label="Extra DKIM selectors (optional)"
        value={settings.dkimSelectors}
        onChange={(v) => setSettings({ ...settings, dkimSelectors: v })}
        error={selectorsError}
        hint="Each diagnosis also looks up <selector>._domainkey.<domain> for these (selector1 and selector2 of Office 365 always). The selector is the s= in a message's DKIM-Signature header. Separate several with commas."
        testId="settings-dkim"
      />
      <button type="submit" className="primary" data-testid="settings-save">
        Save settings
      </button>
      <span role="status" className="muted" data-testid="settings-status">
        {said}
      </span>
      {error && <ErrorMessage message={error} testId="settings-error" />}
    </form>
  );
}
