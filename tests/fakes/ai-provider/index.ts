export type { FakeReply } from "./replies.js";
export { FAKE_PROMPT_OVERHEAD, fakeReply, fakeTokens } from "./replies.js";
export type {
  FakeAiControl,
  FakeAiOptions,
  FakeAiProvider,
  FakeFailure,
  FakeRequestRecord,
} from "./server.js";
export { startFakeAiProvider } from "./server.js";
