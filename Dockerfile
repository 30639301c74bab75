# Ledgerline API / worker / witness image (the same image runs all; the command decides).
FROM node:22-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The witness's state volume mounts here; created now so the volume is the node user's.
RUN mkdir -p /home/node/witness && chown node:node /home/node/witness
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
