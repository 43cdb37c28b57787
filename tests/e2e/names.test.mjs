// Issue 11, item 4: what the screen says follows the scenario. After the 103-people
// example goes to 250 people in the Form, the title, the run status, the download names
// and the heading a share link's recipient sees say 250 (the `name` follows the count it
// quotes, and everything follows the `name`); examples' notes read as prose, without the
// `# expect` lines or the names of test files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadExample, run, screenshots, shows, step } from './lib.mjs';

const OLD = '103 knowledge workers on 50 tokens';
const NEW = '250 knowledge workers on 50 tokens';

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

await run('names', async ({ open, browser }) => {
  const page = await open();

  step('the 103-people example goes to 250 people in the Form');
  await loadExample(page, 'sizing.toml', OLD);
  await page.click('#view-form');
  await page.locator('#f-cohort-0-count').waitFor();
  await page.fill('#f-cohort-0-count', '250');
  await page.press('#f-cohort-0-count', 'Tab');
  await page.waitForFunction(() => document.querySelector('#scenario-text').value.includes('count = 250'));
  await page.locator('.notice', { hasText: `The scenario's name follows: “${NEW}”` }).waitFor();

  step('the title, the run status and the download names say 250');
  await shows(page, NEW);
  assert.equal((await page.locator('.result-title').textContent()).trim(), NEW);
  await page.waitForFunction((n) => document.querySelector('.run-status').textContent.startsWith(`Ran ${n} in`), NEW);
  const toml = await download(page, '#export-toml');
  assert.equal(toml.name, '250-knowledge-workers-on-50-tokens.toml');
  assert.ok(toml.text.includes('count = 250'));
  const csv = await download(page, '#export-timeline-csv');
  assert.equal(csv.name, '250-knowledge-workers-on-50-tokens-timeline.csv');
  for (const sel of ['.result-head', '.run-status[data-phase]']) {
    assert.ok(!(await page.locator(sel).textContent()).includes('103'), `${sel} still says 103`);
  }
  assert.equal(await page.getAttribute('#save-name', 'placeholder'), NEW, 'the name to save under');

  step('the title follows the name as it is typed');
  await page.fill('#f-scenario-0-name', 'Our 250 workers');
  await page.press('#f-scenario-0-name', 'Tab');
  await shows(page, 'Our 250 workers');
  const renamed = await download(page, '#export-timeline-csv');
  assert.equal(renamed.name, 'our-250-workers-timeline.csv');

  step('the share link\'s recipient sees the same heading');
  await page.click('#share');
  const link = await page.locator('#share-link').inputValue();
  const other = await open({ address: link });
  await shows(other, 'Our 250 workers');
  assert.equal((await other.locator('.result-title').textContent()).trim(), 'Our 250 workers');
  await other.context().close();

  step('an example\'s notes read as prose: no expect lines, no test file names');
  await page.click('#view-text');
  await loadExample(page, 'q01-testers-quarantine.toml', 'Q1:');
  await page.locator('.example-notes summary').click();
  const notes = page.locator('.example-notes .notes-text');
  const words = await notes.textContent();
  for (const bad of ['expect', 'tests/examples.rs', 'QUESTIONS.md', '# ']) {
    assert.ok(!words.includes(bad), `the notes show "${bad}": ${words}`);
  }
  assert.ok(words.includes('Question 1: "I gave tokens to testers'), words);
  assert.ok(await notes.locator('p').count() >= 3, 'paragraphs');
  assert.ok(await notes.locator('li').count() >= 4, 'the timeline as a list');
  await notes.locator('li', { hasText: 'day 3 09:05: dana gets ben\'s token.' }).waitFor();
  // Rule ids in the notes open the rule book.
  await notes.locator('button[data-rule="UAP-3"]').first().click();
  await page.locator('.rule-panel.open .rule-id', { hasText: 'UAP-3' }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.example-notes').scrollIntoViewIfNeeded();
  await screenshots(page, 'notes');
  void browser;
});
