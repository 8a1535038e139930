// Telling store URLs from file paths, and showing URLs without their passwords.

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;
const OTHER_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether a store location is a PostgreSQL URL (`postgres://…` or `postgresql://…`) rather than a file. */
export function isPostgresUrl(location: string): boolean {
  return POSTGRES_URL.test(location);
}

/** Whether a store location is a URL of some other kind (`mysql://…`), which perfguard cannot open. */
export function isOtherUrl(location: string): boolean {
  return OTHER_URL.test(location) && !isPostgresUrl(location);
}

/**
 * A URL with its password replaced by `****`, in the user part (`postgres://user:****@host/db`)
 * and in a `password=` parameter; safe for messages even when the URL does not parse.
 */
export function maskPassword(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  let masked = url;
  if (scheme !== null) {
    const rest = url.slice(scheme[0].length);
    const query = rest.indexOf('?');
    const authority = query === -1 ? rest : rest.slice(0, query);
    const at = authority.lastIndexOf('@');
    const colon = authority.indexOf(':');
    if (at !== -1 && colon !== -1 && colon < at) masked = `${scheme[0]}${authority.slice(0, colon)}:****${rest.slice(at)}`;
  }
  return masked.replace(/([?&]password=)[^&#]*/gi, '$1****');
}
