import { useEffect, useMemo, useState } from 'react';
import type { Profile } from '../../../src-main/contract/planner';
import { useApi } from '../../api/ApiContext';
import { useAppState } from '../../app-context';
import { CheckField, ChoiceField, Fieldset, ListField, TextField } from '../../components/Fields';
import { ErrorMessage } from '../../components/Messages';
import { errorText } from '../../components/error-text';
import { emptyProfile, errorsForStep, fieldLabel, listErrors, PLAN_STEPS, validateProfile } from '../../state/profile-form';
import { EXAMPLE_PROFILE } from './example-profile';

type OwnServer = Profile['ownServers'][number];
type Partner = Profile['partners'][number];
type Device = Profile['devices'][number];

/**
 * The organisation, step by step. Every change is checked at once against the
 * contract's schema; the message appears next to the field. The last step
 * saves the profile and builds the plan.
 */
export function PlanWizard() {
  const api = useApi();
  const { state, dispatch, openProfile } = useAppState();
  const [step, setStep] = useState(0);
  const [saveError, setSaveError] = useState<string | undefined>();
  const [saved, setSaved] = useState<readonly Profile[]>([]);
  const profile = state.draft ?? state.profile;
  const errors = useMemo(() => validateProfile(profile), [profile]);
  const current = PLAN_STEPS[step]!;
  const stepErrors = errorsForStep(errors, current.fields);
  const edit = (next: Profile) => dispatch({ type: 'profile-edited', profile: next });
  const set = <K extends keyof Profile>(key: K, value: Profile[K]) => edit({ ...profile, [key]: value });

  useEffect(() => {
    void api.request('profiles:list', {}).then((r) => r.ok && setSaved(r.value));
  }, [api]);

  const saveAndPlan = async (): Promise<void> => {
    setSaveError(undefined);
    if (Object.keys(errors).length > 0) {
      setSaveError('Some answers need fixing first; they are marked in the steps above.');
      return;
    }
    const result = await api.request('profiles:save', { profile });
    if (!result.ok) {
      setSaveError(errorText(result.error));
      return;
    }
    await openProfile(profile, 'just-saved');
    dispatch({ type: 'navigate', view: 'overview' });
  };

  const e = (path: string) => errors[path];
  const listError = (path: string, items: readonly string[]) => listErrors(errors, path, items.length);

  return (
    <div className="plan-wizard" data-testid="plan-wizard">
      <header className="wizard-header">
        <h2>Describe your organisation</h2>
        <div className="toolbar">
          <button type="button" data-testid="load-example" onClick={() => edit(EXAMPLE_PROFILE)}>
            Start from the article’s example
          </button>
          <button type="button" data-testid="start-empty" onClick={() => edit(emptyProfile())}>
            Start empty
          </button>
          {saved.some((p) => p.name === profile.name) && (
            <button
              type="button"
              className="danger"
              data-testid="delete-profile"
              onClick={() =>
                void api.request('profiles:delete', { name: profile.name }).then((r) => {
                  if (!r.ok) return setSaveError(r.error.message);
                  setSaved((list) => list.filter((p) => p.name !== profile.name));
                  dispatch({ type: 'notice', level: 'info', message: `The saved profile “${profile.name}” was deleted; what you see here is kept until you leave.` });
                })
              }
            >
              Delete the saved profile “{profile.name}”
            </button>
          )}
          {saved.length > 0 && (
            <label>
              Open a saved profile{' '}
              <select
                data-testid="open-profile"
                value=""
                onChange={(ev) => {
                  const chosen = saved.find((p) => p.name === ev.currentTarget.value);
                  if (!chosen) return;
                  void api.request('profiles:select', { name: chosen.name });
                  void openProfile(chosen, 'saved');
                }}
              >
                <option value="">Choose…</option>
                {saved.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      </header>

      <nav aria-label="Steps">
        <ol className="steps">
          {PLAN_STEPS.map((s, i) => {
            const bad = Object.keys(errorsForStep(errors, s.fields)).length > 0;
            return (
              <li key={s.id}>
                <button type="button" className={`step${i === step ? ' current' : ''}${bad ? ' has-errors' : ''}`} aria-current={i === step ? 'step' : undefined} onClick={() => setStep(i)} data-testid={`step-${s.id}`}>
                  {i + 1}. {s.title}
                  {bad && <span className="step-flag"> (needs fixing)</span>}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>

      <section className="step-body" aria-labelledby="step-title">
        <h3 id="step-title">{current.title}</h3>
        {current.id === 'organisation' && (
          <>
            <TextField label="Profile name" value={profile.name} onChange={(v) => set('name', v)} error={e('name')} testId="profile-name" placeholder="Contoso" />
            <ListField
              label="Accepted domains in Office 365"
              value={profile.acceptedDomains}
              onChange={(v) => set('acceptedDomains', v)}
              error={listError('acceptedDomains', profile.acceptedDomains)}
              hint="Set these up in Office 365 before any connector."
              testId="accepted-domains"
              placeholder="contoso.com"
            />
            <ChoiceField
              label="Your subscription"
              value={profile.subscription}
              onChange={(v) => set('subscription', v)}
              options={[
                { value: 'exchange-online', label: 'Office 365 with Exchange Online' },
                { value: 'eop-standalone', label: 'Exchange Online Protection only (standalone EOP)' },
              ]}
              testId="subscription"
            />
          </>
        )}
        {current.id === 'mailboxes' && (
          <>
            <ChoiceField
              label="Where are the mailboxes?"
              value={profile.mailboxes}
              onChange={(v) => set('mailboxes', v)}
              options={[
                { value: 'all-cloud', label: 'All in Exchange Online (only Bob)' },
                { value: 'split', label: 'Some in Exchange Online, some on our own servers (Bob and John)' },
                { value: 'all-own-servers', label: 'All on our own servers (John; with standalone EOP)' },
              ]}
              testId="mailboxes"
            />
            <ChoiceField
              label="Where does your MX record point?"
              value={profile.mxPointsTo}
              onChange={(v) => set('mxPointsTo', v)}
              options={[
                { value: 'office365', label: 'Office 365 (all Internet mail arrives through Office 365)' },
                { value: 'own-server', label: 'Our own server' },
              ]}
              testId="mx-points-to"
            />
            <CheckField
              label="We completed an Exchange hybrid deployment with the Hybrid Configuration Wizard"
              checked={profile.hybridWizardCompleted}
              onChange={(v) => set('hybridWizardCompleted', v)}
              hint="The wizard makes the connectors between Office 365 and your Exchange servers for you."
              testId="hybrid"
            />
          </>
        )}
        {current.id === 'servers' && (
          <>
            {profile.ownServers.length === 0 && <p className="muted">No own mail servers. Add one if some mailboxes (John’s) live on a server you run.</p>}
            {profile.ownServers.map((s, i) => {
              const put = (next: Partial<OwnServer>) => set('ownServers', profile.ownServers.map((x, j) => (j === i ? { ...x, ...next } : x)));
              return (
                <Fieldset key={i} legend={`Server ${i + 1}`} onRemove={() => set('ownServers', profile.ownServers.filter((_, j) => j !== i))} removeLabel="Remove this server">
                  <TextField label="Name" value={s.name} onChange={(v) => put({ name: v })} error={e(`ownServers.${i}.name`)} testId={`server-${i}-name`} />
                  <ChoiceField
                    label="What it runs"
                    value={s.kind}
                    onChange={(v) => put({ kind: v })}
                    options={[
                      { value: 'exchange-2010-or-later', label: 'Exchange 2010, 2013 or later' },
                      { value: 'exchange-2007-or-earlier', label: 'Exchange 2007 or earlier' },
                      { value: 'non-microsoft', label: 'Another SMTP server (Postfix, Exim, …)' },
                    ]}
                  />
                  <ListField label="Public host names" value={s.hostNames} onChange={(v) => put({ hostNames: v })} error={listError(`ownServers.${i}.hostNames`, s.hostNames)} testId={`server-${i}-hosts`} placeholder="mail.contoso.com" />
                  <ListField label="Public IPv4 addresses it sends from" value={s.publicIps} onChange={(v) => put({ publicIps: v })} error={listError(`ownServers.${i}.publicIps`, s.publicIps)} hint="Public addresses or ranges from /24 to /32, as Office 365 sees them (your firewall's or NAT's address)." testId={`server-${i}-ips`} />
                  <TextField label="Name on the certificate it sends with (optional)" value={s.certificateName ?? ''} onChange={(v) => put({ certificateName: v || undefined })} error={e(`ownServers.${i}.certificateName`)} />
                  <ListField label="Domains whose mailboxes are on it" value={s.domains} onChange={(v) => put({ domains: v })} error={listError(`ownServers.${i}.domains`, s.domains)} hint="Empty means all accepted domains." />
                </Fieldset>
              );
            })}
            <button type="button" data-testid="add-server" onClick={() => set('ownServers', [...profile.ownServers, { name: `Server ${profile.ownServers.length + 1}`, kind: 'exchange-2010-or-later', hostNames: [], publicIps: [], domains: [] }])}>
              Add a server
            </button>
          </>
        )}
        {current.id === 'partners' && (
          <>
            {profile.partners.length === 0 && <p className="muted">No partners. Add one when you want TLS or other restrictions for mail with a business partner (e.g. a bank).</p>}
            {profile.partners.map((p, i) => {
              const put = (next: Partial<Partner>) => set('partners', profile.partners.map((x, j) => (j === i ? { ...x, ...next } : x)));
              return (
                <Fieldset key={i} legend={`Partner ${i + 1}`} onRemove={() => set('partners', profile.partners.filter((_, j) => j !== i))} removeLabel="Remove this partner">
                  <TextField label="Name" value={p.name} onChange={(v) => put({ name: v })} error={e(`partners.${i}.name`)} testId={`partner-${i}-name`} />
                  <ListField label="Their mail domains" value={p.domains} onChange={(v) => put({ domains: v })} error={listError(`partners.${i}.domains`, p.domains)} testId={`partner-${i}-domains`} placeholder="contosobank.com" />
                  <CheckField label="Mail from them must arrive over TLS" checked={p.requireTlsInbound} onChange={(v) => put({ requireTlsInbound: v })} />
                  <CheckField label="Mail to them must leave over TLS" checked={p.requireTlsOutbound} onChange={(v) => put({ requireTlsOutbound: v })} />
                  <ChoiceField
                    label="How Office 365 checks their certificate when it sends to them"
                    value={p.certificateCheck}
                    onChange={(v) => put({ certificateCheck: v })}
                    options={[
                      { value: 'any', label: 'Any certificate (encryption only)' },
                      { value: 'ca-issued', label: 'Issued by a trusted CA' },
                      { value: 'ca-issued-with-name', label: 'Issued by a trusted CA, with this name' },
                    ]}
                  />
                  {p.certificateCheck === 'ca-issued-with-name' && (
                    <TextField label="Name on the certificate of their receiving server (TlsDomain)" value={p.certificateName ?? ''} onChange={(v) => put({ certificateName: v || undefined })} error={e(`partners.${i}.certificateName`)} testId={`partner-${i}-tls-domain`} />
                  )}
                  <TextField
                    label="Name on the certificate their servers send with (optional)"
                    value={p.senderCertificateName ?? ''}
                    onChange={(v) => put({ senderCertificateName: v.trim() || undefined })}
                    error={e(`partners.${i}.senderCertificateName`)}
                    hint="When set, Office 365 accepts their mail only from a server presenting this name (TlsSenderCertificateName); it replaces a restriction by IP ranges."
                    testId={`partner-${i}-sender-cert`}
                  />
                  <ListField label="IPv4 ranges they send from (optional)" value={p.ipRanges} onChange={(v) => put({ ipRanges: v })} error={listError(`partners.${i}.ipRanges`, p.ipRanges)} testId={`partner-${i}-ips`} />
                  <ListField label="Smart hosts to deliver to (optional; empty means their MX)" value={p.smartHosts} onChange={(v) => put({ smartHosts: v })} error={listError(`partners.${i}.smartHosts`, p.smartHosts)} testId={`partner-${i}-smarthosts`} />
                </Fieldset>
              );
            })}
            <button
              type="button"
              data-testid="add-partner"
              onClick={() => set('partners', [...profile.partners, { name: '', domains: [], requireTlsInbound: true, requireTlsOutbound: true, certificateCheck: 'ca-issued', ipRanges: [], smartHosts: [] }])}
            >
              Add a partner
            </button>
          </>
        )}
        {current.id === 'devices' && (
          <>
            {profile.devices.length === 0 && <p className="muted">No devices. Add printers, scanners or applications that send mail.</p>}
            {profile.devices.map((d, i) => {
              const put = (next: Partial<Device>) => set('devices', profile.devices.map((x, j) => (j === i ? { ...x, ...next } : x)));
              return (
                <Fieldset key={i} legend={`Device ${i + 1}`} onRemove={() => set('devices', profile.devices.filter((_, j) => j !== i))} removeLabel="Remove this device">
                  <TextField label="Name" value={d.name} onChange={(v) => put({ name: v })} error={e(`devices.${i}.name`)} testId={`device-${i}-name`} />
                  <CheckField label="Sends to people outside the organisation" checked={d.externalRecipients} onChange={(v) => put({ externalRecipients: v })} />
                  <TextField label="Static public IPv4 address (optional)" value={d.staticPublicIp ?? ''} onChange={(v) => put({ staticPublicIp: v || undefined })} error={e(`devices.${i}.staticPublicIp`)} testId={`device-${i}-ip`} />
                  <TextField
                    label="Name on the certificate it sends with (optional)"
                    value={d.certificateName ?? ''}
                    onChange={(v) => put({ certificateName: v.trim() || undefined })}
                    error={e(`devices.${i}.certificateName`)}
                    hint="Instead of a static IP: SMTP relay through a connector can recognise the device (or the server relaying for it) by its certificate. The name must be in one of your accepted domains."
                    testId={`device-${i}-cert`}
                  />
                  <CheckField label="Supports TLS 1.2" checked={d.supportsTls12} onChange={(v) => put({ supportsTls12: v })} />
                  <CheckField label="Can log in (SMTP AUTH)" checked={d.supportsAuth} onChange={(v) => put({ supportsAuth: v })} />
                </Fieldset>
              );
            })}
            <button type="button" data-testid="add-device" onClick={() => set('devices', [...profile.devices, { name: '', externalRecipients: false, supportsTls12: true, supportsAuth: true }])}>
              Add a device
            </button>
          </>
        )}
        {current.id === 'review' && (
          <>
            <ul className="review" data-testid="review">
              <li>Name: {profile.name || '(none)'}</li>
              <li>Accepted domains: {profile.acceptedDomains.join(', ') || '(none)'}</li>
              <li>Subscription: {profile.subscription === 'exchange-online' ? 'Exchange Online' : 'Exchange Online Protection only'}</li>
              <li>Own servers: {profile.ownServers.map((s) => s.name).join(', ') || 'none'}</li>
              <li>Partners: {profile.partners.map((p) => p.name).join(', ') || 'none'}</li>
              <li>Devices: {profile.devices.map((d) => d.name).join(', ') || 'none'}</li>
            </ul>
            {Object.keys(errors).length > 0 && (
              <ul className="field-error" data-testid="review-errors">
                {Object.entries(errors).map(([path, message]) => (
                  <li key={path}>
                    {fieldLabel(path)}: {message}
                  </li>
                ))}
              </ul>
            )}
            <button type="button" className="primary" data-testid="save-and-plan" onClick={() => void saveAndPlan()}>
              Save the profile and show the plan
            </button>
            {saveError && <ErrorMessage message={saveError} testId="save-error" />}
          </>
        )}
      </section>

      <div className="wizard-nav">
        <button type="button" disabled={step === 0} onClick={() => setStep(step - 1)} data-testid="wizard-back">
          Back
        </button>
        {step < PLAN_STEPS.length - 1 && (
          <button type="button" className="primary" onClick={() => setStep(step + 1)} data-testid="wizard-next">
            Next{Object.keys(stepErrors).length > 0 ? ' (this step has answers to fix)' : ''}
          </button>
        )}
      </div>
    </div>
  );
}
