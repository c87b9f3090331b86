// The Kubernetes manifests (deploy/kubernetes/) checked against the gateway they deploy: the config
// they mount is a valid config for this code, the probes hit routes that answer without a token,
// the shutdown fits in the grace period, selectors and names line up, and several replicas never
// run without the shared Redis that kla-001, the audit trail and the cache need.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseConfig, PROJECT_ROOT, type Config } from '../../../src/config/index.ts';
import { startHarness, type Harness } from '../../support/harness.ts';

const DIR = path.join(PROJECT_ROOT, 'deploy/kubernetes');
type Manifest = any;

function manifests(): Map<string, Manifest> {
  const byKind = new Map<string, Manifest>();
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')) {
    for (const doc of parseAllDocuments(readFileSync(path.join(DIR, file), 'utf8'))) {
      expect(doc.errors, file).toEqual([]);
      const m = doc.toJS() as Manifest;
      expect(byKind.has(m.kind), `one ${m.kind}`).toBe(false);
      byKind.set(m.kind, m);
    }
  }
  return byKind;
}

const all = manifests();
const deployment = all.get('Deployment');
const container = deployment.spec.template.spec.containers[0];
const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
const secretsMount = container.volumeMounts.find((v: Manifest) => v.name === 'secrets').mountPath as string;

/** The ConfigMap's config, as the pod reads it: secret files from a stand-in secrets volume. */
function podConfig(secretsDir: string): Config {
  const text = (all.get('ConfigMap').data['config.yaml'] as string).replaceAll(secretsMount, secretsDir);
  const env = Object.fromEntries(
    (container.env as { name: string; value: string }[]).filter((e) => e.name.startsWith('KLANTBRUG_') && e.name !== 'KLANTBRUG_CONFIG').map((e) => [e.name, e.value]),
  );
  return parseConfig(parseYaml(text), { env, cwd: PROJECT_ROOT, source: 'deploy/kubernetes/configmap.yaml' });
}

describe('deploy/kubernetes', () => {
  let secretsDir: string;
  let config: Config;

  beforeAll(() => {
    secretsDir = mkdtempSync(path.join(os.tmpdir(), 'kb-k8s-secrets-'));
    // The keys the kustomization tells operators to put in the Secret.
    const kustomization = readFileSync(path.join(DIR, 'kustomization.yaml'), 'utf8');
    const keys = [...kustomization.matchAll(/--from-literal=([a-z0-9-]+)=/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(0);
    mkdirSync(secretsDir, { recursive: true });
    for (const key of keys) writeFileSync(path.join(secretsDir, key), `stand-in-secret-for-${key}-0123456789\n`);
    config = podConfig(secretsDir);
  });
  afterAll(() => rmSync(secretsDir, { recursive: true, force: true }));

  it('the kustomization lists every manifest in the folder', () => {
    const k = parseYaml(readFileSync(path.join(DIR, 'kustomization.yaml'), 'utf8')) as Manifest;
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...k.resources].sort()).toEqual(files.sort());
    expect(k.images.map((i: Manifest) => i.name)).toContain(container.image);
  });

  it('mounts a config this gateway accepts, every secret from the secrets volume', () => {
    expect(config.backend.kind).toBe('stuf');
    const mountedConfig = container.volumeMounts.find((v: Manifest) => v.name === 'config').mountPath as string;
    const configEnv = container.env.find((e: Manifest) => e.name === 'KLANTBRUG_CONFIG').value as string;
    expect(configEnv).toBe(path.posix.join(mountedConfig, 'config.yaml'));
    const volume = deployment.spec.template.spec.volumes.find((v: Manifest) => v.name === 'config');
    expect(volume.configMap.name).toBe(all.get('ConfigMap').metadata.name);
    // No secret value inline: every secret-bearing key is a *File under the secrets mount.
    const raw = all.get('ConfigMap').data['config.yaml'] as string;
    expect(raw).not.toMatch(/^\s*(secret|password|sentinelPassword):/m);
    for (const m of raw.matchAll(/(?:secretFile|passwordFile):\s*(\S+)/g)) expect(m[1]!.startsWith(`${secretsMount}/`), m[0]).toBe(true);
  });

  it('several replicas share Redis: klantnummer allocation, audit trail and cache are not per pod', () => {
    const replicas = Math.max(deployment.spec.replicas, all.get('HorizontalPodAutoscaler').spec.minReplicas);
    expect(replicas).toBeGreaterThan(1);
    const r = config.redis;
    expect(r.url !== undefined || r.sentinel !== undefined || r.cluster.nodes.length > 0).toBe(true);
    expect(config.audit.store).toBe('redis');
  });

  it('the port, the probes and the Service line up with the gateway', () => {
    const http = container.ports.find((p: Manifest) => p.name === 'http');
    expect(http.containerPort).toBe(config.server.port);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(container[probe].httpGet.port, probe).toBe('http');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(all.get('Service').spec.ports[0].targetPort).toBe('http');
  });

  it('every selector selects the gateway pods; the autoscaler scales this Deployment', () => {
    const selects = (sel: Record<string, string>): boolean => Object.entries(sel).every(([k, v]) => podLabels[k] === v);
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
    expect(selects(all.get('Service').spec.selector)).toBe(true);
    expect(selects(all.get('PodDisruptionBudget').spec.selector.matchLabels)).toBe(true);
    expect(selects(all.get('NetworkPolicy').spec.podSelector.matchLabels)).toBe(true);
    const hpa = all.get('HorizontalPodAutoscaler').spec;
    expect(hpa.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    // The budget must leave room to evict one pod at the smallest size.
    expect(all.get('PodDisruptionBudget').spec.minAvailable).toBeLessThan(Math.min(hpa.minReplicas, deployment.spec.replicas));
  });

  it('the shutdown (preStop pause + graceful close) fits inside the grace period', () => {
    const pause = Number(container.lifecycle.preStop.exec.command[1]);
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds as number;
    expect(pause).toBeGreaterThan(0);
    expect(pause + config.server.shutdownTimeoutMs / 1000).toBeLessThan(grace);
  });

  it('runs as the image user, read-only, without privileges', () => {
    expect(readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8')).toMatch(/^USER node$/m);
    const pod = deployment.spec.template.spec.securityContext;
    expect(pod).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 }); // `node` is uid 1000 in the official images
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container.volumeMounts.map((v: Manifest) => v.mountPath)).toContain('/tmp');
  });

  describe('the probe paths on a running gateway', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('answer 200 without a token', async () => {
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const res = await fetch(`${h.gateway.url}${container[probe].httpGet.path}`);
        expect(res.status, probe).toBe(200);
      }
    });
  });
});
