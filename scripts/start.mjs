// `npm start`: install what is missing, then run the local stack supervisor (scripts/start.ts).
import { ensureNodeModules, loadTypeScript } from './bootstrap.mjs';

ensureNodeModules();
await loadTypeScript();
await import('./start.ts');
