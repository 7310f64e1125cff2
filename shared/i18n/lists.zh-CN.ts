/** Virtualised lists (issue 8): the ward board's bed cards and the expert queue's rows. */
export const listsZh = {
  'lists.board_label': '{ward} 床位（{n} 张）',
  'lists.bed_item': '{bed} 床 · {state}',
  'lists.queue_label': '专家组会诊队列（{n} 名）',
  'lists.queue_loading_row': '正在载入第 {rank} 名及以后的患者…',
  'lists.sep': '、',
  'lists.sep_clauses': '；',
  'lists.label': '{label}：{value}',
  'lists.aside': '{text}（{aside}）',
  'lists.queue_capped': '列出最紧急的 {shown} 名（共 {total} 名）。请按医疗机构、病区、预警类型或救治梯队筛选，查看其余患者。',
} as const;
