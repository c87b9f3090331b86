// Memory of another Node process without adding an endpoint to it: the process is started with
// --inspect=127.0.0.1:0, and this client speaks the inspector protocol over its WebSocket to force a
// full GC (HeapProfiler.collectGarbage) and read process.memoryUsage(). RSS comes from /proc.
import { readFileSync } from 'node:fs';

export interface MemorySample {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
}

/** The inspector WebSocket URL a `--inspect` process printed ("Debugger listening on ws://..."). */
export function inspectorUrl(output: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
}

/** VmRSS of a process in MB (Linux). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export class InspectorClient {
  private readonly ws: WebSocket;
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown };
      if (msg.id !== undefined) this.waiting.get(msg.id)?.(msg.result);
    });
  }

  static async connect(url: string): Promise<InspectorClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
    return new InspectorClient(ws);
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (r) => {
        this.waiting.delete(id);
        resolve(r);
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Full GC, then process.memoryUsage() of the inspected process (RSS from /proc when pid is given). */
  async memoryAfterGc(pid?: number): Promise<MemorySample> {
    await this.call('HeapProfiler.collectGarbage');
    const r = (await this.call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as {
      result: { value: string };
    };
    const u = JSON.parse(r.result.value) as NodeJS.MemoryUsage;
    const mb = (n: number) => n / 1024 / 1024;
    return {
      rssMb: pid !== undefined ? rssMb(pid) : mb(u.rss),
      heapUsedMb: mb(u.heapUsed),
      heapTotalMb: mb(u.heapTotal),
      externalMb: mb(u.external),
      arrayBuffersMb: mb(u.arrayBuffers),
    };
  }

  close(): void {
    this.ws.close();
  }
}
