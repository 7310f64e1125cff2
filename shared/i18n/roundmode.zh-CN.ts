/**
 * Round mode's keyboard, carried-over values, save status and typed-value messages (issue 13) —
 * Simplified Chinese. Kept apart from rounds.zh-CN.ts so the parts of issue 13 can be edited at once.
 */
export const roundModeZh = {
  'rounds.shortcuts': '查房快捷键',
  'rounds.shortcuts_button': '快捷键',
  'rounds.key.save': '保存并打开下一床',
  'rounds.key.fields': '按体温单顺序在各项之间移动',
  'rounds.key.choices': '在选项和症状表中移动；空格勾选',
  'rounds.key.confirm_carried': '确认上次查房带入的值无变化',
  'rounds.key.previous': '上一床（不保存）',
  'rounds.key.next': '下一床（不保存）',
  'rounds.key.skip': '跳过本床',
  'rounds.key.help': '显示本列表（光标不在输入框中时）',
  'rounds.key.close': '关闭对话框或下拉列表',

  'rounds.carried_from': '上次查房 {at}',
  'rounds.carried_kept': '上次查房（{at}）带入，尚未核对',
  'rounds.carried_removed': '上次查房（{at}）有此症状，本次已去除',
  'rounds.carried_pending': '虚线框内为上次查房带入的值，尚未核对：可修改，或确认无变化',
  'rounds.carried_confirm': '确认无变化',
  'rounds.carried_unconfirmed': '请先核对上次查房带入的值：修改，或按 Alt+C 确认无变化',

  'rounds.unit.breaths': '次/分',
  'rounds.unit.beats': '次/分',
  'rounds.unit.percent': '%',
  'rounds.unit.mmhg': 'mmHg',
  'rounds.unit.litres': 'L/min',
  'rounds.unit.celsius': '°C',
  'rounds.expect_whole': '请输入整数，单位 {unit}（如 {example}）',
  'rounds.expect_number': '请输入数字，单位 {unit}（如 {example}）',

  'rounds.late_title': '测量时间较早，请确认',
  'rounds.late_body': '测量时间为 {at}，距现在已 {hours} 小时（超过 {limit} 小时）。这是补录的早前测量吗？',
  'rounds.late_back': '返回修改时间',
  'rounds.late_save': '是补录，保存',

  'rounds.saved_at': '{at} 已查',
  'rounds.status': '保存状态',

  'settings.late_entry': '补录确认',
  'settings.late_entry_hint': '查房的测量时间早于当前超过此时长时，保存前须确认（默认 4 小时）。',
  'settings.hours': '小时',
} as const;
