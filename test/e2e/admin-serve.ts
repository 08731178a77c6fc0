/** Starts the admin e2e world on a port (default 4173) for looking at pages by hand; Ctrl-C stops it. */
import { DEMO_PASSWORD } from '@spotcheck/demo';
import { startAdminWorld } from './admin-world';

const world = await startAdminWorld(Number(process.env.PORT ?? 4173));
console.log(`admin world at ${world.server.url}/admin/ (demo password ${DEMO_PASSWORD})`);
process.on('SIGINT', () => void world.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void world.close().then(() => process.exit(0)));
