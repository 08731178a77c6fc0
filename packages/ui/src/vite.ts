/**
 * The Vite configuration of a Spotcheck web app (Node only: each app's `vite.config.ts` imports
 * this file by its path, which Vite bundles; Node itself cannot load a package's TypeScript). Every
 * app is a React SPA served by apps/api, with the same document head and mount point, the API
 * proxied in development, and antd's helper packages tree-shaken.
 */
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

/** What differs between the apps. */
export interface WebAppConfig {
  /** Where apps/api serves the built app (`/admin/`, `/`). */
  base: string;
  /** The development server's port. */
  port: number;
  /** Paths the development server passes to the API on 127.0.0.1:3000 besides `/trpc`. */
  proxy?: readonly string[];
}

/**
 * The document every app shares: charset, viewport, icon and the `#root` React renders into. An
 * app's `index.html` holds what is its own: the title and the entry script.
 */
export function sharedDocument(): Plugin {
  return {
    name: 'spotcheck-document',
    transformIndexHtml: {
      order: 'pre',
      handler: () => [
        { tag: 'meta', attrs: { charset: 'UTF-8' }, injectTo: 'head-prepend' },
        {
          tag: 'meta',
          attrs: { name: 'viewport', content: 'width=device-width, initial-scale=1.0' },
          injectTo: 'head-prepend',
        },
        {
          tag: 'link',
          attrs: { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' },
          injectTo: 'head-prepend',
        },
        { tag: 'div', attrs: { id: 'root' }, injectTo: 'body-prepend' },
      ],
    },
  };
}

/** A web app's Vite configuration. */
export function webAppConfig({ base, port, proxy = [] }: WebAppConfig): UserConfig {
  const api = { target: 'http://127.0.0.1:3000', changeOrigin: false };
  return defineConfig({
    base,
    plugins: [react(), sharedDocument()],
    server: {
      port,
      proxy: Object.fromEntries(['/trpc', ...proxy].map((path) => [path, api])),
    },
    worker: { format: 'es' },
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
}
