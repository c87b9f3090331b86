import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../src/simulator/index.ts';
import { extra, keysOf, lk, lv01, post } from './stuf-fixtures.ts';

describe('simulator file snapshot', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'klantbrug-sim-'));
  const file = path.join(dir, 'store.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts from demo data, writes changes, and starts again from the file with the same keys', async () => {
    const first = await startSimulator({ seed: 2, demoCount: 30, snapshotFile: file });
    expect(first.stats().objects).toEqual({ NPS: 16, NNP: 7, VES: 7, CTP: 36 });
    const deleted = first.objects('NNP')[0]?.key;
    await post(first.url, lk('NNP', 'V', [{ verwerkingssoort: 'V', key: deleted, inner: '' }]));
    await post(first.url, lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: `<BG:geslachtsnaam>Blijvend</BG:geslachtsnaam>${extra({ bronorganisatie: '002220647', klantnummer: 'SNAP' })}` }]));
    const created = keysOf((await post(first.url, lv01('NPS', { gelijk: extra({ klantnummer: 'SNAP' }) }))).body)[0];
    expect(created).toBeDefined();
    await new Promise((r) => setTimeout(r, 250)); // the coalesced write
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('Blijvend');
    const objects = { NPS: first.objects('NPS'), NNP: first.objects('NNP'), VES: first.objects('VES') };
    await first.stop();

    const second = await startSimulator({ seed: 99, snapshotFile: file });
    expect(second.stats().objects).toEqual({ NPS: 17, NNP: 6, VES: 7, CTP: 36 });
    expect(second.objects('NPS').map((o) => o.xml)).toEqual(objects.NPS.map((o) => o.xml));
    expect(second.objects('NNP').map((o) => o.key)).not.toContain(deleted);
    // keys are never reused after a restart
    await post(second.url, lk('NPS', 'T', [{ verwerkingssoort: 'T', inner: `<BG:geslachtsnaam>Later</BG:geslachtsnaam>` }]));
    const keys = second.objects('NPS').map((o) => o.key);
    expect(keys.at(-1)! > created!).toBe(true);
    await second.stop(); // flushes
    expect(readFileSync(file, 'utf8')).toContain('Later');
  });
});
