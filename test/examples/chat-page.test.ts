/**
 * The chat page in a real browser (the system's Chromium, driven by playwright-core): a question
 * typed in the page streams back, the answer visibly growing and the tool call shown with its
 * arguments and result; a reload (and a new tab) shows the same conversation, read from the
 * store; a follow-up button asks the next question, answered from the stored history. Hostile
 * model output and a hostile prompt render as inert text and markup: nothing runs. No console
 * errors anywhere.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatDemoModel } from '../../examples/chat/demo-model.js';
import { startChatServer, type ChatServer } from '../../examples/chat/server.js';
import { launchChromium, NOON_UTC, replyModel } from './chat.helpers.js';

let browser: Browser;
let demo: ChatServer;
let hostile: ChatServer;

/** Markdown a model might be tricked into writing: every line tries to run script in the page. */
const HOSTILE_ANSWER = [
  '# Results',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '<script>window.__pwned = "script"</script>',
  "[click me](javascript:window.__pwned='link')",
  '<a href="javascript:window.__pwned=\'anchor\'">raw link</a>',
  '<iframe srcdoc="<script>parent.__pwned=\'iframe\'</script>"></iframe>',
  '<svg onload="window.__pwned=\'svg\'"><circle r="1"/></svg>',
  '<details open ontoggle="window.__pwned=\'toggle\'"><summary>more</summary>x</details>',
  '<form action="javascript:window.__pwned=\'form\'"><button>Go</button></form>',
  '[a real link](https://example.com/docs)',
].join('\n\n');
const HOSTILE_FOLLOW_UP = '<img src=x onerror="window.__pwned=\'follow-up\'">';

beforeAll(async () => {
  browser = await launchChromium();
  demo = await startChatServer(0, { database: { url: undefined }, model: chatDemoModel(30), now: NOON_UTC, partialOutputMs: 0 });
  hostile = await startChatServer(0, { database: { url: undefined }, model: replyModel({ answer: HOSTILE_ANSWER, follow_ups: [HOSTILE_FOLLOW_UP] }) });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await hostile?.close();
});

/** A new page with every console error, page error, dialog and POST body recorded. */
async function openPage(url: string, page?: Page) {
  page ??= await browser.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const posted: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => r.method() === 'POST' && posted.push(`${new URL(r.url()).pathname} ${r.postData() ?? ''}`));
  await page.goto(url);
  await page.locator('body[data-loaded="true"]').waitFor();
  return { page, problems, posted };
}

/**
 * Sends a question with `send` (Enter in the box, or a follow-up button), and records the answer's length each
 * time the page changes it while the reply is streaming; resolves when the reply is done.
 */
async function askAndWatch(page: Page, send: () => Promise<void>): Promise<{ lengths: number[]; final: string }> {
  // A script string, not a function: this file is type-checked without the DOM's types.
  await page.evaluate(`
    window.__lengths = [];
    new MutationObserver(() => {
      const reply = document.querySelector('#conversation > li.assistant:last-child');
      if (reply?.getAttribute('data-state') === 'streaming') window.__lengths.push(reply.querySelector('.answer').textContent.length);
    }).observe(document.getElementById('conversation'), { subtree: true, childList: true, characterData: true, attributes: true });
  `);
  await send();
  await page.locator('#conversation > li.assistant:last-child[data-state="done"]').waitFor();
  const lengths = (await page.evaluate('window.__lengths')) as number[];
  const final = (await page.locator('#conversation > li.assistant:last-child .answer').textContent()) ?? '';
  return { lengths, final };
}

describe('the chat page', () => {
  it('streams a reply as it is written, shows the tool call, and keeps the conversation across a reload and in a new tab', async () => {
    // One browser profile for the two tabs of this test (they share localStorage).
    const context = await browser.newContext();
    const { page, problems, posted } = await openPage(`${demo.url}/`, await context.newPage());
    const chatId = /#chat=([0-9a-f-]{36})$/.exec(page.url())![1]!;
    expect(await page.locator('#conversation > li').count()).toBe(0);

    await page.fill('#prompt', 'What time is it in Paris?');
    const { lengths, final } = await askAndWatch(page, () => page.press('#prompt', 'Enter'));
    // Seen growing: several lengths between nothing and the whole answer.
    const between = new Set(lengths.filter((n) => n > 0 && n < final.length));
    expect(between.size).toBeGreaterThanOrEqual(2);
    expect(final).toMatch(/^It is 13:00 on 2026-03-01 in Europe\/Paris \(I asked the current_time tool\)\./);
    const reply = page.locator('#conversation > li.assistant').first();
    // Markdown rendered: bold, code, a quote and a list.
    expect(await reply.locator('.answer strong').first().textContent()).toBe('13:00');
    expect(await reply.locator('.answer blockquote').textContent()).toContain('What time is it in Paris?');
    expect(await reply.locator('.answer li').count()).toBe(2);
    const tool = reply.locator('li.tool[data-tool-call-id="time-1"]');
    expect(await tool.getAttribute('data-state')).toBe('done');
    expect(await tool.locator('.name').textContent()).toBe('current_time');
    expect(await tool.locator('.args').textContent()).toBe('{"time_zone":"Europe/Paris"}');
    expect(await tool.locator('.result').textContent()).toBe('{"time_zone":"Europe/Paris","local_time":"2026-03-01 13:00"}');
    expect(await reply.locator('.follow-ups button').allTextContents()).toEqual(['What time is it in Tokyo?', 'What did I ask first?']);
    expect(await page.inputValue('#prompt')).toBe('');
    const streamed = await page.locator('#conversation').innerHTML();

    // Reload: the same conversation, read back from the store, rendered the same way.
    await page.reload();
    await page.locator('body[data-loaded="true"]').waitFor();
    expect(page.url()).toContain(`#chat=${chatId}`);
    expect(await page.locator('#conversation').innerHTML()).toBe(streamed);

    // A follow-up button asks its question; the answer comes from the stored first turn.
    const next = await askAndWatch(page, () => page.locator('button.follow-up', { hasText: 'What did I ask first?' }).click());
    expect(next.final).toContain('Your first question in this chat was: What time is it in Paris?');
    expect(next.final).toContain('You asked 1 question before this one');

    // A new tab of the same browser profile, without the hash, finds the chat through localStorage.
    const { page: tab, problems: tabProblems } = await openPage(`${demo.url}/`, await context.newPage());
    expect(tab.url()).toContain(`#chat=${chatId}`);
    expect(await tab.locator('#conversation > li.user .text').allTextContents()).toEqual(['What time is it in Paris?', 'What did I ask first?']);
    expect(await tab.locator('li.tool .result').allTextContents()).toEqual(['{"time_zone":"Europe/Paris","local_time":"2026-03-01 13:00"}']);

    // New chat: an empty conversation under a new id; the old one is still stored.
    await tab.click('#new-chat');
    await tab.locator('body[data-loaded="true"]').waitFor();
    expect(tab.url()).not.toContain(chatId);
    expect(await tab.locator('#conversation > li').count()).toBe(0);
    expect(await demo.store.turns(chatId)).toHaveLength(2);

    // All the page ever posted: the chat id in the path and the question, never a history.
    expect(posted).toEqual([`/chat/${chatId} {"prompt":"What time is it in Paris?"}`, `/chat/${chatId} {"prompt":"What did I ask first?"}`]);
    expect([...problems, ...tabProblems]).toEqual([]);
    await context.close();
  });

  it('renders hostile model output inert, while streaming and after a reload', async () => {
    const { page, problems } = await openPage(`${hostile.url}/`);
    await page.fill('#prompt', 'Show me the results');
    await page.click('#send');
    await page.locator('#conversation > li.assistant[data-state="done"]').waitFor();
    for (const phase of ['streamed', 'reloaded']) {
      if (phase === 'reloaded') {
        await page.reload();
        await page.locator('body[data-loaded="true"]').waitFor();
      }
      const answer = page.locator('#conversation > li.assistant .answer');
      expect(await answer.locator('h1').textContent(), phase).toBe('Results');
      expect(await answer.locator('img, script, iframe, svg, form, button, details[ontoggle]').count(), phase).toBe(0);
      const attributes = await answer.evaluate((root) =>
        [...root.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => `${el.tagName} ${a.name}=${a.value}`)),
      );
      expect(
        attributes.filter((a) => / on\w+=/.test(a) || /javascript:/i.test(a)),
        phase,
      ).toEqual([]);
      const links = answer.locator('a');
      expect(
        await links.evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')])),
        phase,
      ).toEqual([
        ['click me', null, null, null],
        ['raw link', null, null, null],
        ['a real link', 'https://example.com/docs', 'noopener noreferrer nofollow', '_blank'],
      ]);
      await links.first().click();
      // The follow-up is the text it is, on a button with nothing inside.
      const followUp = page.locator('button.follow-up');
      expect(await followUp.textContent(), phase).toBe(HOSTILE_FOLLOW_UP);
      expect(await followUp.evaluate((b) => b.children.length), phase).toBe(0);
      expect(await page.evaluate('window.__pwned'), phase).toBeUndefined();
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a hostile prompt as the text it is, and its echo in the reply inert', async () => {
    const { page, problems } = await openPage(`${demo.url}/`);
    await page.click('#new-chat');
    const prompt = 'Look: <img src=x onerror="window.__pwned=1"> and <b>bold</b> [x](javascript:window.__pwned=2)';
    await page.fill('#prompt', prompt);
    await page.click('#send');
    await page.locator('#conversation > li.assistant[data-state="done"]').waitFor();
    expect(await page.locator('li.user .text').textContent()).toBe(prompt);
    expect(await page.locator('li.user .text').evaluate((el) => el.children.length)).toBe(0);
    const quote = page.locator('li.assistant .answer blockquote');
    expect(await quote.locator('img').count()).toBe(0);
    expect(await quote.locator('b').textContent()).toBe('bold');
    expect(await quote.locator('a').getAttribute('href')).toBeNull();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  });
});
