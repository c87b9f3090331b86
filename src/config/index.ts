// Public surface of the configuration module.
export { loadConfig, parseConfig, DEFAULT_CONFIG_FILE, PROJECT_ROOT } from './load.ts';
export type { LoadConfigOptions, ParseConfigOptions } from './load.ts';
export { ConfigError } from './errors.ts';
export type { ConfigIssue } from './errors.ts';
export { redactConfig, REDACTED } from './redact.ts';
export { configWarnings, DEV_SECRET_PREFIX } from './warnings.ts';
export { configSchema } from './schema.ts';
export type {
  Config,
  ServerConfig,
  ApiConfig,
  IdentityConfig,
  BackendConfig,
  SimulatorConfig,
  RedisConfig,
  CacheConfig,
  AuthConfig,
  ClientConfig,
  RateLimitConfig,
  NotificatiesConfig,
  SubjectCheckConfig,
  UpstreamConfig,
  LogConfig,
  LinkStyle,
} from './schema.ts';
