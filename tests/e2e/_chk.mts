import { ensureChromium } from './chromium';
process.stdout.write(await ensureChromium() + '\n');
