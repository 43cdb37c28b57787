// Issue 15, part 5 (use rights, checked): the use-rights example from the gallery shows
// its warnings beside the check status, each with its place and LM section (the run's
// LM IV.C warning arrives once it has run); a click on a place puts the caret on that
// line; a file without breaches shows none. No console error.
import assert from 'node:assert/strict';
import { example, loadExample, paste, run, screenshots, shows, step } from './lib.mjs';

const TITLE = 'Use rights: what the license metrics allow, checked';
// The example's `# expect-warning` lines, in order: what the list must show.
const expected = example('use-rights.toml')
  .split('\n')
  .filter((l) => l.startsWith('# expect-warning LM '))
  .map((l) => l.slice('# expect-warning '.length).split(': ')[0]);

await run('rights', async ({ open }) => {
  const page = await open();

  step('the gallery example: its warnings beside the check status, with their LM sections');
  await loadExample(page, 'use-rights.toml', TITLE);
  await page.waitForFunction((n) => document.querySelectorAll('.use-rights .warnings li').length === n, expected.length);
  const sections = await page.locator('.use-rights .warnings .lm').allTextContents();
  assert.deepEqual(sections, expected);
  const status = await page.locator('.editor-status').textContent();
  assert.match(status, /^Valid:/);
  assert.match(status, new RegExp(`${expected.length} warnings about use rights`));
  const items = await page.locator('.use-rights .warnings li').allTextContents();
  assert.ok(items.some((t) => t.includes('Professional users are not available for external use')), items.join('\n'));
  assert.ok(items.some((t) => t.includes('parallel connections for multiple Displays')), items.join('\n'));
  // The run's own check (LM IV.C: ann's allocation given back), last in file order.
  assert.match(items.at(-1), /`ann`'s Professional allocation/);

  step('a click on a warning puts the caret on its line');
  const first = page.locator('.use-rights .warnings button').first();
  const line = Number(await first.getAttribute('data-line'));
  await first.click();
  const caretLine = await page.evaluate(() => {
    const a = document.querySelector('#scenario-text');
    return a.value.slice(0, a.selectionStart).split('\n').length;
  });
  assert.equal(caretLine, line);

  await screenshots(page, 'rights');

  step('a file within its rights shows no warning');
  await paste(page, example('walkthrough.toml'));
  await shows(page, 'walkthrough');
  assert.equal(await page.locator('.use-rights .warnings li').count(), 0);
});
