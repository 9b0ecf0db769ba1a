import type { DeliveryVerdict } from '../../../src-main/contract/check';
import { SeverityBadge } from '../../components/StatusBadge';

/**
 * The domain's delivery verdict at the top of a check (issue 8): will mail
 * from Exchange Online be delivered, through which MX, encrypted or not, and
 * would each TlsSettings pass. Its tone is the verdict's worst severity, the
 * same that History shows and the CLI's exit code follows.
 */
const HEADLINE: Readonly<Record<DeliveryVerdict['delivery'], string>> = {
  delivered: 'Mail from Exchange Online is delivered',
  'not-delivered': 'Mail from Exchange Online would not be delivered',
  'accepts-no-mail': 'This domain accepts no mail',
  unknown: 'Delivery not known',
};

const SETTING_WORDS: Readonly<Record<'pass' | 'fail' | 'unknown', string>> = { pass: 'passes', fail: 'fails', unknown: 'not known' };

export function VerdictBanner({ verdict }: { readonly verdict: DeliveryVerdict }) {
  const [headline, ...details] = verdict.summary;
  return (
    <section className={`verdict-banner severity-${verdict.worst}`} role="status" aria-label="Delivery verdict" data-testid="verdict-banner" data-delivery={verdict.delivery} data-worst={verdict.worst}>
      <h4>
        <SeverityBadge severity={verdict.worst} /> {HEADLINE[verdict.delivery]}
        {verdict.via ? ` through ${verdict.via.host}` : ''}
        {verdict.delivery === 'delivered' ? (verdict.encrypted === 'yes' ? ', encrypted.' : verdict.encrypted === 'no' ? ', NOT encrypted.' : '.') : '.'}
      </h4>
      {headline && <p>{headline}</p>}
      {verdict.delivery !== 'accepts-no-mail' && (
        <ul className="verdict-settings" data-testid="verdict-settings">
          {(['EncryptionOnly', 'CertificateValidation', 'DomainValidation'] as const).map((setting) => {
            const s = verdict.tlsSettings[setting];
            return (
              <li key={setting} data-setting={setting} data-verdict={s.verdict}>
                <span className={`badge verdict-${s.verdict}`}>
                  <span aria-hidden="true">{s.verdict === 'pass' ? '✓' : s.verdict === 'fail' ? '✗' : '?'}</span> {setting} {SETTING_WORDS[s.verdict]}
                </span>{' '}
                {s.text}
              </li>
            );
          })}
        </ul>
      )}
      {details
        .filter((line) => !/^(EncryptionOnly|CertificateValidation|DomainValidation): /.test(line))
        .map((line, i) => (
          <p key={i}>{line}</p>
        ))}
    </section>
  );
}
