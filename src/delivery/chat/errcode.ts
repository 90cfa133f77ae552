/** DingTalk and WeCom robots answer HTTP 200 with `{ errcode, errmsg }`; 0 is success. */
export function errcodeOf(json: unknown): number | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const code = (json as Record<string, unknown>)["errcode"];
  return typeof code === "number" ? code : undefined;
}

/** How a chat channel judges an `errcode` answer: 0 is success, `rateLimited` is worth another attempt. */
export function judgeErrcode(rateLimited: number) {
  return {
    okWhen: (json: unknown) => errcodeOf(json) === 0,
    retryWhen: (json: unknown) => errcodeOf(json) === rateLimited,
  };
}
