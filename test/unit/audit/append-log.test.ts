import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppendLog } from '../../../src/audit/append-log.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'kb-appendlog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => path.join(dir, `log-${n++}.jsonl`);

async function lines(log: AppendLog, from = 0) {
  const out: string[] = [];
  const end = await log.scan(from, ({ line }) => out.push(line));
  return { out, end };
}

describe('AppendLog', () => {
  it('appends lines that are in the file when append resolves, in order', async () => {
    const f = file();
    const log = await AppendLog.open(f);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append([JSON.stringify({ i })])));
    const onDisk = readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l).i);
    expect(onDisk).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await log.close();
  });

  it('scans from an offset and reads a line back by its range', async () => {
    const log = await AppendLog.open(file());
    await log.append(['{"a":1}', '{"b":"é"}']);
    const seen: { line: string; offset: number; length: number }[] = [];
    const end = await log.scan(0, (l) => seen.push(l));
    expect(seen.map((s) => s.line)).toEqual(['{"a":1}', '{"b":"é"}']);
    expect((await log.read(seen[1]!.offset, seen[1]!.length)).toString('utf8')).toBe('{"b":"é"}');
    await log.append(['{"c":3}']);
    expect((await lines(log, end)).out).toEqual(['{"c":3}']);
    await log.close();
  });

  it('does not hand out a line before its newline is written', async () => {
    const f = file();
    const log = await AppendLog.open(f);
    await log.append(['{"complete":true}']);
    appendFileSync(f, '{"half":'); // another writer mid-line
    const { out, end } = await lines(log);
    expect(out).toEqual(['{"complete":true}']);
    expect(end).toBe('{"complete":true}\n'.length);
    await log.close();
  });

  it('ends a torn last line at open, so new lines stay whole', async () => {
    const f = file();
    writeFileSync(f, '{"ok":1}\n{"torn":');
    const log = await AppendLog.open(f);
    await log.append(['{"after":2}']);
    expect((await lines(log)).out).toEqual(['{"ok":1}', '{"torn":', '{"after":2}']);
    await log.close();
  });

  it('rewrites the file atomically and keeps appending to the new one', async () => {
    const f = file();
    const log = await AppendLog.open(f);
    await log.append(['1', '2', '3']);
    await log.rewrite(['2']);
    await log.append(['4']);
    expect(readFileSync(f, 'utf8')).toBe('2\n4\n');
    await log.close();
    await expect(log.append(['5'])).rejects.toThrow(/closed/);
  });
});
