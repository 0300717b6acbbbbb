# The worker, API and migrate image of docker-compose.yml: the lock file's packages exactly, and
# the console built in, so the API serves it at /.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN npm run build:web
ENV NODE_ENV=production
USER node
