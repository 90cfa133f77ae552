/**
 * A real SMTP server on loopback (smtp-server) that records what it receives, and a
 * small reader for the raw messages: just enough MIME (RFC 2045/2046) and encoded
 * words (RFC 2047) to check what a mail client would show.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export interface ReceivedMail {
  raw: string;
  from: string | undefined;
  to: string[];
  user: string | undefined;
}

export interface TestSmtpServer {
  port: number;
  mails: ReceivedMail[];
  /** Connections opened, including refused ones. */
  connections: number;
  close(): Promise<void>;
}

export type SmtpHandlers = Pick<SMTPServerOptions, "onAuth" | "onConnect" | "onMailFrom" | "authOptional">;

export async function startSmtpServer(handlers: SmtpHandlers = {}): Promise<TestSmtpServer> {
  const state: TestSmtpServer = { port: 0, mails: [], connections: 0, close: async () => undefined };
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    // Plain SMTP on loopback: no certificate to manage, and AUTH allowed without TLS.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: true,
    ...handlers,
    onConnect(session, callback) {
      state.connections += 1;
      if (handlers.onConnect) handlers.onConnect(session, callback);
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        state.mails.push({
          raw: Buffer.concat(chunks).toString("utf8"),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          user: typeof session.user === "string" ? session.user : undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.server.address() as AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/** An error whose `responseCode` smtp-server sends as the reply. */
export function smtpReply(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export interface MimePart {
  headers: Map<string, string>;
  /** Decoded body (transfer encoding undone), for leaf parts. */
  body: string;
  parts: MimePart[];
}

export function parseMime(raw: string): MimePart {
  const split = raw.indexOf("\r\n\r\n");
  const head = split === -1 ? raw : raw.slice(0, split);
  const rest = split === -1 ? "" : raw.slice(split + 4);
  const headers = new Map<string, string>();
  // Folded header lines continue with whitespace (RFC 5322 §2.2.3).
  for (const line of head.replace(/\r\n(?=[ \t])/g, "").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith("multipart/") && boundary) {
    const sections = rest.split(`--${boundary}`).slice(1);
    const parts = sections.filter((section) => !section.startsWith("--")).map((section) => parseMime(section.replace(/^\r\n/, "")));
    return { headers, body: "", parts };
  }
  return { headers, body: decodeBody(rest.replace(/\r\n$/, ""), headers.get("content-transfer-encoding")), parts: [] };
}

export function findParts(part: MimePart, predicate: (part: MimePart) => boolean): MimePart[] {
  return [...(predicate(part) ? [part] : []), ...part.parts.flatMap((child) => findParts(child, predicate))];
}

/** Text as a mail client shows it: SMTP carries lines ending in CRLF (RFC 5321 §2.3.8). */
function decodeBody(body: string, encoding: string | undefined): string {
  return decodeTransfer(body, encoding).replace(/\r\n/g, "\n");
}

function decodeTransfer(body: string, encoding: string | undefined): string {
  switch (encoding?.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return decodeQuotedPrintable(body.replace(/=\r\n/g, ""));
    default:
      return body;
  }
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const hex = text.slice(index + 1, index + 3);
    if (text[index] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(text[index]!, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Decodes RFC 2047 encoded words; whitespace between two encoded words is not text (§6.2). */
export function decodeHeader(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_whole, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}
