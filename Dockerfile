# syntax=docker/dockerfile:1
# The demo services (frontend, users, thoughts) and the load generator, one image for all four.
# Which one runs is the command: `node demo-services/<service>/src/main.ts` (deploy/compose.yaml
# sets it per service; SERVICE below is only the default).
#
#   docker build -t periscope-demo .
#   docker run --rm -e HOST=0.0.0.0 -p 127.0.0.1:8080:8080 periscope-demo
#
# Node 22 runs the services' TypeScript directly (type stripping, on by default since 22.18);
# only the packages they import are compiled (@periscope/instrument to packages/instrument/dist,
# @periscope/stack, whose duration grammar the services read, to stack/dist).

ARG NODE_VERSION=22.23.3

# ---- build: install the workspace and compile the package ------------------------------------
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY . .
RUN npm ci && npm run build

# ---- runtime: the compiled package, the demo sources and their dependencies --------------------
FROM node:${NODE_VERSION}-slim
ARG SERVICE=frontend
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages/instrument/package.json ./packages/instrument/package.json
COPY --from=build /app/packages/instrument/dist ./packages/instrument/dist
COPY --from=build /app/stack/package.json ./stack/package.json
COPY --from=build /app/stack/dist ./stack/dist
COPY --from=build /app/demo-services ./demo-services
# Runs as the image's unprivileged "node" user; the code is read-only to it.
USER node
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "exec node demo-services/${SERVICE}/src/main.ts"]
