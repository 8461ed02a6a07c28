/** Words that decide an intent with or without an indicator: `zh` is tried on the compact text, `en` on the spaced one. */
export interface Keywords {
  zh: RegExp;
  en: RegExp;
}

/** Greetings and requests for help, as the whole message (compact). */
export const HELP_WHOLE =
  /^(?:帮助|求助|菜单|功能|使用说明|说明|指令|命令|绑定|你好|您好|在吗|在不在|哈喽|hi|hello|hey|help|helpme|menu|commands)$/;

export const HELP: Keywords = {
  zh: /怎么用|如何使用|怎么使用|使用方法|能做什么|能干什么|可以做什么|可以问什么|能问什么|怎么问/,
  en: /\b(?:what can you do|how (?:do i|to) use)\b/,
};

// 没报 also covers 谁还没报, 哪些股室没报; checked before REPORT because 未报送 contains 报送.
export const MISSING: Keywords = {
  zh: /谁.{0,6}没|没有?报|未报|缺报|漏报|逾期|超期|没交|未交|没填|未填|报得?最?(?:慢|晚)|(?:最后|最晚)一?个?报/,
  en: /\b(?:who (?:hasn'?t|haven'?t|didn'?t|has not|have not|did not) (?:yet )?(?:reported|report|submitted|submit)|not (?:yet )?(?:reported|submitted)|missing|overdue|(?:slowest|latest|last) to (?:report|submit)|who(?:'s| is| are) (?:still )?(?:late|behind with (?:the |their )?(?:report|figures)))\b/,
};

/** The web dashboard; tried before OVERVIEW, whose English words include "dashboard". */
export const DASHBOARD: Keywords = {
  zh: /看板|仪表盘|仪表板|网页/,
  en: /\b(?:dashboard|web page|website)\b/,
};

export const EXPORT: Keywords = {
  zh: /导出|下载|表格|excel|xlsx|完成情况表|汇总表/,
  en: /\b(?:export|download|excel|xlsx|spreadsheet)\b/,
};

/** 逾期, 过了截止: of those who have not reported, only those whose deadline has passed. */
export const OVERDUE: Keywords = {
  zh: /逾期|超期|过了?截止|超过截止|已过截止|过期未报|迟报|延误/,
  en: /\b(?:overdue|late|past (?:the |their )?deadlines?)\b/,
};

/** The progress bulletin (通报) as a document; checked before REPORT and MISSING. */
/** The year's self-evaluation draft (部门整体支出绩效自评报告). */
export const ANNUAL_DRAFT: Keywords = {
  zh: /自评/,
  en: /\bself[- ]?evaluation\b/,
};

export const BULLETIN: Keywords = {
  zh: /通报/,
  en: /\bbulletin\b/,
};

/** The completion chart as a picture. */
export const CHART: Keywords = {
  // A lone 图 is what is left of 看看图 / 看一下图 once the polite lead-in is taken off.
  zh: /看(?:看|一下)?图|^图$|图表|画(?:个)?图|柱状图|进度图|发(?:个|张)?图/,
  en: /\b(?:chart|graph)\b/,
};

/** The corrections made to figures (修改记录, who changed what); checked before REPORT, whose 修改/更正 start one. */
export const REVISIONS: Keywords = {
  zh: /(?:修改|更正|修订|修正|改动|变更)过?的?(?:记录|历史|明细|情况)|历史版本|谁(?:修改|更正|改)(?:了|过)/,
  en: /\b(?:revisions|revision history|change history|correction history|corrections|who (?:changed|corrected|revised))\b/,
};

export const REPORT: Keywords = {
  zh: /补报|更正|修改|修正|报送|填报|上报|报数|我要报|开始报|提交|报错|填错|写错|改正|纠正|改一下/,
  en: /^(?:report|submit)\b|\b(?:want to|like to|let me|start) report|\bcorrect(?:ion)?\b/,
};

/** A report that means to change what is stored (更正, 报错了): the month is corrected when it is all in. */
export const CORRECTING: Keywords = {
  zh: /更正|修改|修正|报错|填错|写错|改正|纠正|改一下/,
  en: /\bcorrect(?:ion)?\b/,
};

export const OVERVIEW: Keywords = {
  // 怎么样了 on its own (a director's 'how are we doing'), 干得怎么样: nothing else named, so everything.
  zh: /总体|整体|全部|所有|各项|汇总|总览|概况|一览|^(?:现在)?(?:怎么样了?|情况如何|进展如何|进展怎么样了?)$|^(?:现在|目前|今年|今年以来|本年|全年|本月|这个月)?(?:工作)?(?:干|做|搞)得?(?:怎么样|如何|咋样)了?$|^(?:本月|这个月|当月|今年|目前|现在)的?(?:情况|进展|进度)(?:怎么样|如何|咋样)?了?$|数据(?:截至|截止|更新到|报到)(?:几月|哪个月|什么时候)/,
  en: /\b(?:overall|overview|summary|all indicators|everything|dashboard)\b/,
};

/**
 * A question about progress and nothing else (进度怎么样, 完成情况, 我们股室进度怎么样): answered with the
 * overview, a section member's of their own section. Whole message.
 */
export const PROGRESS: Keywords = {
  zh: /^(?:目前|现在|当前|本局|全局|各股室|各项|(?:本|我们|咱们|我)?(?:股室|科室|股|科)?)的?(?:工作|指标)?(?:进度|完成情况|完成率|完成得?怎么样|完成了?多少)(?:怎么样|如何|咋样|是?多少)?了?$/,
  en: /^(?:(?:our|the) )?(?:progress|completion)(?: so far)?$|^how are we doing\b|\bon track\b/,
};

/** What may stand before an indicator in a one-shot report: a reporting verb, nothing else. */
export const ONE_SHOT_PREFIX =
  /^(?:我要|我来|我)?(?:报送|上报|填报|报|提交|录入|更新|修改|更正|report|submit|update)?(?:一下)?(?:的)?$/;

/** Words between an indicator and its figure that parseAnswer does not skip itself. */
export const ONE_SHOT_LEAD = /^[\s:=,，、]*(?:已完成|完成了?|达到了?|实现了?|累计(?:到|至)|截(?:至|止)(?:到)?|(?:本月|当月|这个月|本期)?(?:改为|改成|更正为|修改为|应为|应该是|应是))?[\s:=,，、]*/;

/** `/progress@baoshu_bot 2020` → progress, 2020 */
export const COMMAND = /^\/([a-z_]+|通报|图表|看图)(?:@\w+)?(?:\s+([\s\S]*))?$/;

/** 绑定 ABCD2345, 绑定：ABCD2345, bind ABCD2345 */
export const BIND = /^(?:绑定码?|邀请码|bind)\s*:?\s*([a-z0-9][a-z0-9\s_-]{3,63})$/;

/** What an invite code or a Telegram deep-link payload may look like. */
export const CODE = /^[a-z0-9][a-z0-9_-]{3,63}$/;

/** True when either form of the text carries one of the words. */
export function hasWords(words: Keywords, zh: string, en: string): boolean {
  return words.zh.test(zh) || words.en.test(en);
}
