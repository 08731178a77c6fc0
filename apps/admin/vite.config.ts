import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by apps/api under /admin/; in development Vite proxies the API.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/trpc': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/upload': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/evidence': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is ~570 kB minified; pages are split with lazy().
    chunkSizeWarningLimit: 1500,
    // antd's rc-component and @ant-design helper packages declare no `sideEffects`, so the
    // bundler keeps every module they import (all of rc-form with its validator behind
    // ConfigProvider, a whole rc-menu behind Tabs…). They have none at import time: declaring so
    // lets unused parts drop. rc-picker is left out: its dayjs adapter extends dayjs on import.
    rolldownOptions: {
      treeshake: {
        moduleSideEffects: (id: string) =>
          /\/node_modules\/(@rc-component\/(?!picker\/)|@ant-design\/)/.test(id) ? false : undefined,
      },
    },
  },
});
