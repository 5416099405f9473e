/**
 * Providers register by import: the core knows no SDK, an id whose provider was not imported says
 * which import to add, and importing the entry point makes the id resolve.
 */
import { describe, expect, it } from 'vitest';
import { modelProviders, resolveModel, UserError } from 'schemantic';

describe('model ids and provider entry points', () => {
  it('names the import to add for a shipped provider that was not imported', async () => {
    await expect(resolveModel('openai:gpt-4o')).rejects.toThrow(UserError);
    await expect(resolveModel('deepseek:deepseek-chat')).rejects.toThrow(
      'model "deepseek:deepseek-chat" needs its provider: add `import \'schemantic/openai\';`',
    );
    await expect(resolveModel('anthropic:claude-sonnet-5-5')).rejects.toThrow("add `import 'schemantic/anthropic';`");
    expect(modelProviders()).toEqual(['test']);
  });

  it('lists what is registered for an unknown prefix', async () => {
    await expect(resolveModel('acme:model-1')).rejects.toThrow('unknown model provider "acme" in "acme:model-1"; registered providers: test');
  });

  it('resolves the ids once the entry points are imported', async () => {
    const { OpenAIChatModel } = await import('schemantic/openai');
    const { AnthropicModel } = await import('schemantic/anthropic');
    expect(modelProviders()).toEqual(['anthropic', 'deepseek', 'groq', 'mistral', 'ollama', 'openai', 'openai-responses', 'openrouter', 'test', 'vllm']);
    const gpt = await resolveModel('ollama:llama3.2');
    expect(gpt).toBeInstanceOf(OpenAIChatModel);
    expect([gpt.system, gpt.name]).toEqual(['ollama', 'llama3.2']);
    const previous = process.env['ANTHROPIC_API_KEY'];
    process.env['ANTHROPIC_API_KEY'] = 'sk-ant-registry-test';
    try {
      expect(await resolveModel('anthropic:claude-sonnet-5-5')).toBeInstanceOf(AnthropicModel);
    } finally {
      if (previous === undefined) delete process.env['ANTHROPIC_API_KEY'];
      else process.env['ANTHROPIC_API_KEY'] = previous;
    }
  });
});
