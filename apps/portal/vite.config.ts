// By path, not as `@spotcheck/ui`: Vite bundles this file but leaves package imports to Node,
// which cannot load the package's TypeScript.
import { webAppConfig } from '../../packages/ui/src/vite';

// The public column, served by apps/api at `/`; in development Vite proxies the API and the
// open-data files.
export default webAppConfig({ base: '/', port: 5174, proxy: ['/open'] });
