// Opens the Aspire dashboard's trace view in headless Debian Chromium and saves a screenshot.
// usage: node scripts/screenshot/trace.mjs <dashboard login url> <trace id> <output.png>
import { chromium } from 'playwright-core';

const [loginUrl, traceId, output] = process.argv.slice(2);
const base = loginUrl.replace(/\/login.*$/, '');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 1700 } });
await page.goto(loginUrl, { waitUntil: 'networkidle' });
await page.goto(`${base}/traces/detail/${traceId}`, { waitUntil: 'networkidle' });
// The dashboard is a Blazor Server app: give it a moment to render the span waterfall.
await page.waitForSelector('text=worker-notifications', { timeout: 20_000 }).catch(() => {});
await page.waitForTimeout(2_000);
await page.screenshot({ path: output });
await browser.close();
