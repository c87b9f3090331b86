import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { safeText } from '../../../src/stuf/errors.ts';

// What the property suite demands of every 502/504 detail: no backend markup, no namespace URIs.
const MARKUP = /<[!?a-zA-Z/[]|xmlns/i;

describe('safeText', () => {
  it.each([
    ['end tag <StUF:a><![CDATA[> does not match <b>', 'end tag <…><…> does not match <…>'],
    ['unexpected <!DOCTYPE x [<!ENTITY e "x">]>', 'unexpected <…><…>]>'],
    ['at <?xml version="1.0"?>', 'at <…>'],
    ['comment <!-- x --> here', 'comment <…> here'],
    ['attribute xmlns:bg="http://www.egem.nl/StUF/sector/bg/0310" unbound', 'attribute … unbound'],
    ['prefix XMLNS unbound', 'prefix … unbound'],
    ['a < b and 3 <= 4, x <5', 'a < b and 3 <= 4, x <5'],
    ['line\u0000break\nhere', 'line break here'],
  ])('%j → %j', (input, expected) => {
    expect(safeText(input)).toBe(expected);
  });

  it('bounds the length', () => {
    expect(safeText('x'.repeat(1000))).toHaveLength(300);
  });

  it('never lets markup or a namespace declaration through, whatever the text (property)', () => {
    const piece = fc.constantFrom('<', '>', '!', '?', '/', '[', ']', 'CDATA', 'xmlns', ':', '=', '"', 'a', 'Z', ' ', '-', '0');
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 40 }), (parts) => {
        expect(safeText(parts.join(''))).not.toMatch(MARKUP);
      }),
      { numRuns: 2000 },
    );
  });
});
