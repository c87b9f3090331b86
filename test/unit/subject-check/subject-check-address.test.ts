import { describe, expect, it } from 'vitest';
import { classifyAddress, embeddedIPv4 } from '../../../src/klanten/subject-check-address.ts';
import { hostAllowed, vetUrl } from '../../../src/klanten/subject-check-url.ts';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'internal'],
    ['127.255.1.2', 'internal'],
    ['0.0.0.0', 'internal'],
    ['169.254.169.254', 'internal'],
    ['224.0.0.1', 'internal'],
    ['255.255.255.255', 'internal'],
    ['192.0.2.10', 'internal'],
    ['::', 'internal'],
    ['::1', 'internal'],
    ['fe80::1', 'internal'],
    ['fe80::1%eth0', 'internal'],
    ['ff02::1', 'internal'],
    ['fd00:ec2::254', 'internal'],
    ['::ffff:127.0.0.1', 'internal'],
    ['::ffff:7f00:1', 'internal'],
    ['::ffff:169.254.169.254', 'internal'],
    ['64:ff9b::7f00:1', 'internal'],
    ['2002:7f00:1::', 'internal'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['not-an-ip', 'internal'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('reads the IPv4 address embedded in IPv6 forms', () => {
    expect(embeddedIPv4('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(embeddedIPv4('64:ff9b::102:304')).toBe('1.2.3.4');
    expect(embeddedIPv4('2002:102:304::1')).toBe('1.2.3.4');
    expect(embeddedIPv4('2001:db8::1')).toBeUndefined();
  });
});

describe('vetUrl and the allow-list', () => {
  it.each(['ftp://example.nl/x', 'file:///etc/passwd', 'javascript:alert(1)', 'mailto:a@b.nl', 'gopher://x/', 'nonsense', ''])(
    'refuses %s',
    (value) => {
      expect(vetUrl(value, []).ok).toBe(false);
    },
  );

  it('refuses credentials in the URL', () => {
    expect(vetUrl('http://user:pw@example.nl/', []).ok).toBe(false);
  });

  it('matches exact hosts and *.domain, case-insensitively', () => {
    expect(hostAllowed('BRP.example.nl', ['brp.example.nl'])).toBe(true);
    expect(hostAllowed('a.b.example.nl', ['*.example.nl'])).toBe(true);
    expect(hostAllowed('example.nl', ['*.example.nl'])).toBe(false);
    expect(hostAllowed('evilexample.nl', ['*.example.nl'])).toBe(false);
    expect(hostAllowed('other.nl', ['brp.example.nl'])).toBe(false);
    expect(hostAllowed('::1', ['[::1]'])).toBe(true);
  });

  it('resolves a redirect Location against the current URL', () => {
    const v = vetUrl('/next?a=1', [], new URL('https://example.nl/dir/page'));
    expect(v.ok && v.target.url.href).toBe('https://example.nl/next?a=1');
  });
});
