// End-to-end test of the tools around a run (issue 6), in Debian's Chromium driven by
// playwright-core: a scenario built through the form, share links, saved scenarios and
// reloads, exports equal to the command line's, compare, bad imports, sizing in the
// browser. Expects a release build in dist/ and the native CLI at target/debug/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'test-output');
const CLI = join(ROOT, 'target/debug/license-lab');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 30_000;
mkdirSync(OUT, { recursive: true });

const step = (what) => console.log(`- ${what}`);
const figure = (name, value) => console.log(`  ${name}: ${value}`);
const cli = (...args) => execFileSync(CLI, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });

const server = await serve(join(ROOT, 'dist'), 0);
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const problems = [];
let failed = false;

async function open(context, address = url) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(address);
  await page.waitForSelector('body[data-ready=true]');
  await idle(page);
  return page;
}

const idle = (page) =>
  page.waitForFunction(() => document.querySelector('.run-status')?.dataset.phase === 'idle');

const valueOf = (page, key) => page.locator(`[data-key="${key}"]`).first().textContent().then((t) => (t ?? '').trim());

async function waitValue(page, key, want) {
  await page
    .waitForFunction(([k, w]) => document.querySelector(`[data-key="${k}"]`)?.textContent.trim() === w, [key, want])
    .catch(async () => assert.fail(`${key}: expected ${want}, found ${await valueOf(page, key)}`));
}

async function goTo(page, time) {
  await page.fill('#time-input', time);
  await page.press('#time-input', 'Enter');
}

const editorText = (page) => page.locator('#scenario-text').inputValue();

// Puts a long text into the editor as a paste would land (one input event). Chromium's
// own insertText, which page.fill uses, takes seconds per thousand lines in a textarea,
// app or not.
const pasteText = (page, text) =>
  page.evaluate((t) => {
    const area = document.querySelector('#scenario-text');
    area.value = t;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);

async function loadExample(page, title) {
  await page.locator('.gallery button.example', { hasText: title }).first().click();
  await page.waitForFunction((t) => document.querySelector('.result-title')?.textContent.includes(t), title);
  await idle(page);
}

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

try {
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await open(ctx);

  step('a scenario built only through the form runs, and its TOML is valid');
  await page.click('#new-scenario');
  await page.locator('#view-form[aria-selected="true"]').waitFor();
  await page.locator('.form-section[data-section="license"]').waitFor();
  for (const section of ['group', 'user', 'visit']) {
    const before = await page.locator(`.form-section[data-section="${section}"] fieldset.form-row`).count();
    await page.click(`.add-row[data-section="${section}"]`);
    await page.waitForFunction(
      ([s, n]) => document.querySelectorAll(`.form-section[data-section="${s}"] fieldset.form-row`).length === n + 1,
      [section, before],
    );
  }
  // Two tokens for the group, and the visit 70 minutes long: two passes (LAP-3).
  await page.fill('#f-group-0-tokens', '2');
  await page.press('#f-group-0-tokens', 'Tab');
  await page.waitForFunction(() => document.querySelector('#scenario-text').value.includes('tokens = 2'));
  await page.fill('#f-visit-0-active', '70m');
  await page.press('#f-visit-0-active', 'Tab');
  await page.waitForFunction(() => document.querySelector('#scenario-text').value.includes('active = "70m"'));
  // A value of the wrong kind is refused beside its input, and the text is kept.
  await page.fill('#f-visit-0-active', 'ten minutes');
  await page.press('#f-visit-0-active', 'Tab');
  await page.locator('.form-field.invalid .field-error', { hasText: 'bad duration' }).waitFor();
  assert.ok((await editorText(page)).includes('active = "70m"'), 'a refused edit leaves the text');
  await page.waitForFunction(() => document.querySelector('.editor-status')?.textContent.includes('Valid: 1 user, 1 visit'));
  await idle(page);
  await goTo(page, 'day 1 10:00');
  await waitValue(page, 'totals.passes_consumed', '2');
  await waitValue(page, 'groups.group-1.passes', '20');
  const formText = await editorText(page);
  writeCheck(formText);
  await page.click('#view-text');

  step('the form keeps the comments of the text');
  await loadExample(page, 'Login access passes: the walkthrough');
  await page.click('#view-form');
  await page.locator('#f-license-0-tokens').waitFor();
  await page.fill('#f-license-0-tokens', '12');
  await page.press('#f-license-0-tokens', 'Tab');
  await page.waitForFunction(() => document.querySelector('#scenario-text').value.includes('tokens = 12'));
  const edited = await editorText(page);
  const original = readFileSync(join(ROOT, 'examples/walkthrough.toml'), 'utf8');
  assert.equal(edited, original.replace('[license]\nkind = "perpetual"\ntokens = 10', '[license]\nkind = "perpetual"\ntokens = 12'),
    'only the edited value changed; every comment is still there');
  await page.click('#view-text');

  step('export: the timeline CSV equals license-lab run --format csv, byte for byte');
  await loadExample(page, 'Login access passes: the walkthrough');
  const csv = await download(page, '#export-timeline-csv');
  assert.equal(csv.text, cli('run', 'examples/walkthrough.toml', '--format', 'csv'));
  const json = await download(page, '#export-timeline-json');
  assert.equal(json.text, cli('run', 'examples/walkthrough.toml', '--format', 'json'));
  const events = await download(page, '#export-events-csv');
  assert.equal(events.text, cli('events', 'examples/walkthrough.toml', '--format', 'csv'));
  figure('downloads', `${csv.name}, ${json.name}, ${events.name}`);
  const svg = await download(page, '.chart[data-chart="tokens"] .export-svg');
  assert.ok(svg.text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && svg.text.includes('<path'), 'the chart as SVG');
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('.chart[data-chart="tokens"] .export-png')]);
  const pngBytes = readFileSync(await png.path());
  assert.equal(pngBytes.subarray(1, 4).toString(), 'PNG', 'the chart as PNG');

  step('share: the link opens the same scenario in a fresh browser, with the same state');
  await loadExample(page, 'User Access Pass quarantine');
  await page.click('#share');
  const link = await page.locator('#share-link').inputValue();
  assert.ok(link.includes('#s=1'), link);
  const textHere = await editorText(page);
  await goTo(page, 'day 12 12:00');
  await waitValue(page, 'tokens.pending', '1');
  const stateHere = await page.locator('.state-json pre, pre.state-json').first().textContent().catch(() => null);
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const other = await open(fresh, link);
  await other.waitForFunction((t) => document.querySelector('#scenario-text').value === t, textHere);
  assert.equal(await editorText(other), textHere, 'identical scenario text');
  await other.waitForFunction(() => document.querySelector('.result-title')?.textContent.includes('User Access Pass quarantine'));
  await idle(other);
  await goTo(other, 'day 12 12:00');
  for (const key of ['at', 'tokens.pending', 'tokens.free', 'user_passes.quarantined', 'totals.denied']) {
    await waitValue(other, key, await valueOf(page, key));
  }
  if (stateHere) {
    const stateThere = await other.locator('.state-json pre, pre.state-json').first().textContent().catch(() => null);
    assert.equal(stateThere, stateHere, 'identical State JSON');
  }
  await fresh.close();

  step('too long for a link: says so and offers the file');
  await loadExample(page, 'Login access passes: the walkthrough');
  await pasteText(page, (await editorText(page)) + '\n' + Array.from({ length: 3000 }, (_, i) => `# noise ${(i * 2654435761) % 4294967296}`).join('\n'));
  await page.click('#share');
  await page.locator('.share-box.error', { hasText: 'too long for a link' }).waitFor();
  await page.locator('.share-box.error button', { hasText: 'Download' }).waitFor();

  step('keep: a saved scenario survives a reload, renamed and deleted');
  await loadExample(page, 'Qlik Core sessions');
  await page.fill('#save-name', 'core for later');
  await page.click('#save-scenario');
  await page.locator('.saved[data-name="core for later"]').waitFor();
  await loadExample(page, 'Login access passes: the walkthrough');
  await page.fill('#scenario-text', (await editorText(page)) + '\n# my own note\n');
  await page.waitForTimeout(600);
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  await idle(page);
  await page.locator('.saved[data-name="core for later"]').waitFor();
  assert.ok((await editorText(page)).endsWith('# my own note\n'), 'the last text reopens on reload');
  await page.locator('.saved[data-name="core for later"] .open-saved').click();
  await page.waitForFunction(() => document.querySelector('.result-title')?.textContent.includes('Qlik Core sessions'));
  await page.locator('.saved[data-name="core for later"] .rename-saved').click();
  await page.fill('.saved .rename-input', 'core kept');
  await page.press('.saved .rename-input', 'Enter');
  await page.locator('.saved[data-name="core kept"]').waitFor();
  await page.locator('.saved[data-name="core kept"] .delete-saved').click();
  await page.locator('.saved[data-name="core kept"]').waitFor({ state: 'detached' });

  step('bad imports give a clear error and leave the scenario untouched');
  await loadExample(page, 'Login access passes: the walkthrough');
  const before = await editorText(page);
  const bad = [
    ['not-toml.toml', 'this is [not TOML at all\n'],
    ['wrong-keys.toml', 'start = "2026-01-01"\ndays = 3\ncolour = "red"\n'],
    ['junk.toml', 'x'.repeat(10 * 1024 * 1024)],
  ];
  for (const [name, content] of bad) {
    await page.locator('#import-input').setInputFiles({ name, mimeType: 'application/toml', buffer: Buffer.from(content) });
    await page.locator('.notice.error', { hasText: `${name} was not imported` }).waitFor();
    assert.equal(await editorText(page), before, `${name} left the text untouched`);
    await page.click('.notice-close');
  }
  await page.locator('#import-input').setInputFiles({
    name: 'quarantine.toml',
    mimeType: 'application/toml',
    buffer: readFileSync(join(ROOT, 'examples/quarantine.toml')),
  });
  await page.waitForFunction(() => document.querySelector('.result-title')?.textContent.includes('User Access Pass quarantine'));

  step('compare: both runs\' peak used passes side by side');
  await loadExample(page, '103 knowledge workers on 50 tokens');
  await page.click('#tab-compare');
  await page.selectOption('#compare-from', 'current');
  const b = (await page.locator('#compare-text').inputValue()).replace(/tokens = 50/g, 'tokens = 25');
  await page.fill('#compare-text', b);
  await page.click('#compare-run');
  const row = page.locator('.compare-table tr[data-figure="peak-used-passes"]');
  await row.waitFor();
  const sizingFile = join(ROOT, 'examples/sizing.toml');
  const expected = cli('compare', sizingFile, sizingFile);
  const peakA = expected.split('\n').find((l) => l.startsWith('peak used passes')).trim().split(/\s+/).pop();
  assert.equal((await row.locator('td.a').textContent()).trim(), peakA);
  const peakB = Number((await row.locator('td.b').textContent()).trim());
  assert.ok(peakB > 0 && peakB <= 250, `B's peak ${peakB}: 25 tokens hold at most 250 passes`);
  await page.locator('.chart[data-chart="compare-used"]').waitFor();
  figure('compare, peak used passes', `A ${peakA}, B ${peakB}`);
  await page.screenshot({ path: join(OUT, 'compare.png') });

  step('sizing in the browser: the same numbers as license-lab size');
  await page.click('#tab-sizing');
  await page.fill('#sizing-seeds', '50');
  await page.press('#sizing-seeds', 'Tab');
  const t0 = Date.now();
  await page.click('#sizing-run');
  await page.locator('.sizing-text').waitFor({ state: 'attached', timeout: 120_000 });
  const ms = Date.now() - t0;
  const browserText = await page.locator('.sizing-text').textContent();
  const cliText = cli('size', 'examples/sizing.toml');
  assert.equal(browserText.trim(), cliText.trim(), 'the report is the command line\'s');
  assert.ok(browserText.includes('SIZE-1:             50 tokens'));
  assert.equal((await page.locator('[data-group="workers"] [data-figure="size-1"] .figure-value').textContent()).trim(), '50 tokens');
  figure('sizing, 50 seeds of 103 people', `${ms} ms on ${await page.locator('#sizing-status').textContent()}`);
  await page.screenshot({ path: join(OUT, 'sizing.png') });

  step('no errors in the browser console');
  assert.deepEqual(problems, [], problems.join('\n'));
  await ctx.close();
} catch (e) {
  failed = true;
  console.error(e);
  if (problems.length) console.error(problems.join('\n'));
} finally {
  await browser.close();
  server.close();
}

// The text built through the form is a valid scenario for the command line too.
function writeCheck(text) {
  const file = join(OUT, 'form-built.toml');
  execFileSync('bash', ['-c', `cat > '${file}'`], { input: text });
  assert.equal(cli('check', file), 'ok\n');
}

if (failed) {
  console.error('e2e tools: FAILED');
  process.exit(1);
}
console.log('e2e tools: all checks passed');
