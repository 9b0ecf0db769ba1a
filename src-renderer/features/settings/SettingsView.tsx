import { useEffect, useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { ListField, TextField } from '../../components/Fields';
import { ErrorMessage } from '../../components/Messages';
import { settingsFieldOf, validateSettings, type SettingsDraft } from '../../state/settings-form';

/**
 * Resolvers, DNS over HTTPS, extra CA files, timeouts, the HELO name and extra
 * DKIM selectors. Every field is checked as it is typed and its problems shown
 * next to it, all at once; a refusal from main (a CA file that is missing) is
 * put next to its field too.
 */
export function SettingsView() {
  const api = useApi();
  const [draft, setDraft] = useState<SettingsDraft | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  /** Main's refusal of the last save, on the field it names (or the form when it names none). */
  const [refused, setRefused] = useState<{ readonly field: keyof SettingsDraft | undefined; readonly message: string } | undefined>();
  const [said, setSaid] = useState('');
  /** The desktop app chooses CA files with the system's file dialog in main; the page never names a path there. */
  const [desktop, setDesktop] = useState(false);

  useEffect(() => {
    void api.request('settings:get', {}).then((r) => {
      if (r.ok) {
        const { timeoutSeconds, ...rest } = r.value;
        setDraft({ ...rest, timeoutText: String(timeoutSeconds) });
      } else setLoadError(r.error.message);
    });
    void api.request('app:info', {}).then((r) => setDesktop(r.ok && r.value.mode === 'electron'));
  }, [api]);

  if (!draft) return <div className="settings">{loadError ? <ErrorMessage message={loadError} /> : <p className="muted">Loading…</p>}</div>;

  const problems = validateSettings(draft);
  const change = (next: Partial<SettingsDraft>): void => {
    setDraft({ ...draft, ...next });
    setRefused(undefined);
    setSaid('');
  };
  const errorsOf = (field: keyof SettingsDraft): readonly string[] => [...problems[field], ...(refused?.field === field ? [refused.message] : [])];

  const addCaFile = async (list: 'caFiles' | 'publicCaFiles'): Promise<void> => {
    setRefused(undefined);
    const result = await api.request('settings:addCaFile', { list });
    if (!result.ok) return setRefused({ field: list, message: result.error.message });
    if (result.value.added) setDraft({ ...draft, [list]: result.value.settings[list] });
  };

  const save = async (): Promise<void> => {
    setRefused(undefined);
    setSaid('');
    if (!problems.ok) return;
    const { timeoutText, ...rest } = draft;
    const result = await api.request('settings:set', { settings: { ...rest, timeoutSeconds: Number(timeoutText.trim()) } });
    if (result.ok) {
      const { timeoutSeconds, ...saved } = result.value;
      setDraft({ ...saved, timeoutText: String(timeoutSeconds) });
      setSaid('Saved. New diagnoses use these settings.');
    } else {
      const message = result.error.where && result.error.message.startsWith(`${result.error.where}: `) ? result.error.message.slice(result.error.where.length + 2) : result.error.message;
      setRefused({ field: settingsFieldOf(result.error.where), message });
    }
  };

  return (
    <form
      className="settings"
      data-testid="settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>Settings</h2>
      <ListField
        label="DNS servers"
        value={draft.dnsServers}
        onChange={(v) => change({ dnsServers: v })}
        error={errorsOf('dnsServers')}
        hint="IP addresses, optionally with :port. Empty means the computer's own resolvers."
        testId="settings-dns"
      />
      <TextField
        label="DNS over HTTPS address (optional)"
        value={draft.doh ?? ''}
        onChange={(v) => change({ doh: v.trim() || undefined })}
        error={errorsOf('doh')}
        hint="For example https://dns.example/dns-query. When set, it is used instead of the DNS servers."
        testId="settings-doh"
      />
      <TextField label="Timeout per step, in seconds" value={draft.timeoutText} onChange={(v) => change({ timeoutText: v })} error={errorsOf('timeoutText')} testId="settings-timeout" />
      {(['caFiles', 'publicCaFiles'] as const).map((list) => {
        const words = list === 'caFiles'
          ? { label: 'Extra trusted CA files (PEM)', hint: 'For a company CA.', testId: 'settings-ca' }
          : { label: 'Rehearsal CAs (PEM, optional)', hint: 'CA certificates that predictions treat as if Exchange Online trusted them: to rehearse with a lab CA or before buying a certificate. Reports then say they are a rehearsal.', testId: 'settings-public-ca' };
        return desktop ? (
          <div className="field" data-testid={words.testId} key={list}>
            <span>{words.label}</span>
            <ul className="ca-files">
              {draft[list].map((file) => (
                <li key={file}>
                  {file}{' '}
                  <button type="button" onClick={() => change({ [list]: draft[list].filter((f) => f !== file) })}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
            <button type="button" data-testid={`${words.testId}-add`} onClick={() => void addCaFile(list)}>
              Add CA file…
            </button>
            <p className="muted">{words.hint}</p>
            {errorsOf(list).map((problem) => <ErrorMessage key={problem} message={problem} />)}
          </div>
        ) : (
          <ListField key={list} label={words.label} value={draft[list]} onChange={(v) => change({ [list]: v })} error={errorsOf(list)} hint={`Full paths. ${words.hint}`} testId={words.testId} />
        );
      })}
      <TextField
        label="HELO name (optional)"
        value={draft.heloName ?? ''}
        onChange={(v) => change({ heloName: v.trim() || undefined })}
        error={errorsOf('heloName')}
        hint="The name sent in EHLO. Empty means this computer's name if it is a full domain name (with a dot), otherwise mailflow-doctor.invalid."
        testId="settings-helo"
      />
      <ListField
        label="Extra DKIM selectors (optional)"
        value={draft.dkimSelectors}
        onChange={(v) => change({ dkimSelectors: v })}
        error={errorsOf('dkimSelectors')}
        hint="Each diagnosis also looks up <selector>._domainkey.<domain> for these (selector1 and selector2 of Office 365 always). The selector is the s= in a message's DKIM-Signature header."
        testId="settings-dkim"
      />
      <button type="submit" className="primary" data-testid="settings-save">
        Save settings
      </button>
      <span role="status" className="muted" data-testid="settings-status">
        {problems.ok ? said : 'Some settings need fixing first; each is marked above.'}
      </span>
      {refused && refused.field === undefined && <ErrorMessage message={refused.message} testId="settings-error" />}
    </form>
  );
}
