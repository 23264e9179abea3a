/** Messages of the shared widgets (namespace "ui"); each app brings its own namespace. */
export const uiMessages = {
  'zh-CN': {
    sync: {
      online: '联网',
      offline: '离线',
      connecting: '连接中',
      stationLost: '本机服务未连接',
      pending: '待同步 {{count}} 条',
    },
    idle: {
      title: '您还在吗？',
      countdown: '{{seconds}} 秒后返回首页并清除您的信息',
      stay: '继续办理',
    },
    keyboard: {
      space: '空格',
      backspace: '删除',
      clear: '清空',
      done: '完成',
      digits: '123',
      latin: 'ABC',
      pinyin: '拼音',
      candidates: '候选字',
      noCandidates: '没有匹配的字',
    },
    language: { switchTo: 'English' },
    elderly: { on: '大字模式', off: '标准字号' },
  },
  en: {
    sync: {
      online: 'Online',
      offline: 'Offline',
      connecting: 'Connecting',
      stationLost: 'Station service not reachable',
      pending: '{{count}} waiting to sync',
    },
    idle: {
      title: 'Are you still there?',
      countdown: 'Returning to the start in {{seconds}} s; your data will be cleared',
      stay: 'Continue',
    },
    keyboard: {
      space: 'Space',
      backspace: 'Delete',
      clear: 'Clear',
      done: 'Done',
      digits: '123',
      latin: 'ABC',
      pinyin: 'Pinyin',
      candidates: 'Characters',
      noCandidates: 'No matching characters',
    },
    language: { switchTo: '中文' },
    elderly: { on: 'Large text', off: 'Standard text' },
  },
} as const;
