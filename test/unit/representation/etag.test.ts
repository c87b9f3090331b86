import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ifMatchMatches, ifNoneMatchMatches, strongEtag } from '../../../src/representation/etag.ts';

const body = '{"url":"https://gw.example/api/v1/klanten/1","klantnummer":"1001"}';
const TAG = strongEtag(body);
const OTHER = strongEtag(body + ' ');

describe('strongEtag', () => {
  it('is a quoted strong tag of valid etagc characters', () => {
    expect(TAG).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
  });

  it('is the truncated SHA-256 of the exact bytes (string as UTF-8 = Buffer)', () => {
    const expected = createHash('sha256').update(Buffer.from(body, 'utf8')).digest('base64url').slice(0, 22);
    expect(TAG).toBe(`"${expected}"`);
    expect(strongEtag(Buffer.from(body, 'utf8'))).toBe(TAG);
    expect(strongEtag('é')).toBe(strongEtag(Buffer.from([0xc3, 0xa9])));
  });

  it('changes with any byte', () => {
    expect(OTHER).not.toBe(TAG);
    expect(strongEtag('')).not.toBe(strongEtag(' '));
    expect(strongEtag(body.replace('gw.example', 'nlx.example'))).not.toBe(TAG);
  });
});

describe('ifNoneMatchMatches (weak comparison)', () => {
  const cases: [string, string | undefined, boolean][] = [
    ['absent', undefined, false],
    ['exact', TAG, true],
    ['weak form of our tag', `W/${TAG}`, true],
    ['other tag', OTHER, false],
    ['list without spaces', `${OTHER},${TAG}`, true],
    ['list with spaces and tabs', `${OTHER} ,\t ${TAG}  `, true],
    ['list, weak second', `${OTHER}, W/${TAG}`, true],
    ['star', '*', true],
    ['star with whitespace', '  *\t', true],
    ['star inside a list is malformed, ignored', `*, ${OTHER}`, false],
    ['empty', '', false],
    ['only commas and spaces', ' , ,, ', false],
    ['unquoted tag', TAG.slice(1, -1), false],
    ['unbalanced: missing closing quote', TAG.slice(0, -1), false],
    ['unbalanced: missing opening quote', TAG.slice(1), false],
    ['junk after the closing quote', `${TAG}x`, false],
    ['junk after, then a good element', `${TAG}x, ${TAG}`, true],
    ['lower-case w/ is not weak', `w/${TAG}`, false],
    ['W/ with space before quote', `W/ ${TAG}`, false],
    ['comma inside a quoted tag does not split it', `"a,${TAG.slice(1)}`, false],
    ['quoted tag containing commas, then ours', `"a,b,c", ${TAG}`, true],
    ['malformed unquoted piece containing a quote swallows until the quote closes', `x"y, ${TAG}`, false],
    ['control character inside', `"${'\u0001'}${TAG.slice(1)}`, false],
    ['CR LF injection around tag', `\r\n${TAG}`, false],
    ['prefix of our tag', TAG.slice(0, 10) + '"', false],
    ['our tag as prefix of a longer one', TAG.slice(0, -1) + 'x"', false],
    ['case differs', TAG.toUpperCase() === TAG ? `"x${TAG.slice(1)}` : TAG.toUpperCase(), false],
    ['very long header, ours last', `${'"junk", '.repeat(2000)}${TAG}`, true],
    ['very long garbage', '"'.repeat(100_000), false],
    ['very long unquoted garbage', 'x,'.repeat(100_000), false],
  ];

  it.each(cases)('%s', (_name, header, expected) => {
    expect(ifNoneMatchMatches(header, TAG)).toBe(expected);
  });

  it('a weak current tag matches its strong or weak form', () => {
    expect(ifNoneMatchMatches(TAG, `W/${TAG}`)).toBe(true);
    expect(ifNoneMatchMatches(`W/${TAG}`, `W/${TAG}`)).toBe(true);
  });

  it('never throws and never matches a header that does not contain our tag (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (header) => {
        fc.pre(!header.includes(TAG.slice(1, -1)) && header.trim() !== '*');
        expect(ifNoneMatchMatches(header, TAG)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('finds our tag in any well-formed list (property)', () => {
    const otherTag = fc.stringMatching(/^[A-Za-z0-9,_-]{0,30}$/).map((s) => `"${s}"`);
    const element = fc.tuple(fc.boolean(), otherTag).map(([weak, t]) => (weak ? `W/${t}` : t));
    fc.assert(
      fc.property(fc.array(element, { maxLength: 5 }), fc.nat(5), fc.constantFrom(',', ', ', ' , ', ',\t'), fc.boolean(), (others, at, sep, weak) => {
        const list = [...others];
        list.splice(Math.min(at, list.length), 0, weak ? `W/${TAG}` : TAG);
        expect(ifNoneMatchMatches(list.join(sep), TAG)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ifMatchMatches (strong comparison)', () => {
  const cases: [string, string | undefined, string | undefined, boolean][] = [
    ['absent', undefined, TAG, false],
    ['exact', TAG, TAG, true],
    ['weak form never matches', `W/${TAG}`, TAG, false],
    ['list with ours', `${OTHER}, ${TAG}`, TAG, true],
    ['list with only weak ours', `${OTHER}, W/${TAG}`, TAG, false],
    ['other', OTHER, TAG, false],
    ['star, representation exists', '*', TAG, true],
    ['star, no current representation', '*', undefined, false],
    ['tag, no current representation', TAG, undefined, false],
    ['our current tag is weak', `W/${TAG}`, `W/${TAG}`, false],
    ['unbalanced', `"${TAG.slice(1, -1)}`, TAG, false],
    ['junk', '\u0000\u0001;;"', TAG, false],
    ['comma inside quotes', `"x,${TAG.slice(1)}`, TAG, false],
    ['empty', '', TAG, false],
  ];

  it.each(cases)('%s', (_name, header, etag, expected) => {
    expect(ifMatchMatches(header, etag)).toBe(expected);
  });
});
