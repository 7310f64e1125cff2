/**
 * Ward rounds, results, the patient chart, class and tier decisions, plans and PPE mode — Simplified
 * Chinese (the default language). Clinical vocabulary (classes, flags, NEWS2, symptoms, tiers) is in
 * clinical.zh-CN.ts and reused from there.
 */
export const roundsZh = {
  'records.episode_not_found': '住院记录不存在',
  'records.episode_closed': '患者已出院，不能再录入新记录（可对已有记录作更正）',
  'records.before_admission': '不能早于入院时间',
  'records.not_found': '记录不存在',
  'records.not_current': '该记录已被更正或标记为录入错误，请在最新版本上操作',
  'records.not_author': '只有记录者本人或医生可以更正此记录',

  'rounds.device_needs_oxygen': '吸空气时不填写给氧装置',
  'rounds.flow_needs_oxygen': '吸空气时不填写氧流量',
  'rounds.diastolic_not_below_systolic': '舒张压应低于收缩压',
  'rounds.empty': '请至少录入一项观察结果',
  'rounds.confirm_extremes': '有数值超出常见范围，请逐项核对并确认后再保存',
  'rounds.extreme_unconfirmed': '数值少见（通常为 {plausibleMin}～{plausibleMax}），请核对后确认',
  'rounds.scale_doctor_only': '更改SpO2评分标尺须由医生决定',

  'results.ct_or_qualitative': '请填写Ct值或定性结果',
  'results.ct_pair': '定量检测须同时填写N基因和ORF1ab基因Ct值',
  'results.empty': '请至少录入一项检验结果',

  'classes.override_same': '更改分型须选择与建议不同的分型',
  'classes.reason_required': '更改分型须填写理由',
  'classes.proposal_changed': '规则建议已变化（现为{proposed}），请重新查看后再确认',

  'tiers.unchanged': '与当前梯队相同',

  'plans.duplicate_item': '同一类治疗项目只能填写一项',
  'plans.antiviral_start': '抗病毒治疗须填写开始日期',
  'plans.version_conflict': '计划已被他人更新（当前为第 {version} 版），请刷新后再编辑',
  'plans.team_role': '所选人员不具备该岗位角色或已停用',
  'plans.review_in_past': '下次评估时间须晚于当前时间',
} as const;
