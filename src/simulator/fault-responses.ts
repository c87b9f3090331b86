// The bodies the 'garbage' and 'hostile' faults answer with. Each imitates something a client of a
// real StUF backend can meet: a proxy error page, a cut connection, an XML bomb, a body that never
// ends. Built around a La01 of the asked entity in the asked endpoint's sector (an npsLa01 in
// StUF-BG, a ctpLa01 in StUF-ZKN; what it holds is `faultSample` in sectors.ts), so the bad part
// sits where a parser of that sector's answers would look.
import type { ServerResponse } from 'node:http';
import { NS } from '../stuf/xml-node.ts';
import type { Fault } from './faults.ts';
import { entityOfMessage, type EntitySpec, type Sector } from './sectors.ts';
import { la01, type AnswerContext } from './stuf-messages.ts';
import { PREFIX } from './xml.ts';

const XML_TYPE = 'text/xml; charset=utf-8';

/** The question a bad answer is for: its payload element, on the endpoint of `sector`. */
export interface FaultTarget {
  sector: Sector;
  element: string;
}

interface Sample {
  /** A La01 with `content` (raw: may hold entity references) in the sample's text element. */
  la01(content: string): string;
}

function sampleOf(target: FaultTarget, ctx: AnswerContext): Sample {
  const { sector } = target;
  const spec: EntitySpec = entityOfMessage(sector, target.element);
  const p = PREFIX[sector.namespace] ?? 'ZKN'; // the prefix la01() declares for the sector namespace
  const text = `${p}:${spec.faultSample.text}`;
  return {
    la01: (content) => {
      const object = `<${p}:object StUF:entiteittype="${spec.code}" StUF:sleutelVerzendend="${spec.code}0000000000"><${text}>${content}</${text}>${spec.faultSample.rest}</${p}:object>`;
      return la01(spec.prefix, spec.code, {}, ctx, { objects: [object], indicatorVervolgvraag: false }, sector.namespace);
    },
  };
}

export function writeGarbage(res: ServerResponse, f: Extract<Fault, { type: 'garbage' }>, target: FaultTarget, ctx: AnswerContext): void {
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
    const full = Buffer.from(sampleOf(target, ctx).la01('Afgebroken'));
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
  target: FaultTarget,
  ctx: AnswerContext,
  realAnswer: () => { status: number; body: string },
): Promise<void> {
  const sample = sampleOf(target, ctx);
  switch (f.kind) {
    case 'doctype': {
      const body = sample.la01('&xxe;').replace(
        '?>',
        '?><!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      );
      res.writeHead(200, { 'content-type': XML_TYPE }).end(body);
      return;
    }
    case 'billion-laughs': {
      const levels = ['<!ENTITY lol0 "lol">'];
      for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
      const body = sample.la01('&lol9;').replace('?>', `?><!DOCTYPE soap:Envelope [${levels.join('')}]>`);
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
      // The real answer, its sector namespace that of another StUF version (a StUF-ZKN answer's
      // BG subjects keep theirs: it is the payload's namespace a client must check).
      const real = realAnswer();
      res.writeHead(real.status, { 'content-type': XML_TYPE }).end(real.body.replaceAll(`"${target.sector.namespace}"`, `"${target.sector.otherVersionNamespace}"`));
      return;
    }
    case 'huge':
      await streamHuge(res, Math.round((f.sizeMb ?? 100) * 1024 * 1024), sample);
      return;
  }
}

/** A La01 whose sample text element holds `size` bytes of text, streamed (chunked) with back-pressure. */
async function streamHuge(res: ServerResponse, size: number, sample: Sample): Promise<void> {
  const marker = '\u0000FILL\u0000';
  const [head = '', tail = ''] = sample.la01(marker).split(marker);
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
