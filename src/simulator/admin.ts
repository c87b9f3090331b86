// The admin HTTP endpoint of the simulator (JSON), for tests and people poking at it:
//   GET    /__admin/stats                       counters (per message type, answers, faults), object counts
//   GET    /__admin/messages[?invalid=true]     recorded messages with their XSD verdict
//   GET    /__admin/faults                      active faults
//   POST   /__admin/faults                      {fault} or [{fault}, ...] (see faults.ts)
//   DELETE /__admin/faults                      clear all faults
//   GET    /__admin/objects[?entity=NPS]        dump of the stored objects (key + XML)
//   POST   /__admin/reset                       back to the start state
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ENTITY_CODES, isEntityCode } from './entity-model.ts';
import type { Simulator } from './simulator.ts';

const MAX_ADMIN_BODY = 64 * 1024;

export async function handleAdmin(sim: Simulator, req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams): Promise<void> {
  const route = `${req.method ?? 'GET'} ${pathname.replace(/\/$/, '')}`;
  try {
    switch (route) {
      case 'GET /__admin/stats':
        return json(res, 200, sim.stats());
      case 'GET /__admin/messages': {
        const onlyInvalid = query.get('invalid') === 'true';
        return json(res, 200, sim.messages().filter((m) => !onlyInvalid || !m.valid));
      }
      case 'GET /__admin/faults':
        return json(res, 200, sim.stats().faults);
      case 'POST /__admin/faults': {
        const body = await readJson(req);
        for (const f of Array.isArray(body) ? body : [body]) sim.setFault(f);
        return json(res, 200, sim.stats().faults);
      }
      case 'DELETE /__admin/faults':
        sim.clearFaults();
        return json(res, 200, []);
      case 'GET /__admin/objects': {
        const entity = query.get('entity');
        if (entity !== null && !isEntityCode(entity)) return json(res, 400, { error: `entity must be one of ${ENTITY_CODES.join(', ')}` });
        const entities = entity ? [entity] : ENTITY_CODES;
        return json(
          res,
          200,
          entities.flatMap((e) => sim.objects(e).map((o) => ({ entity: o.entity, key: o.key, xml: o.xml }))),
        );
      }
      case 'POST /__admin/reset':
        sim.reset();
        return json(res, 200, sim.stats());
      default:
        return json(res, 404, { error: `no admin route ${route}` });
    }
  } catch (e) {
    const message = e instanceof z.ZodError ? z.prettifyError(e) : (e as Error).message;
    return json(res, 400, { error: message });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ADMIN_BODY) throw new Error('admin request body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}
