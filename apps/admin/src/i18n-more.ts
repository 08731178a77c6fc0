/**
 * UI text of the pages added in the second round, as `[zh, en]` pairs so that both languages
 * stay side by side. Merged into the dictionary by `i18n.tsx`.
 */
export const MORE = {
  'common.close': ['关闭', 'Close'],
  'common.edit': ['编辑', 'Edit'],
  'common.create': ['新增', 'Add'],
  'common.remove': ['删除', 'Remove'],
  'common.view': ['查看', 'View'],
  'common.created.ok': ['已新增', 'Added'],
  // Import / export (R22)
  'transfer.import': ['导入', 'Import'],
  'transfer.exportXlsx': ['导出 XLSX', 'Export XLSX'],
  'transfer.exportCsv': ['导出 CSV', 'Export CSV'],
  'transfer.import.units': ['导入检查对象', 'Import units'],
  'transfer.import.inspectors': ['导入执法人员', 'Import inspectors'],
  'transfer.import.experts': ['导入专家', 'Import experts'],
  'transfer.import.checklist-items': [
    '导入检查事项（替换草稿全部事项）',
    'Import checklist items (replaces the draft’s items)',
  ],
  'transfer.hint': [
    '先下载模板填写，再上传 XLSX 或 CSV 文件。导入是“全部或全不”：任何一行有错，都不会导入，并逐行列出错误。',
    'Download a template, fill it in, then upload the XLSX or CSV file. Imports are all-or-nothing: if any row is wrong nothing is imported and every error is listed.',
  ],
  'transfer.template': ['下载模板：', 'Template:'],
  'transfer.drop': ['点击选择或拖入文件', 'Click or drop a file here'],
  'transfer.dropHint': [
    '支持 .xlsx、.csv；大文件分块上传并显示进度',
    '.xlsx or .csv; large files stream with progress',
  ],
  'transfer.badFormat': ['只支持 .xlsx 或 .csv 文件', 'Only .xlsx or .csv files'],
  'transfer.phase.uploading': ['正在上传…', 'Uploading…'],
  'transfer.phase.reading': ['已读取并校验 {n} 行', '{n} rows read and checked'],
  'transfer.phase.writing': ['已写入 {n} 行', '{n} rows written'],
  'transfer.done': ['导入成功：{n} 条', 'Imported {n} rows'],
  'transfer.doneDetail': [
    '共读取 {rows} 行数据，已全部写入并记入全过程记录。',
    '{rows} data rows read, all written and recorded in the audit trail.',
  ],
  'transfer.failed': ['发现 {n} 个问题，未导入任何数据', '{n} problems found: nothing was imported'],
  'transfer.failedDetail': [
    '共读取 {rows} 行。请按下表修改文件后重新导入。',
    '{rows} rows read. Fix the file as listed below and import again.',
  ],
  'transfer.moreProblems': [
    '仅显示前 {shown} 个问题（共 {n} 个）',
    'Showing the first {shown} of {n} problems',
  ],
  'transfer.row': ['行', 'Row'],
  'transfer.column': ['列', 'Column'],
  // Roster forms
  'form.required': ['必填', 'Required'],
  'form.usccInvalid': ['统一社会信用代码无效', 'Not a valid unified social credit code'],
  'form.streetCode': ['街道代码为 9 位数字', 'A street code has 9 digits'],
  'form.drawId': ['只能使用字母、数字和 . _ : -（最多 64 位）', 'Letters, digits and . _ : - only (max 64)'],
  'unit.create': ['新增检查对象', 'Add unit'],
  'inspector.create': ['新增执法人员', 'Add inspector'],
  'expert.create': ['新增专家', 'Add expert'],
  'expert.cityWideHint': [
    '不选所属区即为全市专家（仅市局可建）',
    'Leave empty for a city-wide expert (city admins only)',
  ],
  'expert.detail': ['专家详情', 'Expert'],
  'conflict.detail': ['回避申报详情', 'Conflict declaration'],
  'conflict.declaredBy': ['申报人', 'Declared by'],
  'conflict.revokedAt': ['撤销时间', 'Revoked at'],
  'conflict.otherUnits': ['该执法人员的其他回避单位', 'Other units this officer avoids'],
  'conflict.unitName': ['单位名称', 'Unit name'],
  // Checklist editing and layers (R1–R2)
  'checklist.saveItems': ['保存事项', 'Save items'],
  'checklist.saved': ['已保存 {n} 项', '{n} items saved'],
  'checklist.unsaved': ['有未保存的修改', 'Unsaved changes'],
  'checklist.removeItem': ['删除事项 {code}？', 'Remove item {code}?'],
  'checklist.codeRule': ['ASCII 编码，如 TJ-WH-003', 'An ASCII code like TJ-WH-003'],
  'checklist.codeTaken': ['编码已存在', 'This code is already used'],
  'checklist.sortOrder': ['排序', 'Order'],
  'checklist.industriesHint': ['不选即适用全部行业', 'Leave empty for every industry'],
  'checklist.tab.versions': ['版本与事项', 'Versions and items'],
  'checklist.tab.effective': ['分层生效清单', 'Effective list (layered)'],
  'checklist.layer': ['层级', 'Layer'],
  'checklist.overrides': ['覆盖市级', 'Overrides city'],
} as const satisfies Record<string, readonly [string, string]>;

/** One language's side of a pair dictionary. */
export function side<K extends string>(
  pairs: Record<K, readonly [string, string]>,
  i: 0 | 1,
): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const k of Object.keys(pairs) as K[]) out[k] = pairs[k][i];
  return out;
}
