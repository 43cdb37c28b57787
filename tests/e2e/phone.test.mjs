// Issue 11, item 6: phone and tablet. Seen at 390×844: the tagline on 6 lines, the sticky
// time block ~40% of the screen, the log's "What happened" 2–3 characters wide, the page
// scrolling sideways. At 390 px: no sideways scroll (main view, Form, Sizing, rule
// book), the tagline compact, the time bar compact, the log read as rows.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OUT, goTo, run, step, waitValue } from './lib.mjs';

async function noSideways(page, what) {
  const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(w.scroll <= w.client, `${what}: the page is ${w.scroll} px wide in a ${w.client} px window`);
}

await run('phone', async ({ open }) => {
  for (const [width, height] of [[390, 844], [768, 1024]]) {
    step(`${width}×${height}`);
    const page = await open({ width, height });
    await goTo(page, 'day 26 00:00');
    await waitValue(page, 'groups.analysts.available', '6');
    await noSideways(page, 'main view');

    const tagline = await page.locator('.tagline').boundingBox();
    const line = await page.locator('.tagline').evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || 18);
    assert.ok(tagline.height <= 2 * line + 1, `the tagline takes ${tagline.height} px (${line} px a line)`);

    await page.click('#next-event');
    await page.locator('.step-banner').waitFor();
    const bar = await page.locator('.time-bar').boundingBox();
    assert.ok(bar.height <= height * 0.25, `the time bar takes ${bar.height} of ${height} px`);

    // The log as rows: what happened gets (almost) the whole width.
    const text = await page.locator('.event-log tbody td.ev-text').first().boundingBox();
    const log = await page.locator('.event-log').boundingBox();
    assert.ok(text.width >= log.width * (width < 640 ? 0.8 : 0.4), `"What happened" is ${text.width} px of ${log.width}`);
    if (width === 390) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(OUT, 'phone-top.png') });
      await page.locator('.event-log').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUT, 'phone-log.png') });
    }

    await page.click('#view-form');
    await page.locator('#f-license-0-tokens').waitFor();
    await noSideways(page, 'Form');
    await page.click('#view-text');
    await page.click('#tab-sizing');
    await noSideways(page, 'Sizing');
    await page.click('#tab-compare');
    await noSideways(page, 'Compare');
    await page.click('#tab-run');
    await page.click('.rulebook-button');
    await page.locator('.rule-panel.open .rule-entry').first().waitFor();
    await noSideways(page, 'rule book');
    if (width === 390) await page.screenshot({ path: join(OUT, 'phone-rulebook.png') });
    await page.context().close();
  }
});
