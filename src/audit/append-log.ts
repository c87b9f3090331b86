// An append-only file of JSON lines that is on disk when `append` resolves: lines are written with
// one write() per batch to a file opened O_APPEND, then fdatasync'ed. Appends that arrive while a
// sync runs are committed together in the next batch (group commit), so durability costs one
// fsync per batch, not per line. Used by the file audit store and the file notification outbox.
//
// Crash safety: a crash can leave a torn last line (written but not synced, hence never
// acknowledged). `open` ends such a file with a newline so the fragment becomes a line of its own,
// which readers skip because it does not parse; nothing after it is lost.
// Several processes may append to one file (O_APPEND writes of one batch do not interleave on a
// local file system); readers pick up lines others wrote through `scan` from their last offset.
import { constants, type FileHandle, open, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';

export interface AppendLogOptions {
  /** fdatasync after each batch (default true). Off only for tests and throw-away data. */
  fsync?: boolean;
}

export interface ScannedLine {
  line: string;
  offset: number;
  length: number;
}

interface Pending {
  data: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const NEWLINE = 0x0a;
const SCAN_CHUNK = 256 * 1024;

export class AppendLog {
  readonly file: string;
  private handle: FileHandle;
  private readonly fsync: boolean;
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(file: string, handle: FileHandle, fsync: boolean) {
    this.file = file;
    this.handle = handle;
    this.fsync = fsync;
  }

  static async open(file: string, opts: AppendLogOptions = {}): Promise<AppendLog> {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    const handle = await open(file, constants.O_CREAT | constants.O_APPEND | constants.O_RDWR, 0o600);
    const log = new AppendLog(file, handle, opts.fsync ?? true);
    await log.endTornLine();
    return log;
  }

  /** Appends the lines (each without '\n'); resolves once they are durable. */
  append(lines: readonly string[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`append log ${this.file} is closed`));
    if (lines.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ data: lines.join('\n') + '\n', resolve, reject });
      this.flushing ??= this.flush().finally(() => {
        this.flushing = undefined;
      });
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await writeAll(this.handle, Buffer.from(batch.map((p) => p.data).join(''), 'utf8'));
        if (this.fsync) await this.handle.datasync();
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
  }

  /** Resolves when every append queued so far has been written (and synced). */
  async idle(): Promise<void> {
    await this.flushing;
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buf, 0, length, offset);
    return buf.subarray(0, bytesRead);
  }

  /**
   * Calls `onLine` for every complete line from `offset` to the current end; returns the offset
   * after the last complete line (where the next scan starts). Empty lines are skipped.
   */
  async scan(offset: number, onLine: (l: ScannedLine) => void): Promise<number> {
    const end = await this.size();
    let pos = offset;
    let carry: Buffer = Buffer.alloc(0);
    let carryStart = offset;
    while (pos < end) {
      const chunk = await this.read(pos, Math.min(SCAN_CHUNK, end - pos));
      if (chunk.length === 0) break;
      const buf = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      let lineStart = 0;
      for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, lineStart)) {
        if (i > lineStart) {
          onLine({ line: buf.toString('utf8', lineStart, i), offset: carryStart + lineStart, length: i - lineStart });
        }
        lineStart = i + 1;
      }
      carry = buf.subarray(lineStart);
      carryStart += lineStart;
      pos += chunk.length;
    }
    return carryStart;
  }

  /**
   * Replaces the whole file by `lines` (compaction): written to a temporary file, synced, renamed
   * over the log and the directory synced, so a crash leaves either the old or the new file.
   * Callers must not append concurrently.
   */
  async rewrite(lines: readonly string[]): Promise<void> {
    await this.flushing;
    const tmp = `${this.file}.${process.pid}.tmp`;
    const out = await open(tmp, 'w', 0o600);
    try {
      if (lines.length > 0) await writeAll(out, Buffer.from(lines.join('\n') + '\n', 'utf8'));
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, this.file);
    await syncDirectory(path.dirname(path.resolve(this.file)));
    const old = this.handle;
    this.handle = await open(this.file, constants.O_APPEND | constants.O_RDWR);
    await old.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    await this.handle.close();
  }

  private async endTornLine(): Promise<void> {
    const size = await this.size();
    if (size === 0) return;
    const last = await this.read(size - 1, 1);
    if (last[0] !== NEWLINE) {
      await this.handle.write('\n');
      if (this.fsync) await this.handle.datasync();
    }
  }
}

/** write() may write less than asked (rarely, for regular files): write the rest. */
async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}
