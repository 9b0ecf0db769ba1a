import type { ParsedRequestOf, ResponseOf } from '../contract/api';
import type { Profile } from '../contract/planner';
import { analyzeMessage } from '../engine/message/index';
import { buildPlan } from '../planner/index';
import type { MailflowStore } from '../store/store';
import { HandlerError } from './errors';

/**
 * `message:analyze`: the message trace for the UI. Pure work (no network):
 * the bytes are decoded here, the profile is the one sent or a saved one by
 * name, and its plan (no imported connectors) gives the flows the message is
 * compared with.
 */
export async function analyzeMessageRequest(input: ParsedRequestOf<'message:analyze'>, store: Pick<MailflowStore, 'listProfiles'>): Promise<ResponseOf<'message:analyze'>> {
  const { message } = input;
  const bytes = message.base64 !== undefined ? Buffer.from(message.base64, 'base64') : Buffer.from(message.text ?? '', 'utf8');
  let profile: Profile | undefined = input.profile;
  if (!profile && input.profileName) {
    profile = store.listProfiles().find((p) => p.name === input.profileName);
    if (!profile) throw new HandlerError({ code: 'NOT_FOUND', message: `There is no saved profile called "${input.profileName}".`, where: 'profileName' });
  }
  return analyzeMessage(bytes, {
    ...(message.fileName ? { fileName: message.fileName } : {}),
    ...(profile ? { profile, plan: buildPlan(profile) } : {}),
  });
}
