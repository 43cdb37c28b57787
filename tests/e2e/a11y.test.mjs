// The accessibility check of issue 11: axe-core on the main view, the Form, the rule book
// and the sizing panel, at 1400 and 390 px: no violation of impact "serious" or
// "critical" (the others are printed).
import { axe, goTo, loadExample, run, step, waitValue } from './lib.mjs';

await run('a11y', async ({ open }) => {
  for (const [width, height] of [[1400, 1000], [390, 844]]) {
    step(`${width} px`);
    const page = await open({ width, height });
    await goTo(page, 'day 26 00:00');
    await waitValue(page, 'groups.analysts.available', '6');
    await page.click('#next-event');
    await page.locator('.step-banner').waitFor();
    await page.locator('.example-notes summary').click();
    await axe(page, `main view, ${width} px`);

    await page.click('#view-form');
    await page.locator('#f-license-0-tokens').waitFor();
    await page.locator('.several[data-several="users"] summary').click();
    await axe(page, `Form, ${width} px`);
    await page.click('#view-text');

    await page.click('.rulebook-button');
    await page.locator('.rule-panel.open .rule-entry').first().waitFor();
    await axe(page, `rule book index, ${width} px`);
    await page.click('.rule-panel .rule-entry[data-rule="UAP-3"]');
    await page.locator('.rule-panel .rule-id', { hasText: 'UAP-3' }).waitFor();
    await axe(page, `rule book, one rule, ${width} px`);
    await page.keyboard.press('Escape');
    await page.locator('.rule-panel.open').waitFor({ state: 'detached' });

    await loadExample(page, 'sizing.toml', '103 knowledge workers on 50 tokens');
    await page.click('#tab-sizing');
    await page.fill('#sizing-seeds', '4');
    await page.press('#sizing-seeds', 'Tab');
    await page.click('#sizing-run');
    await page.locator('.sizing-report').waitFor({ timeout: 60_000 });
    await axe(page, `sizing panel, ${width} px`);
    await page.context().close();
  }
});
