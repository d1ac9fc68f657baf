/**
 * API Platform Admin on a Rung API, with no configuration: the admin reads
 * the entry point and the Hydra documentation of the origin it is served
 * from (test/clients/admin.test.ts serves it on the API's own origin).
 * Built with vite 8, which compiles JSX without a plugin or config file.
 */
import { createRoot } from 'react-dom/client';
import { HydraAdmin } from '@api-platform/admin';

// disableTelemetry: react-admin would otherwise call marmelab's server.
createRoot(document.getElementById('root')).render(<HydraAdmin entrypoint={window.location.origin} disableTelemetry />);
