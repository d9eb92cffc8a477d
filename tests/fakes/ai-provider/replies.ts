/**
 * The fake provider's deterministic answers: the same model and prompt always give the same text and
 * token counts, so tests can assert exact usage and cost.
 */
export interface FakeReply {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

/** About four bytes per token, like real tokenizers on English text. */
export function fakeTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / 4);
}

/** Overhead tokens the fake adds per request, like the chat format does. */
export const FAKE_PROMPT_OVERHEAD = 4;

export function fakeReply(model: string, prompt: string, maxTokens: number | undefined): FakeReply {
  let text = `[${model}] You said: ${prompt.trim().slice(0, 200)}`;
  // Honour the output limit as a real provider would: cut the text to fit.
  if (maxTokens !== undefined) {
    text = text.slice(0, Math.max(0, maxTokens * 4));
    // Multi-byte characters take more than one byte per character: trim until the count fits.
    while (fakeTokens(text) > maxTokens) text = text.slice(0, -1);
  }
  return { text, inputTokens: fakeTokens(prompt) + FAKE_PROMPT_OVERHEAD, outputTokens: fakeTokens(text) };
}
