import type { FakeReply } from "./replies.js";

/**
 * The three wire formats the fake speaks: request parsing, success bodies and error bodies for the
 * OpenAI Chat Completions, Anthropic Messages and Gemini generateContent APIs (only the fields Hearth's
 * adapters and the official SDKs read).
 */
export interface ParsedRequest {
  model: string;
  prompt: string;
  maxTokens: number | undefined;
}

export interface Dialect {
  parse(body: unknown, path: string): ParsedRequest | undefined;
  success(req: ParsedRequest, reply: FakeReply, id: number): unknown;
  error(status: number, message: string): unknown;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The text of the last user message in OpenAI or Anthropic `messages`. */
function lastUserText(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  const last = messages.filter((m) => isObject(m) && m.role === "user").at(-1);
  if (!isObject(last)) return undefined;
  if (typeof last.content === "string") return last.content;
  if (Array.isArray(last.content)) {
    return last.content
      .map((part) => (isObject(part) && typeof part.text === "string" ? part.text : ""))
      .join("");
  }
  return undefined;
}

function optionalInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

export const openAi: Dialect = {
  parse(body) {
    if (!isObject(body) || typeof body.model !== "string") return undefined;
    const prompt = lastUserText(body.messages);
    if (prompt === undefined) return undefined;
    return {
      model: body.model,
      prompt,
      maxTokens: optionalInt(body.max_tokens ?? body.max_completion_tokens),
    };
  },
  success(req, reply, id) {
    return {
      id: `chatcmpl-fake-${id}`,
      object: "chat.completion",
      created: 0,
      model: req.model,
      choices: [{ index: 0, message: { role: "assistant", content: reply.text }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: reply.inputTokens,
        completion_tokens: reply.outputTokens,
        total_tokens: reply.inputTokens + reply.outputTokens,
      },
    };
  },
  error(status, message) {
    return { error: { message, type: status === 429 ? "rate_limit_error" : "server_error", code: null } };
  },
};

export const anthropic: Dialect = {
  parse(body) {
    if (!isObject(body) || typeof body.model !== "string") return undefined;
    const prompt = lastUserText(body.messages);
    const maxTokens = optionalInt(body.max_tokens);
    if (prompt === undefined || maxTokens === undefined) return undefined;
    return { model: body.model, prompt, maxTokens };
  },
  success(req, reply, id) {
    return {
      id: `msg_fake_${id}`,
      type: "message",
      role: "assistant",
      model: req.model,
      content: [{ type: "text", text: reply.text }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: reply.inputTokens, output_tokens: reply.outputTokens },
    };
  },
  error(status, message) {
    return { type: "error", error: { type: status === 429 ? "rate_limit_error" : "api_error", message } };
  },
};

const GEMINI_PATH = /^\/v1(?:beta)?\/models\/([^/:]+):generateContent$/;

export const gemini: Dialect = {
  parse(body, path) {
    const model = GEMINI_PATH.exec(path)?.[1];
    if (!model || !isObject(body) || !Array.isArray(body.contents)) return undefined;
    const last = body.contents.at(-1);
    if (!isObject(last) || !Array.isArray(last.parts)) return undefined;
    const prompt = last.parts.map((p) => (isObject(p) && typeof p.text === "string" ? p.text : "")).join("");
    const config = isObject(body.generationConfig) ? body.generationConfig : {};
    return { model: decodeURIComponent(model), prompt, maxTokens: optionalInt(config.maxOutputTokens) };
  },
  success(_req, reply) {
    return {
      candidates: [
        { content: { role: "model", parts: [{ text: reply.text }] }, finishReason: "STOP", index: 0 },
      ],
      usageMetadata: {
        promptTokenCount: reply.inputTokens,
        candidatesTokenCount: reply.outputTokens,
        totalTokenCount: reply.inputTokens + reply.outputTokens,
      },
    };
  },
  error(status, message) {
    return { error: { code: status, message, status: status === 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL" } };
  },
};

/** Which dialect serves a POST path, if any. */
export function dialectFor(path: string): Dialect | undefined {
  if (path === "/v1/chat/completions") return openAi;
  if (path === "/v1/messages") return anthropic;
  if (GEMINI_PATH.test(path)) return gemini;
  return undefined;
}
