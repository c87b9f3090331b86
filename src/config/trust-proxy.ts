// Named address ranges accepted in server.trustProxy, expanded to CIDRs for the link builder.
const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

export function expandTrustProxy(entries: readonly string[]): string[] {
  return entries.flatMap((e) => NAMED[e] ?? [e]);
}
