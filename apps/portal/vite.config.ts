import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The public column, served by apps/api at `/`; in development Vite proxies the API.
export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    port: 5174,
    proxy: { '/trpc': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is ~570 kB minified; pages are split with lazy().
    chunkSizeWarningLimit: 1500,
  },
});
