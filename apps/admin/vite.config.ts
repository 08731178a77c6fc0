// By path, not as `@spotcheck/ui`: Vite bundles this file but leaves package imports to Node,
// which cannot load the package's TypeScript.
import { webAppConfig } from '../../packages/ui/src/vite';

// Served by apps/api under /admin/; in development Vite proxies the API and the upload and
// evidence routes.
export default webAppConfig({ base: '/admin/', port: 5173, proxy: ['/upload', '/evidence', '/draws'] });
