// The bodies the 'garbage' and 'hostile' faults answer with. Each imitates something a client of a
// real StUF backend can meet: a proxy error page, a cut connection, an XML bomb, a body that never
// ends. Built around a La01 of the asked entity so the bad part sits where a parser would look.
import type { ServerResponse } from 'node:http';
import { NS } from '../stuf/xml-node.ts';
import type { Fault } from './faults.ts';
import { la01, type AnswerContext, type RequestHeader } from './stuf-messages.ts';

const XML_TYPE = 'text/xml; charset=utf-8';

function entityOf(element: string): { prefix: string; code: string } {
  const m = /^(nps|nnp|ves)/.exec(element);
  const prefix = m?.[1] ?? 'nps';
  return { prefix, code: prefix.toUpperCase() };
}

function sampleLa01(element: string, ctx: AnswerContext, hdr: RequestHeader | undefined, objectContent: string): string {
  const { prefix, code } = entityOf(element);
  const object = `<BG:object StUF:entiteittype="${code}" StUF:sleutelVerzendend="${code}0000000000">${objectContent}</BG:object>`; // raw: may hold entity references
  return la01(prefix, code, hdr ?? {}, ctx, { objects: [object], indicatorVervolgvraag: false });
}

function nameElement(code: string): string {
  return code === 'NPS' ? 'geslachtsnaam' : code === 'NNP' ? 'statutaireNaam' : 'handelsnaam';
}

export function writeGarbage(res: ServerResponse, f: Extract<Fault, { type: 'garbage' }>, element: string, ctx: AnswerContext): void {
  const kind = f.kind ?? 'text';
  if (kind === 'text') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Service temporarily unavailable, please try again later\n');
  } else if (kind === 'html') {
    res
      .writeHead(502, { 'content-type': 'text/html; charset=utf-8' })
      .end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n');
  } else if (kind === 'empty') {
    res.writeHead(200, { 'content-type': XML_TYPE, 'content-length': '0' }).end();
  } else {
    const { code } = entityOf(element);
    const full = Buffer.from(sampleLa01(element, ctx, undefined, `<BG:${nameElement(code)}>Afgebroken</BG:${nameElement(code)}>`));
    const half = full.subarray(0, Math.floor(full.length * 0.6));
    if (kind === 'truncated') {
      // A complete HTTP response whose XML simply stops.
      res.writeHead(200, { 'content-type': XML_TYPE, 'content-length': String(half.length) }).end(half);
    } else {
      // 'cut': announces the full length, sends part of it, then drops the connection.
      res.writeHead(200, { 'content-type': XML_TYPE, 'content-length': String(full.length) });
      res.write(half, () => res.destroy());
    }
  }
}

/** Writes a hostile answer; resolves when done (the huge body streams with back-pressure). */
export async function writeHostile(
  res: ServerResponse,
  f: Extract<Fault, { type: 'hostile' }>,
  element: string,
  ctx: AnswerContext,
  realAnswer: () => { status: number; body: string },
): Promise<void> {
  const { code } = entityOf(element);
  const name = nameElement(code);
  switch (f.kind) {
    case 'doctype': {
      const body = sampleLa01(element, ctx, undefined, `<BG:${name}>&xxe;</BG:${name}>`).replace(
        '?>',
        '?><!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      );
      res.writeHead(200, { 'content-type': XML_TYPE }).end(body);
      return;
    }
    case 'billion-laughs': {
      const levels = ['<!ENTITY lol0 "lol">'];
      for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
      const body = sampleLa01(element, ctx, undefined, `<BG:${name}>&lol9;</BG:${name}>`).replace('?>', `?><!DOCTYPE soap:Envelope [${levels.join('')}]>`);
      res.writeHead(200, { 'content-type': XML_TYPE }).end(body);
      return;
    }
    case 'deep': {
      const depth = 100_000;
      const body = `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${NS.soap11}"><soap:Body>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</soap:Body></soap:Envelope>`;
      res.writeHead(200, { 'content-type': XML_TYPE }).end(body);
      return;
    }
    case 'wrong-namespace': {
      const real = realAnswer();
      res.writeHead(real.status, { 'content-type': XML_TYPE }).end(real.body.replaceAll(NS.bg, 'http://www.egem.nl/StUF/sector/bg/0204'));
      return;
    }
    case 'huge':
      await streamHuge(res, Math.round((f.sizeMb ?? 100) * 1024 * 1024), element, ctx, name);
      return;
  }
}

/** A La01 whose name element holds `size` bytes of text, streamed (chunked) with back-pressure. */
async function streamHuge(res: ServerResponse, size: number, element: string, ctx: AnswerContext, name: string): Promise<void> {
  const marker = '\u0000FILL\u0000';
  const [head = '', tail = ''] = sampleLa01(element, ctx, undefined, `<BG:${name}>${marker}</BG:${name}>`).split(marker);
  res.writeHead(200, { 'content-type': XML_TYPE });
  res.write(head);
  const chunk = Buffer.alloc(64 * 1024, 'A');
  let sent = 0;
  while (sent < size && !res.destroyed) {
    const part = size - sent >= chunk.length ? chunk : chunk.subarray(0, size - sent);
    sent += part.length;
    if (!res.write(part)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end(tail);
}
