import { describe, expect, it } from 'vitest';
import { klantCacheKey, listCacheKey, rawQueryOf } from '../../../src/cache/keys.ts';

const ID = '6f1c4e3a-2b7d-4c1e-9a0b-1234567890ab';

describe('cache keys', () => {
  it('every input of the bytes changes the key; the resource is what a write invalidates', () => {
    const keys = [
      klantCacheKey(ID, 'https://a.example.nl/api/v1', ''),
      klantCacheKey(ID, 'https://b.example.nl/api/v1', ''),
      klantCacheKey(ID, 'https://a.example.nl/nlx/api/v1', ''),
      klantCacheKey(ID, 'http://a.example.nl/api/v1', ''),
      klantCacheKey(ID, '/api/v1', ''), // relative links
      klantCacheKey(ID, 'https://a.example.nl/api/v1', 'voornaam'),
      klantCacheKey(ID.replace('6f', '7f'), 'https://a.example.nl/api/v1', ''),
    ];
    expect(new Set(keys.map((k) => k.local)).size).toBe(keys.length);
    expect(keys[0]!.resource).toBe(`klant:${ID}`);
    expect(keys[5]!.resource).toBe(keys[0]!.resource);
  });

  it('list pages share one resource and are keyed by the raw query', () => {
    const a = listCacheKey('https://a/api/v1', 'page=2&subjectType=vestiging');
    const b = listCacheKey('https://a/api/v1', 'subjectType=vestiging&page=2');
    expect(a.resource).toBe('lists');
    expect(b.resource).toBe('lists');
    expect(a.local).not.toBe(b.local); // next/previous links keep the client's parameter order
    expect(listCacheKey('https://a/api/v1', '').local).not.toBe(klantCacheKey(ID, 'https://a/api/v1', '').local);
  });

  it('rawQueryOf takes everything after the first ?', () => {
    expect(rawQueryOf('/api/v1/klanten')).toBe('');
    expect(rawQueryOf('/api/v1/klanten?')).toBe('');
    expect(rawQueryOf('/api/v1/klanten?a=1&b=?')).toBe('a=1&b=?');
  });
});

describe('local keys', () => {
  it('the fast path’s key strings equal the routes’ keys', async () => {
    const { klantLocalKey, listLocalKey } = await import('../../../src/cache/keys.ts');
    expect(klantLocalKey(ID, 'https://a/api/v1', 'voornaam')).toBe(klantCacheKey(ID, 'https://a/api/v1', 'voornaam').local);
    expect(listLocalKey('/p/api/v1', 'page=2')).toBe(listCacheKey('/p/api/v1', 'page=2').local);
  });
});
