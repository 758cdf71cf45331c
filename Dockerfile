FROM node:24-bookworm-slim

WORKDIR /app

# Dependencies first, so the layer is cached until the lockfile changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .

USER node
EXPOSE 3000
CMD ["npm", "start"]
