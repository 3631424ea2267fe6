# syntax=docker/dockerfile:1
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
# Also the gateway's production mode unless the config says `production: false` (docs/security.md).
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY package.json ./
# Where `fleetgraph sim` writes its kubeconfig in docker-compose.yml: a volume mounted here starts
# out owned by node, as this directory is, so the unprivileged process can write it.
RUN mkdir -p /var/lib/fleetgraph && chown node:node /var/lib/fleetgraph
USER node
EXPOSE 4000
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["serve"]
