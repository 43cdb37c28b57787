// Issue 11, item 5: teaching and reading. Next / Previous event keep the state panel and
// its "was …" highlights in view at every width (seen at 1400×1000: under the sticky time
// bar after two steps); the rule book lists every rule with a short title, by topic, and
// the focus moves into it and back; the log's user filter selects one user exactly
// (person-42, not person-420); Ctrl+Enter runs the scenario.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, goTo, idle, paste, run, screenshots, shows, step, waitValue } from './lib.mjs';

/// Every highlighted count of the state panel is in the window, below the time bar.
async function highlightsInView(page, what) {
  const r = await page.evaluate(() => {
    const bar = document.querySelector('.time-bar').getBoundingClientRect();
    const counts = [...document.querySelectorAll('.state-panel .count.changed')].map((e) => e.getBoundingClientRect());
    return { bar: bar.bottom, height: window.innerHeight, counts: counts.map((c) => [c.top, c.bottom]) };
  });
  assert.ok(r.counts.length > 0, `${what}: a highlighted count`);
  for (const [top, bottom] of r.counts) {
    assert.ok(top >= r.bar - 1 && bottom <= r.height + 1, `${what}: a highlight at ${top.toFixed(0)}–${bottom.toFixed(0)}, the bar ends at ${r.bar.toFixed(0)}, the window at ${r.height}`);
  }
}

await run('teach', async ({ open }) => {
  for (const [width, height] of [[1400, 1000], [1000, 800], [390, 844]]) {
    step(`${width}×${height}: Next and Previous event keep the highlights in view`);
    const page = await open({ width, height });
    await goTo(page, 'day 1 09:00');
    await waitValue(page, 'at', '2026-03-02T09:00');
    for (const [i, button] of ['#next-event', '#next-event', '#next-event', '#prev-event', '#next-event', '#next-event'].entries()) {
      const before = await page.locator('.step-banner').textContent().catch(() => '');
      await page.click(button);
      await page.waitForFunction((b) => {
        const s = document.querySelector('.step-banner')?.textContent ?? '';
        return s !== '' && s !== b;
      }, before);
      await page.waitForFunction(() => document.querySelector('.state-panel .count.changed'));
      await page.waitForTimeout(100);
      await highlightsInView(page, `${width} px, step ${i + 1}`);
    }
    if (width !== 1000) await page.screenshot({ path: join(ROOT, 'test-output', `step-${width}.png`) });
    await page.context().close();
  }

  const page = await open();
  step('the rule book: every rule with its title, by topic; the focus goes in and comes back');
  const ids = [...readFileSync(join(ROOT, 'www/RULES.md'), 'utf8').matchAll(/^- \*\*([A-Z]+-\d+)\*\*/gm)].map((m) => m[1]);
  assert.ok(ids.length >= 39);
  await page.click('.rulebook-button');
  await page.locator('.rule-panel.open .rule-entry').first().waitFor();
  await page.waitForFunction(() => !!document.activeElement.closest('.rule-panel'), null, { timeout: 2000 })
    .catch(async () => assert.fail(`the focus is not in the panel but on ${await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80))}`));
  const listed = await page.$$eval('.rule-panel .rule-entry', (bs) => bs.map((b) => [b.dataset.rule, b.querySelector('.rule-entry-title').textContent.trim()]));
  assert.deepEqual(listed.map(([id]) => id), ids, 'every rule, in book order');
  for (const [id, title] of listed) assert.ok(title.length > 3 && !title.endsWith('…'), `${id} has a title: ${title}`);
  const topics = await page.$$eval('.rule-panel .rule-topic h3', (hs) => hs.map((h) => h.textContent.trim()));
  for (const t of ['Time', 'Tokens', 'User Access Pass', 'Login Access Pass', 'Sizing']) assert.ok(topics.includes(t), `topic ${t}: ${topics}`);
  await screenshots(page, 'rulebook');
  await page.click('.rule-panel .rule-entry[data-rule="LAP-3"]');
  await page.locator('.rule-panel .rule-id', { hasText: 'LAP-3' }).waitFor();
  assert.match(await page.locator('.rule-panel .rule-title').textContent(), /hour/);
  // The other rules of its topic, to browse on.
  await page.click('.rule-panel nav .rule-entry[data-rule="LAP-4"]');
  await page.locator('.rule-panel .rule-id', { hasText: 'LAP-4' }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.rule-panel.open').waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement.className === 'rulebook-button', null, { timeout: 2000 })
    .catch(async () => assert.fail(`the focus is not back where it was but on ${await page.evaluate(() => document.activeElement.outerHTML.slice(0, 80))}`));
  // From a rule id in the log: back on that id.
  const link = page.locator('.event-log tbody .rule-link').nth(2);
  await link.focus();
  await page.keyboard.press('Enter');
  await page.locator('.rule-panel.open .rule-id').waitFor();
  await page.waitForFunction(() => !!document.activeElement.closest('.rule-panel'), null, { timeout: 2000 });
  await page.click('.rule-panel-head button');
  await page.locator('.rule-panel.open').waitFor({ state: 'detached' });
  assert.ok(await page.evaluate(() => document.activeElement.matches('.event-log .rule-link')), 'back on the rule id');

  step('the log\'s user filter selects one user exactly');
  const people = [
    'name = "people"', 'start = "2026-01-05"', 'days = 20', 'seed = 1', '', '[license]', 'tokens = 600', '',
    '[[group]]', 'name = "all"', 'tokens = 500', '',
    '[[cohort]]', 'name = "person"', 'count = 4300', 'access = "login:all"', 'visits_per_month = 30', 'visit_length = "20m"', '',
  ].join('\n');
  await paste(page, people);
  await shows(page, 'people');
  await page.fill('#filter-user', 'person-42');
  await page.waitForFunction(() => {
    const users = [...document.querySelectorAll('.event-log tbody td.ev-user')].map((td) => td.textContent);
    return users.length > 0 && users.every((u) => u === 'person-42');
  }).catch(async () => assert.fail(`person-42 shows ${await page.locator('.event-log tbody td.ev-user').allTextContents()}`));
  await page.fill('#filter-user', 'person-42*');
  await page.waitForFunction(() => [...document.querySelectorAll('.event-log tbody td.ev-user')].some((td) => td.textContent.startsWith('person-42') && td.textContent !== 'person-42'));
  await page.fill('#filter-user', '');

  step('Ctrl+Enter runs the scenario');
  await page.uncheck('.auto-run input');
  await page.click('#scenario-text');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n# one more line');
  await page.waitForTimeout(500);
  await page.locator('.stale-note.shown').waitFor();
  await page.keyboard.press('Control+Enter');
  await page.locator('.stale-note.shown').waitFor({ state: 'detached' });
  await idle(page);
});
