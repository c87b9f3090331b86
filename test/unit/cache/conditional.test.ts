import { describe, expect, it } from 'vitest';
import { checkIfMatch } from '../../../src/cache/conditional.ts';
import { ApiError } from '../../../src/http/problem.ts';

const current = '"abcDEF123_-"';

function status(header: string | string[] | undefined, etag: string | undefined): number {
  try {
    checkIfMatch(header, etag);
    return 0;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).status;
  }
}

describe('If-Match (strong comparison)', () => {
  it('passes without the header, on the current tag (alone or in a list) and on *', () => {
    expect(status(undefined, current)).toBe(0);
    expect(status(current, current)).toBe(0);
    expect(status(`"old", ${current}`, current)).toBe(0);
    expect(status(['"old"', current], current)).toBe(0);
    expect(status('*', current)).toBe(0);
  });

  it('412 on a stale tag, a weak tag, junk, or when the klant does not exist', () => {
    expect(status('"old"', current)).toBe(412);
    expect(status(`W/${current}`, current)).toBe(412);
    expect(status('junk', current)).toBe(412);
    expect(status('*', undefined)).toBe(412);
    expect(status(current, undefined)).toBe(412);
  });
});
