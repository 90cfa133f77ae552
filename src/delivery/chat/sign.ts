import { createHmac } from "node:crypto";

/**
 * The signature Feishu and DingTalk both document: HMAC-SHA256 over the string
 * "timestamp\nsecret", base64. They differ in the key: see each platform's signer.
 */
function signTimestamp(timestamp: number, secret: string, keyed: "by-string" | "by-secret"): string {
  const stringToSign = `${timestamp}\n${secret}`;
  const hmac = keyed === "by-string" ? createHmac("sha256", stringToSign).update("") : createHmac("sha256", secret).update(stringToSign);
  return hmac.digest("base64");
}

/**
 * Feishu / Lark custom-bot signature: HMAC-SHA256 keyed with "timestamp\nsecret" over an
 * empty message, base64 (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot#3c6592d6).
 */
export function signFeishu(timestampSeconds: number, secret: string): string {
  return signTimestamp(timestampSeconds, secret, "by-string");
}

/**
 * DingTalk robot signature: HMAC-SHA256 keyed with the secret over "timestamp\nsecret",
 * base64; sent URL-encoded in the query (https://open.dingtalk.com/document/robots/customize-robot-security-settings).
 */
export function signDingTalk(timestampMs: number, secret: string): string {
  return signTimestamp(timestampMs, secret, "by-secret");
}
