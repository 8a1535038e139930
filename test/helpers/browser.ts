import fs from 'node:fs';

/** Debian's Chromium, which playwright-core drives (it cannot download its own here). */
export const CHROMIUM = process.env['PERFGUARD_CHROMIUM'] ?? '/usr/bin/chromium';

/** Flags a root, offline, headless Chromium needs. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether browser tests can run. Without Chromium they say so loudly and skip locally;
 * under CI=true a missing browser is a failure, never a silent skip.
 */
export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  const message = `Chromium not found at ${CHROMIUM}: the dashboard's browser tests cannot run. Install it with: apt-get install -y chromium`;
  if (process.env['CI'] === 'true') throw new Error(message);
  console.warn(`\n*** SKIPPING BROWSER TESTS: ${message} ***\n`);
  return false;
}
