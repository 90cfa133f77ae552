/**
 * A local model server for tests: it speaks the OpenAI Chat Completions API (which
 * Ollama and the other OpenAI-compatible servers also serve under `/v1`) and the
 * Anthropic Messages API, non-streaming, and answers what a script says. Faults (429
 * with Retry-After, 5xx, time-outs, malformed or truncated answers, slow answers) are
 * scripted replies, so a test states the fault it exercises next to its assertion.
 *
 * Wire formats:
 *   https://platform.openai.com/docs/api-reference/chat/create
 *   https://docs.anthropic.com/en/api/messages
 *   https://docs.anthropic.com/en/api/errors
 *   https://github.com/ollama/ollama/blob/main/docs/openai.md
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Protocol = "openai" | "anthropic";

export interface RecordedRequest {
  protocol: Protocol;
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The request body exactly as it arrived. */
  rawBody: string;
  body: Record<string, unknown>;
  /** The text of the system prompt and every message, joined by newlines. */
  text: string;
}

export interface ScriptedUsage {
  input: number;
  output: number;
}

interface AnswerOptions {
  /** "length" cuts a JSON answer in half, as an output limit would. */
  finishReason?: "stop" | "length";
  /** Token counts to report; by default about one token per four characters. */
  usage?: ScriptedUsage;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Reasoning the model emits with its answer. */
  reasoning?: string;
  /**
   * Where the reasoning goes: "think" puts a `<think>` block before the content (as
   * DeepSeek-R1 and Qwen served raw do); "field" uses the separate field of the protocol
   * (`reasoning_content` of OpenAI-compatible servers, a `thinking` block of Anthropic).
   */
  reasoningAs?: "think" | "field";
}

export type ScriptedReply =
  | ({ json: unknown } & AnswerOptions)
  | ({ text: string } & AnswerOptions)
  | { status: number; retryAfterSeconds?: number; retryAfterDate?: Date; body?: unknown; delayMs?: number }
  | { hang: true };

export type Script = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface LlmServer {
  /** Root of the server, e.g. http://127.0.0.1:43210; the APIs live under `${url}/v1`. */
  url: string;
  requests: RecordedRequest[];
  /** The most requests in flight at one time so far. */
  readonly maxConcurrent: number;
  close(): Promise<void>;
}

const ROUTES: Record<string, Protocol> = {
  "/v1/chat/completions": "openai",
  "/v1/messages": "anthropic",
};

export async function startLlmServer(script: Script): Promise<LlmServer> {
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxConcurrent = 0;
  let nextId = 1;

  const server = createServer((req, res) => {
    inFlight++;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      inFlight--;
    };
    res.on("close", release);
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `test server: ${String(error)}`, type: "server_error" } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const protocol = ROUTES[path];
    if (req.method !== "POST" || protocol === undefined) {
      sendJson(res, 404, { error: { message: `test server: no route for ${req.method} ${path}`, type: "not_found" } });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      sendError(res, protocol, 400, "the request body is not JSON");
      return;
    }
    const request: RecordedRequest = {
      protocol,
      method: req.method,
      path,
      headers: flattenHeaders(req),
      rawBody,
      body,
      text: protocol === "openai" ? openAiText(body) : anthropicText(body),
    };
    requests.push(request);
    const reply = await script(request);
    if ("hang" in reply) return;
    if (reply.delayMs !== undefined && !(await waitUnlessGone(res, reply.delayMs))) return;
    if ("status" in reply) {
      const headers: Record<string, string> = {};
      if (reply.retryAfterSeconds !== undefined) headers["retry-after"] = String(reply.retryAfterSeconds);
      if (reply.retryAfterDate !== undefined) headers["retry-after"] = reply.retryAfterDate.toUTCString();
      if (reply.body !== undefined) sendJson(res, reply.status, reply.body, headers);
      else sendError(res, protocol, reply.status, defaultErrorMessage(reply.status), headers);
      return;
    }
    const answer = renderAnswer(reply);
    const usage = reply.usage ?? { input: estimateTokens(request.text), output: estimateTokens(answer.content) };
    const id = nextId++;
    if (protocol === "openai") sendJson(res, 200, openAiResponse(request, reply, answer, usage, id));
    else sendJson(res, 200, anthropicResponse(request, reply, answer, usage, id));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    close() {
      // Hanging requests hold their sockets open; end them so that close() returns.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

interface RenderedAnswer {
  /** The answer as the model wrote it, after any cut. */
  content: string;
  /** The JSON value, when the answer is whole JSON (a tool call carries it as an object). */
  value?: unknown;
  finishReason: "stop" | "length";
}

function renderAnswer(reply: ({ json: unknown } | { text: string }) & AnswerOptions): RenderedAnswer {
  const finishReason = reply.finishReason ?? "stop";
  if ("json" in reply) {
    const whole = JSON.stringify(reply.json);
    if (finishReason === "length") return { content: whole.slice(0, Math.floor(whole.length / 2)), finishReason };
    return { content: whole, value: reply.json, finishReason };
  }
  return { content: reply.text, finishReason };
}

function openAiResponse(
  request: RecordedRequest,
  options: AnswerOptions,
  answer: RenderedAnswer,
  usage: ScriptedUsage,
  id: number,
): unknown {
  const reasoningField = options.reasoning !== undefined && options.reasoningAs === "field";
  const thinkBlock = options.reasoning !== undefined && !reasoningField ? `<think>${options.reasoning}</think>\n` : "";
  const forcedTool = forcedOpenAiTool(request.body);
  const message: Record<string, unknown> = { role: "assistant" };
  if (reasoningField) message.reasoning_content = options.reasoning;
  if (forcedTool !== undefined) {
    message.content = thinkBlock === "" ? null : thinkBlock;
    message.tool_calls = [
      { id: `call_${id}`, type: "function", function: { name: forcedTool, arguments: answer.content } },
    ];
  } else {
    message.content = thinkBlock + answer.content;
  }
  const finishReason = answer.finishReason === "length" ? "length" : forcedTool !== undefined ? "tool_calls" : "stop";
  return {
    id: `chatcmpl-${id}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: String(request.body.model ?? "test-model"),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

function anthropicResponse(
  request: RecordedRequest,
  options: AnswerOptions,
  answer: RenderedAnswer,
  usage: ScriptedUsage,
  id: number,
): unknown {
  const content: unknown[] = [];
  const reasoningBlock = options.reasoning !== undefined && options.reasoningAs === "field";
  if (reasoningBlock) content.push({ type: "thinking", thinking: options.reasoning, signature: `sig-${id}` });
  const thinkBlock = options.reasoning !== undefined && !reasoningBlock ? `<think>${options.reasoning}</think>\n` : "";
  // Older models answer structured requests through a forced tool named by the request
  // (the AI SDK calls it "json"); its input is always an object, so only whole JSON fits.
  const forcedTool = forcedAnthropicTool(request.body);
  const useTool = forcedTool !== undefined && answer.value !== undefined && thinkBlock === "";
  if (useTool) content.push({ type: "tool_use", id: `toolu_${id}`, name: forcedTool, input: answer.value });
  else content.push({ type: "text", text: thinkBlock + answer.content });
  const stopReason = answer.finishReason === "length" ? "max_tokens" : useTool ? "tool_use" : "end_turn";
  return {
    id: `msg_${id}`,
    type: "message",
    role: "assistant",
    model: String(request.body.model ?? "test-model"),
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
}

function forcedOpenAiTool(body: Record<string, unknown>): string | undefined {
  const choice = body.tool_choice as { type?: string; function?: { name?: string } } | string | undefined;
  if (typeof choice === "object" && choice.type === "function") return choice.function?.name;
  const tools = body.tools as Array<{ function?: { name?: string } }> | undefined;
  if (choice === "required" && tools?.length === 1) return tools[0]?.function?.name;
  return undefined;
}

function forcedAnthropicTool(body: Record<string, unknown>): string | undefined {
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  if (choice?.type === "tool") return choice.name;
  const tools = body.tools as Array<{ name?: string }> | undefined;
  if (choice?.type === "any" && tools?.length === 1) return tools[0]?.name;
  return undefined;
}

function sendError(res: ServerResponse, protocol: Protocol, status: number, message: string, headers: Record<string, string> = {}): void {
  if (protocol === "openai") {
    sendJson(res, status, { error: { message, type: openAiErrorType(status), param: null, code: null } }, headers);
  } else {
    sendJson(res, status, { type: "error", error: { type: anthropicErrorType(status), message } }, headers);
  }
}

function openAiErrorType(status: number): string {
  if (status === 401) return "invalid_request_error";
  if (status === 429) return "rate_limit_exceeded";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

// https://docs.anthropic.com/en/api/errors#http-errors
function anthropicErrorType(status: number): string {
  const types: Record<number, string> = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
  };
  return types[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

function defaultErrorMessage(status: number): string {
  const messages: Record<number, string> = {
    400: "Invalid request.",
    401: "Incorrect API key provided.",
    403: "You do not have access to this model.",
    404: "The model does not exist.",
    429: "Rate limit reached. Please try again later.",
    500: "The server had an error while processing your request.",
    503: "The engine is currently overloaded, please try again later.",
  };
  return messages[status] ?? `HTTP ${status}`;
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Resolves false when the client went away before the delay ended (a client time-out). */
function waitUnlessGone(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off("close", onClose);
      resolve(true);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    res.once("close", onClose);
  });
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function openAiText(body: Record<string, unknown>): string {
  const messages = (body.messages as Array<{ content?: unknown }> | undefined) ?? [];
  return messages.map((message) => textOf(message.content)).join("\n");
}

function anthropicText(body: Record<string, unknown>): string {
  const messages = (body.messages as Array<{ content?: unknown }> | undefined) ?? [];
  return [textOf(body.system), ...messages.map((message) => textOf(message.content))].filter((text) => text !== "").join("\n");
}

/** Content is a string or an array of parts; only text parts count. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: { type?: string; text?: unknown }) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .filter((text) => text !== "")
    .join("\n");
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
