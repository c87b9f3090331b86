// Public surface of the REST upstream proxy.
export { upstreamRoutes } from './upstream-routes.ts';
export type { UpstreamRoutesOptions } from './upstream-routes.ts';
export {
  forwardedPrefixFor,
  isSafeUpstreamPath,
  linkMapsFor,
  parseUpstreamTarget,
  rewriteLocation,
  rewriteQuery,
  rewriteUrl,
  upstreamPath,
} from './upstream-links.ts';
export type { LinkMap, RequestLinkMaps, UpstreamTarget } from './upstream-links.ts';
export { UpstreamAnswerError, UpstreamTimeoutError, nonJsonUpstreamError, proxyErrorToApiError } from './upstream-errors.ts';
