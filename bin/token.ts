/**
 * `npm run -s token -- --role provider --site london --user sam`: prints a token for a demo user of
 * the local stack. The same --user always gets the same identity. A mistyped or missing option, or a
 * site given to a role that has none, prints why and the usage, and exits 2.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localIssuer } from '../local/issuer';
import { ROLES, SITE_SCOPED_ROLES } from '../shared/domain/roles';
import { SITE_IDS } from '../shared/domain/sites';

const USAGE = [
  `Usage: npm run -s token -- --role <${ROLES.join('|')}> [--site <${SITE_IDS.join('|')}>] --user <name> [--expires-in <seconds>]`,
  `  --site is needed for ${SITE_SCOPED_ROLES.join(' and ')}, and refused for the other roles.`,
].join('\n');

function refuse(reason: string): never {
  console.error(`${reason}\n${USAGE}`);
  process.exit(2);
}

function readOptions() {
  try {
    return parseArgs({
      options: {
        role: { type: 'string' },
        site: { type: 'string' },
        user: { type: 'string' },
        'expires-in': { type: 'string', default: '3600' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    // An unknown option, a missing value or a stray argument: node:util says which.
    return refuse(error instanceof Error ? error.message : String(error));
  }
}

const values = readOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const role = ROLES.find((r) => r === values.role);
if (!values.role || !values.user) refuse('Both --role and --user are needed.');
if (!role) refuse(`Unknown role '${values.role}'.`);
const site = values.site === undefined ? undefined : SITE_IDS.find((s) => s === values.site);
if (values.site !== undefined && !site) refuse(`Unknown site '${values.site}'.`);
if (site && !SITE_SCOPED_ROLES.includes(role)) {
  refuse(
    `The ${role} role has no site: leave out --site (only ${SITE_SCOPED_ROLES.join(' and ')} tokens carry one).`,
  );
}
if (!site && SITE_SCOPED_ROLES.includes(role)) refuse(`The ${role} role needs --site.`);
const expiresInSeconds = Number(values['expires-in']);
if (!Number.isSafeInteger(expiresInSeconds)) refuse('--expires-in must be a whole number of seconds.');

try {
  const issuer = await localIssuer(process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.data'));
  console.log(await issuer.sign({ role, site, user: values.user, expiresInSeconds }));
} catch (error) {
  console.error(`Could not make a token: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
