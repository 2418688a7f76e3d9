# syntax=docker/dockerfile:1
# sd-discord-bot image. Not built in CI (no Docker engine there): see docs/deploy.md.
#   docker build -t sd-discord-bot .
#   docker run -d --name sd-discord-bot --env-file .env -v sd-bot-data:/app/data \
#     --stop-timeout 45 --add-host=host.docker.internal:host-gateway sd-discord-bot

FROM node:20-slim AS build
WORKDIR /app
# Toolchain only for the rare case where no prebuilt better-sqlite3 binary fits and it compiles from source.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
# `prepare` (scripts/ensure-built.mjs) skips itself here: the sources come in below.
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
# MALLOC_ARENA_MAX: glibc reads it before any code runs, so the bot cannot set it itself (README, Performance).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    DATABASE_PATH=/app/data/bot.sqlite
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# The code stays root-owned and read-only to the bot; only /app/data is writable by the `node` user (uid 1000).
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
# Only used when METRICS_PORT is set (e.g. METRICS_PORT=9464 and -p 9464:9464).
EXPOSE 9464
# Healthy when /healthz answers 200; always healthy when METRICS_PORT is unset (nothing to ask).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const p=process.env.METRICS_PORT;if(!p)process.exit(0);fetch('http://127.0.0.1:'+p+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/bot/index.js"]
