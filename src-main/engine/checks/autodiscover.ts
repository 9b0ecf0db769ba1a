import type { Finding } from '../../contract/findings';
import { finding } from '../findings';
import { F } from './catalogue';
import { describeAnswer, isFailure, type CheckContext } from './context';

export async function checkAutodiscover(ctx: CheckContext): Promise<Finding[]> {
  const name = `autodiscover.${ctx.domain}`;
  const [cname, a] = await Promise.all([ctx.query(name, 'CNAME'), ctx.query(name, 'A')]);
  if (isFailure(cname)) return [];
  const target = cname.records.find((r) => r.type === 'CNAME');
  const evidence = [...describeAnswer(cname), ...(target ? [] : describeAnswer(a))];
  if (target?.type === 'CNAME' && target.target === 'autodiscover.outlook.com') {
    return [finding(F.AUTODISCOVER_OFFICE365, name, `${name} points at autodiscover.outlook.com.`, evidence)];
  }
  if (target?.type === 'CNAME' || a.outcome === 'answer') {
    return [finding(F.AUTODISCOVER_OTHER, name, `${name} points at ${target?.type === 'CNAME' ? target.target : 'its own address'}, not Office 365.`, evidence)];
  }
  return [finding(F.AUTODISCOVER_MISSING, name, `${name} does not exist.`, evidence)];
}
