// The 11-proef of BSN and RSIN: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11.
import { digits, type Random } from './prng.ts';

export function passesElfproef(nummer: string): boolean {
  if (!/^[0-9]{9}$/.test(nummer)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(nummer[i]);
  sum -= Number(nummer[8]);
  return sum % 11 === 0;
}

/** A random 9-digit number that passes the 11-proef (and does not start with 0, like real BSNs). */
export function elfproefNummer(rnd: Random): string {
  for (;;) {
    const first = String(1 + Math.floor(rnd() * 9));
    const body = first + digits(rnd, 7);
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(body[i]);
    const check = sum % 11;
    if (check < 10) return body + String(check);
  }
}
