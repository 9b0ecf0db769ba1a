import type { AcceptedDomainChange, Decision, ExistingAcceptedDomain, Gap, Profile } from '../contract/planner';
import { norm } from './net';
import { psQuote } from './powershell';
import { RULES } from './rules';

/**
 * Shared address space: a domain with mailboxes both in Exchange Online and
 * on your own server. Office 365 must not answer "no such user" for a
 * recipient it does not know in that domain; it must relay the mail to your
 * server, which is what accepted domain type InternalRelay does (with the
 * outbound connector to your server carrying the domain).
 */
export interface AcceptedDomainPlan {
  readonly changes: AcceptedDomainChange[];
  readonly decisions: Decision[];
  readonly gaps: Gap[];
}

export function planAcceptedDomains(profile: Profile, imported: readonly ExistingAcceptedDomain[] | undefined): AcceptedDomainPlan {
  const changes: AcceptedDomainChange[] = [];
  const decisions: Decision[] = [];
  const gaps: Gap[] = [];
  const shared = profile.sharedDomains ?? [];
  if (shared.length === 0) return { changes, decisions, gaps };
  const accepted = new Set(profile.acceptedDomains.map(norm));
  const byName = new Map((imported ?? []).map((d) => [norm(d.domainName), d]));
  for (const domain of shared) {
    if (!accepted.has(norm(domain))) {
      gaps.push({ code: 'SHARED_DOMAIN_NOT_ACCEPTED', severity: 'fail', subject: domain, message: `${domain} is listed as a shared domain but is not one of the accepted domains.`, fix: 'Add it to acceptedDomains (and as an accepted domain in Office 365), or remove it from sharedDomains.' });
      continue;
    }
    if (profile.hybridWizardCompleted) {
      decisions.push({ rule: RULES.sharedDomains, text: `${domain}: with the hybrid deployment, the Hybrid Configuration Wizard's mail users route mail for on-premises mailboxes; the accepted domain can stay Authoritative.` });
      continue;
    }
    const existing = byName.get(norm(domain));
    const command = `Set-AcceptedDomain -Identity ${psQuote(domain)} -DomainType InternalRelay`;
    changes.push({
      domain, domainType: 'InternalRelay',
      reason: `${domain} has mailboxes in Exchange Online and on your own server: Office 365 must relay mail for recipients it does not know to your server instead of rejecting it.`,
      ...(existing ? { current: existing.domainType } : {}),
      powershell: existing?.domainType === 'InternalRelay' ? `# ${domain} is already InternalRelay; nothing to change.` : command,
    });
    decisions.push({ rule: RULES.sharedDomains, text: `${domain}: shared address space, so the accepted domain must be Internal Relay (${command}).` });
    if (imported === undefined) continue;
    if (!existing) {
      gaps.push({ code: 'ACCEPTED_DOMAIN_MISSING', severity: 'fail', subject: domain, message: `${domain} is not in the imported accepted domains.`, fix: `Add ${domain} as an accepted domain (Microsoft 365 admin centre > Settings > Domains), then ${command}.` });
    } else if (existing.domainType !== 'InternalRelay') {
      gaps.push({ code: 'ACCEPTED_DOMAIN_NOT_INTERNAL_RELAY', severity: 'fail', subject: domain, message: `${domain} is ${existing.domainType}, so Office 365 rejects mail for recipients in it that it does not know, including the mailboxes on your own server.`, fix: command });
    }
  }
  for (const d of imported ?? []) {
    for (const note of d.importNotes) gaps.push({ code: 'IMPORT_ASSUMPTION', severity: 'info', subject: d.domainName, message: note, fix: 'Re-export with PowerShell 7 (enums as names) if this reading looks wrong.' });
  }
  return { changes, decisions, gaps };
}
