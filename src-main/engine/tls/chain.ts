import type { X509Certificate } from 'node:crypto';
import type { ChainStatus } from '../../contract/probe';
import type { TrustAnchor, TrustStore } from './trust-store';
import { isSelfIssued } from './certificate-info';

/**
 * Builds the chain the way a mail server does: from the certificates the
 * server presented plus the trust anchors only. Nothing is fetched (Exchange
 * Online and MTAs fetch no missing intermediate), so a leaf sent without its
 * intermediate is "incomplete" (missing intermediate), not "untrusted root".
 *
 * This walk only explains (which certificate is missing, which anchor the
 * path ends at, which certificate breaks a rule); whether the path is valid is
 * the path validator's verdict (tls/path-validator.ts).
 */
export interface ChainResult {
  readonly status: ChainStatus;
  /** Leaf first; presented certificates only (the anchor is separate unless it was presented). */
  readonly path: readonly X509Certificate[];
  readonly anchor?: TrustAnchor;
  /** The issuer the last certificate names, when it could not be found. */
  readonly missingIssuer?: string;
}

const MAX_DEPTH = 10;

/**
 * Names and signature only: whether the issuer may sign certificates (CA,
 * keyCertSign) is a rule the validator judges, so a CA without keyCertSign
 * that was sent is found here, not reported as a missing intermediate.
 */
function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.issuer === parent.subject && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

export function buildChain(presented: readonly X509Certificate[], store: TrustStore): ChainResult {
  const [leaf] = presented;
  if (!leaf) return { status: 'incomplete', path: [] };
  const path: X509Certificate[] = [leaf];
  const used = new Set<X509Certificate>([leaf]);
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const presentedAnchor = store.isAnchor(current);
    if (presentedAnchor) return { status: 'trusted', path, anchor: presentedAnchor };
    const anchor = store.anchorsIssuing(current).find((a) => signedBy(current, a.certificate));
    if (anchor) return { status: 'trusted', path, anchor };
    if (isSelfIssued(current)) {
      return { status: path.length === 1 ? 'self-signed' : 'untrusted-root', path };
    }
    const next = presented.find((candidate) => !used.has(candidate) && signedBy(current, candidate));
    if (!next) {
      // Last look before giving up: an anchor whose name is encoded differently (parses every root, so only here).
      const late = store.anchorsNamedAsIssuer(current).find((a) => signedBy(current, a.certificate));
      if (late) return { status: 'trusted', path, anchor: late };
      // The leaf alone with an unknown issuer: the classic missing intermediate. A chain that
      // already includes CA certificates and then names an unknown issuer ends at a root we
      // do not trust (servers rarely send the root itself).
      return { status: path.length === 1 ? 'incomplete' : 'untrusted-root', path, missingIssuer: current.issuer };
    }
    path.push(next);
    used.add(next);
    current = next;
  }
  return { status: 'incomplete', path, missingIssuer: current.issuer };
}
