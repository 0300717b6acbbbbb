// The console's build: React, bundled to web/dist as static files the API serves at /.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  // `vite --config web/vite.config.ts` for work on the console: the API on PORT answers /v1.
  server: { proxy: { '/v1': `http://127.0.0.1:${process.env.PORT ?? 3000}` } },
});
