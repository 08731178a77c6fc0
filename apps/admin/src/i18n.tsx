import { createI18n, type Lang } from '@spotcheck/ui/i18n';
import { sharedText } from '@spotcheck/ui/text';
import type { AREAS } from './i18n-areas';

/** Chinese UI text, the default. Keys are the typed vocabulary of the SPA. */
const zhBase = {
  ...sharedText('zh'),
  'app.title': '双随机、一公开',
  'app.subtitle': '安全生产监管抽查平台',
  'common.save': '保存',
  'common.cancel': '取消',
  'common.confirm': '确定',
  'common.search': '搜索',
  'common.reset': '重置',
  'common.all': '全部',
  'common.actions': '操作',
  'common.detail': '详情',
  'common.export': '导出 CSV',
  'common.print': '打印',
  'common.next': '下一步',
  'common.prev': '上一步',
  'common.submit': '提交',
  'common.bureau': '所属局',
  'common.none': '暂无',
  'common.error': '出错了',
  'common.retry': '重试',
  'common.saved': '已保存',
  'common.total': '共 {n} 条',
  'common.totalAtLeast': '超过 {n} 条，请用筛选缩小范围',
  'common.name': '名称',
  'common.date': '日期',
  'common.reason': '原因',
  'common.created': '创建时间',
  'common.refresh': '刷新',
  'common.forbidden': '当前角色无权查看此页面',
  'nav.workbench': '工作台',
  'nav.checklist': '检查事项清单',
  'nav.rosters': '名录库',
  'nav.units': '检查对象名录',
  'nav.inspectors': '执法人员名录',
  'nav.experts': '专家库',
  'nav.conflicts': '回避申报',
  'nav.rulePacks': '规则包',
  'nav.plans': '抽查计划与摇号',
  'nav.tasks': '抽查任务',
  'nav.results': '检查结果',
  'nav.assessment': '考核评估',
  'nav.audit': '全过程记录',
  'nav.accounts': '账号管理',
  'login.title': '登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.failed': '登录失败',
  'login.hint': '演示账号见 `npm start` 输出，密码 Spotcheck@2027',
  'header.logout': '退出登录',
  'header.roles': '角色',
  'role.city-admin': '市局管理员',
  'role.district-admin': '区局管理员',
  'role.draw-operator': '抽查操作员',
  'role.approver': '审批人',
  'role.inspector': '执法人员',
  'role.auditor': '审计员',
  'common.close': '关闭',
  'common.edit': '编辑',
  'common.create': '新增',
  'common.remove': '删除',
  'common.view': '查看',
  'common.created.ok': '已新增',
} as const;
/** A key of the signed-in pages' text, kept as zh/en pairs per area (`i18n-areas.ts`). */
type AreaKey = { [A in keyof typeof AREAS]: keyof (typeof AREAS)[A] & string }[keyof typeof AREAS];

/** A key of the UI dictionary. */
export type TKey = keyof typeof zhBase | AreaKey;

/**
 * The base dictionary (login, layout, shared words); the areas' pairs join it when the signed-in
 * shell loads (`addAreaText`), so the login page, the first load, goes without them.
 */
const zh = { ...zhBase } as Record<TKey, string>;
const en = {
  ...sharedText('en'),
  'app.title': 'Double Random, One Public',
  'app.subtitle': 'Work-safety inspection platform',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.confirm': 'OK',
  'common.search': 'Search',
  'common.reset': 'Reset',
  'common.all': 'All',
  'common.actions': 'Actions',
  'common.detail': 'Details',
  'common.export': 'Export CSV',
  'common.print': 'Print',
  'common.next': 'Next',
  'common.prev': 'Previous',
  'common.submit': 'Submit',
  'common.bureau': 'Bureau',
  'common.none': 'None',
  'common.error': 'Something went wrong',
  'common.retry': 'Retry',
  'common.saved': 'Saved',
  'common.total': '{n} in total',
  'common.totalAtLeast': 'More than {n}; narrow the list with the filters',
  'common.name': 'Name',
  'common.date': 'Date',
  'common.reason': 'Reason',
  'common.created': 'Created',
  'common.refresh': 'Refresh',
  'common.forbidden': 'Your role cannot see this page',
  'nav.workbench': 'Workbench',
  'nav.checklist': 'Checklist',
  'nav.rosters': 'Rosters',
  'nav.units': 'Target units',
  'nav.inspectors': 'Inspectors',
  'nav.experts': 'Experts',
  'nav.conflicts': 'Conflict declarations',
  'nav.rulePacks': 'Rule packs',
  'nav.plans': 'Plans and draw room',
  'nav.tasks': 'Tasks',
  'nav.results': 'Results',
  'nav.assessment': 'Assessment',
  'nav.audit': 'Audit trail',
  'nav.accounts': 'Accounts',
  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.failed': 'Sign-in failed',
  'login.hint': 'Demo logins are printed by `npm start`; password Spotcheck@2027',
  'header.logout': 'Sign out',
  'header.roles': 'Roles',
  'role.city-admin': 'City administrator',
  'role.district-admin': 'District administrator',
  'role.draw-operator': 'Draw operator',
  'role.approver': 'Approver',
  'role.inspector': 'Inspector',
  'role.auditor': 'Auditor',
  'common.close': 'Close',
  'common.edit': 'Edit',
  'common.create': 'Add',
  'common.remove': 'Remove',
  'common.view': 'View',
  'common.created.ok': 'Added',
} satisfies Record<keyof typeof zhBase, string> as Record<TKey, string>;

/** Adds an area's zh/en pairs to the dictionary (`i18n-areas.ts` does, as the signed-in shell loads). */
export function addAreaText(pairs: Record<string, readonly [string, string]>): void {
  for (const [key, [zhText, enText]] of Object.entries(pairs)) {
    zh[key as TKey] = zhText;
    en[key as TKey] = enText;
  }
}

const DICTS: Record<Lang, Record<TKey, string>> = { zh, en };

/** The admin's language (remembered under `spotcheck.lang`) and its typed translation hook. */
export const { I18nProvider, useI18n, dictionaries } = createI18n<TKey>(DICTS, 'spotcheck.lang');
