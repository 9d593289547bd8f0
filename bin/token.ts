/**
 * `npm run -s token -- --role provider --site london --user sam`: prints a token for a demo user of
 * the local stack. The same --user always gets the same identity.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localIssuer } from '../local/issuer';
import type { Role } from '../shared/domain/roles';
import type { SiteId } from '../shared/domain/sites';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    site: { type: 'string' },
    user: { type: 'string' },
    'expires-in': { type: 'string', default: '3600' },
  },
});

if (!values.role || !values.user) {
  console.error(
    'Usage: npm run -s token -- --role <evaluator|provider|practitioner|market|admin> [--site <site>] --user <name> [--expires-in <seconds>]',
  );
  process.exit(2);
}

try {
  const issuer = await localIssuer(process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.data'));
  const token = await issuer.sign({
    role: values.role as Role,
    site: values.site as SiteId | undefined,
    user: values.user,
    expiresInSeconds: Number(values['expires-in']),
  });
  console.log(token);
} catch (error) {
  console.error(`Could not make a token: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
