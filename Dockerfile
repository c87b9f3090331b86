# klantbrug container image.
#
#   docker build -t klantbrug .
#   docker run --rm -p 8000:8000 klantbrug                       # embedded demo (simulator, dev secrets)
#   docker run --rm -p 8000:8000 -e KLANTBRUG_CONFIG=/etc/klantbrug/config.yaml \
#     -v ./klantbrug.yaml:/etc/klantbrug/config.yaml:ro klantbrug  # a real deployment (see README, Operations)
#
# Node 24 runs the TypeScript sources directly (type stripping): there is no build step, so the
# first stage only installs the production dependencies and the image gets those plus the
# sources and their data files (config, mappings, XSDs, OAS). The `node` npm package is a
# devDependency for development machines; the image uses the base image's Node 24.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency needs an install script; not running them keeps the build reproducible.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# Inside a container the API must listen on every interface (config/default.yaml says 127.0.0.1).
ENV NODE_ENV=production \
    KLANTBRUG_SERVER__HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY src ./src
COPY config ./config
COPY mappings ./mappings
COPY schemas ./schemas

# Files stay owned by root (read-only for the process); it runs as the image's unprivileged user.
USER node
EXPOSE 8000

# Liveness of the process; readiness (backend, Redis) is /readyz, for orchestrators that route traffic.
# The slim image has no curl: Node's fetch does the probe. PORT / KLANTBRUG_SERVER__PORT when the port is moved.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT||process.env.KLANTBRUG_SERVER__PORT||8000}/healthz`).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Node itself is PID 1 (not npm), so SIGTERM reaches the graceful shutdown in src/main.ts.
STOPSIGNAL SIGTERM
CMD ["node", "src/main.ts"]
