# syntax=docker/dockerfile:1
# One image recipe for every app: `docker build --build-arg APP=inventory -t omni/inventory .`
# runs `node dist/apps/inventory/src/main.js`. Stages: workspace manifests -> full install + build
# -> production-only install -> small runtime as the non-root `node` user.

ARG NODE_IMAGE=node:20-bookworm-slim

# Only the package manifests, so dependency layers are cached until a manifest or the lockfile changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -mindepth 1 -maxdepth 1 ! -name package.json ! -name package-lock.json ! -name .npmrc ! -name apps ! -name libs -exec rm -rf {} + \
 && find apps libs -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /src/ ./
# npm install follows package-lock.json (which lists every platform's build of the per-platform
# optional packages, so npm ci works too); it is kept because it also tolerates a registry mirror
# that serves only some platforms' builds, where npm ci refuses the lockfile.
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /src/ ./
RUN --mount=type=cache,target=/root/.npm npm install --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ARG APP
# Fail the build early instead of shipping an image that cannot start.
RUN test -n "${APP}" || (echo 'build with --build-arg APP=<app folder under apps/>' >&2 && exit 1)
ENV APP=${APP} \
    NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/package.json ./package.json
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
RUN test -f "dist/apps/${APP}/src/main.js" || (echo "no app named ${APP}: dist/apps/${APP}/src/main.js is missing" >&2 && exit 1)
USER node
# Documentation only: compose and Kubernetes set PORT per app.
EXPOSE 3000
# Node 20 has fetch: no curl needed in the slim image.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Shell form would put /bin/sh between the runtime and node and swallow SIGTERM; exec keeps node as the process.
CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
