/* Prints a signed development token and nothing else on stdout:
 *   npm run token -- --sub alice --role medewerker --team team-zwolle
 *   npm run token -- --sub ana --role gemeente --gemeente GM0193
 */
import { parseArgs } from 'node:util';
import { config, jwtSecret } from '../config/config';
import { ROLES, type Role } from './principal';
import { signDevelopmentToken } from './token-verifier';

async function main(): Promise<void> {
  const cfg = config();
  if (cfg.NODE_ENV === 'production') throw new Error('npm run token refuses to run with NODE_ENV=production');
  const secret = jwtSecret(cfg);
  if (!secret) throw new Error('no AUTH_JWT_SECRET: development tokens are HS256 only');
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      role: { type: 'string' },
      team: { type: 'string', multiple: true },
      gemeente: { type: 'string' },
      discipline: { type: 'string' },
      expires: { type: 'string' },
    },
    strict: true,
  });
  if (!values.sub || !values.role) throw new Error('usage: npm run token -- --sub <id> --role <role> [--team <team>]... [--gemeente GM0000] [--discipline gedragswetenschapper] [--expires 8h]');
  if (!(ROLES as readonly string[]).includes(values.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const token = await signDevelopmentToken(
    secret,
    { sub: values.sub, role: values.role as Role, teams: values.team ?? [], gemeente: values.gemeente, discipline: values.discipline, expiresIn: values.expires },
    cfg.AUTH_ISSUER,
    cfg.AUTH_AUDIENCE,
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
