// A SOAP hop between the gateway and the simulator that hands every answer to `transform` (the
// damage a property test is trying) before it reaches the gateway; plus a direct question to the
// simulator for the undamaged bytes.
import http from 'node:http';

/** Posts a StUF message straight to a SOAP endpoint and returns its answer bytes. */
export async function answerTo(url: string, xml: string, soapAction: string | undefined): Promise<Buffer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: soapAction ?? '' }, body: xml });
  return Buffer.from(await res.arrayBuffer());
}

/** Forwards each request to `target`; `transform` is called per answer, so it can read the current case. */
export function startDamagingProxy(target: string, transform: (answer: Buffer) => Buffer): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = { 'content-type': String(req.headers['content-type'] ?? 'text/xml') };
      if (req.headers.soapaction !== undefined) headers.soapaction = String(req.headers.soapaction);
      fetch(target, { method: 'POST', headers, body: Buffer.concat(chunks) })
        .then(async (up) => {
          const body = transform(Buffer.from(await up.arrayBuffer()));
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'text/xml', 'content-length': body.length }).end(body);
        })
        .catch(() => res.destroy());
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
