# syntax=docker/dockerfile:1
# Multi-stage: build TypeScript with dev dependencies, ship only dist/ and production dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds, and src/ is not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Node 24 is the active LTS line (Node 20 reached end of life in April 2026).
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
COPY examples ./examples
COPY LICENSE ./
RUN mkdir -p /var/lib/modelwatch && chown node:node /var/lib/modelwatch
USER node
EXPOSE 9746
HEALTHCHECK --interval=15s --timeout=5s --retries=3 CMD node -e "fetch('http://127.0.0.1:9746/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/cli/index.js"]
CMD ["serve", "-c", "/etc/modelwatch/modelwatch.yaml"]
