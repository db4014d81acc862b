import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = import.meta.dirname;

// The client lives in client/ and is served by the API server from dist/client in production;
// in development Vite proxies the API so the session cookie stays same-origin.
export default defineConfig({
  root: path.join(here, 'client'),
  plugins: [react()],
  build: {
    outDir: path.join(here, 'dist', 'client'),
    emptyOutDir: true,
    sourcemap: false,
    // One internal single-page app loaded once per working day: a single ~170 kB (gzip) bundle is fine.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
