// One delivery of a notification to the Notificaties API: POST <endpoint> with the JSON body and a
// JWT-ZGW bearer token signed with the gateway's own client id and secret, answered 2xx = done.
//
// Endpoint: `notificaties.url` is the Notificaties API root (…/api/v1) and notifications go to its
// `notificaties` resource, as ZGW clients do (POST {root}/notificaties); a url that already ends in
// /notificaties is taken as the endpoint itself.
import { signToken } from '../auth/index.ts';
import type { OutboxEntry } from './outbox.ts';

export function notificatiesEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/notificaties$/.test(trimmed) ? trimmed : `${trimmed}/notificaties`;
}

export interface DeliveryTarget {
  endpoint: string;
  clientId: string;
  secret: string;
  timeoutMs: number;
}

export type DeliveryResult = { ok: true } | { ok: false; aborted: boolean; reason: string };

export async function deliver(target: DeliveryTarget, entry: OutboxEntry, stop: AbortSignal): Promise<DeliveryResult> {
  const signal = AbortSignal.any([stop, AbortSignal.timeout(target.timeoutMs)]);
  try {
    const res = await fetch(target.endpoint, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${signToken(target.clientId, target.secret)}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(entry.payload),
      signal,
    });
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true };
    return { ok: false, aborted: false, reason: `HTTP ${res.status}` };
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${(err.cause as Error | undefined)?.message ?? err.message}` : String(err);
    return { ok: false, aborted: stop.aborted, reason };
  }
}
