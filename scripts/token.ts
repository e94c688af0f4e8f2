/**
 * Prints a development JWT (HS256, signed with JWT_SECRET or the documented dev secret):
 *   npm run token -- --role staff|admin
 *   npm run token -- --agent agt_0013
 */
import { mintDevToken } from '../gateway/plugins/authentication';
import { DEV_JWT_SECRET } from '../platform/config';
import { isId } from '../platform/ids';

async function main() {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const secret = process.env.JWT_SECRET || DEV_JWT_SECRET;
  const agentId = value('--agent');
  const role = (value('--role') ?? (agentId ? 'agent' : '')).toUpperCase();
  const hours = Number(value('--hours') ?? 12);
  if (agentId !== undefined) {
    if (!isId('agent', agentId)) throw new Error(`--agent takes an agent id such as agt_0013, got "${agentId}"`);
    console.log(await mintDevToken(secret, { sub: `user:${agentId}`, role: 'AGENT', agentId }, hours * 3600));
    return;
  }
  if (role !== 'STAFF' && role !== 'ADMIN')
    throw new Error('usage: npm run token -- --role staff|admin  |  npm run token -- --agent <agentId>');
  console.log(await mintDevToken(secret, { sub: `user:dev-${role.toLowerCase()}`, role }, hours * 3600));
}

main().catch((error) => {
  console.error(error.message);
  process.exit(2);
});
