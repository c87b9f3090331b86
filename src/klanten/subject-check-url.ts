// Which subject URLs the kla-002 check may fetch at all, before any DNS or network: http(s) only,
// no credentials in the URL, a host on the allow-list when one is configured.
export interface CheckableUrl {
  url: URL;
  /** Host name without IPv6 brackets, lower-case (what DNS and the allow-list see). */
  host: string;
  /** The host matched subjectCheck.allowHosts explicitly (not merely "list empty"). */
  listed: boolean;
}

export type UrlVerdict = { ok: true; target: CheckableUrl } | { ok: false; reason: string };

/**
 * Allow-list entries: an exact host (`brp.example.nl`, an IP) or `*.example.nl` for any host
 * below that domain (not the domain itself). Case-insensitive; a trailing dot is ignored.
 */
export function hostAllowed(host: string, allowHosts: readonly string[]): boolean {
  const h = normalizeHost(host);
  return allowHosts.some((entry) => {
    const e = normalizeHost(entry);
    if (e.startsWith('*.')) return h.endsWith(e.slice(1)) && h.length > e.length - 1;
    return h === e;
  });
}

function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** Parses `value` (absolute, or relative to `base` for a redirect's Location) and vets it. */
export function vetUrl(value: string, allowHosts: readonly string[], base?: URL): UrlVerdict {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return { ok: false, reason: 'Geen geldige URL.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `Alleen http- en https-URL's worden gecontroleerd, niet ${url.protocol}` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'Een URL met gebruikersnaam of wachtwoord wordt niet opgevraagd.' };
  }
  const host = normalizeHost(url.hostname);
  if (host === '') return { ok: false, reason: 'De URL heeft geen host.' };
  const listed = allowHosts.length > 0 && hostAllowed(host, allowHosts);
  if (allowHosts.length > 0 && !listed) {
    return { ok: false, reason: `De host ${host} staat niet op de lijst van toegestane hosts.` };
  }
  return { ok: true, target: { url, host, listed } };
}
