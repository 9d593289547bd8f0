import { SITES } from '../../../shared/domain/sites';
import { startLinks } from '../pages';
import type { PageHandlers } from '../web';

const ROLE_TEXT: Readonly<Record<string, string>> = {
  provider: 'provider staff',
  practitioner: 'probation practitioner',
  evaluator: 'evaluator',
  market: 'market engagement',
  admin: 'administrator',
};

/**
 * What this user can do: every page their role (and site) lets them open, by the same check as
 * the pages themselves. Users with a site see their site's pages; evaluators see them by site.
 */
export const startPage: PageHandlers = {
  get: (context) => {
    const links = startLinks(context.principal, context.served);
    const siteOf = (id: string | undefined) => SITES.find((s) => s.id === id)?.name;
    const ownSite = context.principal.site;
    const headings = [...new Set(links.map((link) => link.site))];
    const groups = headings.map((site) => ({
      heading: site === undefined || site === ownSite ? undefined : siteOf(site),
      links: links.filter((link) => link.site === site),
    }));
    const roleText = context.principal.roles.map((role) => ROLE_TEXT[role] ?? role).join(', ');
    return Promise.resolve({
      template: 'start.njk',
      model: {
        currentNav: 'home',
        groups,
        roleText: ownSite ? `${roleText}, ${siteOf(ownSite) ?? ownSite}` : roleText,
      },
    });
  },
};
