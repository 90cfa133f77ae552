import { pick, type Lang } from "../i18n/lang.js";

/** The notice atop a subscription's report: what its filter left out, so that a reader knows it is not the whole day. */
export function leftOutNotice(lang: Lang, left: number, name: string, kept: number): string {
  if (kept === 0) {
    return pick(lang, {
      "zh-CN": `没有提交符合此订阅的筛选条件（${name}）；${left} 个提交被筛掉。`,
      en: `No commit matched this subscription's filter (${name}); ${left} commit(s) left out.`,
    });
  }
  return pick(lang, {
    "zh-CN": `此订阅的筛选条件（${name}）筛掉了 ${left} 个提交。`,
    en: `${left} commit(s) left out by this subscription's filter (${name}).`,
  });
}
