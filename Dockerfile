# syntax=docker/dockerfile:1
# Three stages: compile the TypeScript, install the production dependencies, then a runtime image with only those,
# the compiled build and the committed dashboard build. The runtime runs `node` itself as PID 1's only child (compose
# adds `init: true`), so SIGTERM reaches the service and it shuts down gracefully.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the image has Node 24 already; the `node` dev dependency (Node 24 for machines that lack it)
# need not fetch a second one. tsc is called by path for the same reason.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY workers ./workers
COPY db ./db
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json

FROM node:24-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Everything under /app belongs to root and is read-only to the service; only the data directory is the node user's
# (the embedded PGlite database when DATABASE_URL is unset, ./.data/pglite by default).
COPY package.json ./
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY web/build ./web/build
RUN mkdir -p /app/.data && chown node:node /app/.data
VOLUME ["/app/.data"]
USER node
EXPOSE 3000
# The API role's readiness; compose overrides it for the worker role (its ops port).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 CMD ["node", "dist/src/ops/health-probe.cli.js", "http://127.0.0.1:3000/health/ready"]
CMD ["node", "dist/src/main.js"]
