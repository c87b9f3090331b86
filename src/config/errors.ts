// A configuration problem, reported with the key path and where the bad value came from
// (the YAML file, an environment variable, a secret file) so the operator knows what to fix.
export interface ConfigIssue {
  path: ReadonlyArray<string | number>;
  message: string;
  /** e.g. `file config/default.yaml`, `env KLANTBRUG_SERVER__PORT`. */
  source: string;
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const lines = issues.map((i) => `  ${formatPath(i.path)}: ${i.message} (from ${i.source})`);
    super(`Invalid configuration:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
