import { createHmac } from "node:crypto";

/**
 * Feishu / Lark custom-bot signature: HMAC-SHA256 keyed with "timestamp\nsecret" over an
 * empty message, base64 (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot#3c6592d6).
 */
export function signFeishu(timestampSeconds: number, secret: string): string {
  return createHmac("sha256", `${timestampSeconds}\n${secret}`).update("").digest("base64");
}

/**
 * DingTalk robot signature: HMAC-SHA256 keyed with the secret over "timestamp\nsecret",
 * base64; sent URL-encoded in the query (https://open.dingtalk.com/document/robots/customize-robot-security-settings).
 */
export function signDingTalk(timestampMs: number, secret: string): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`).digest("base64");
}
