// The clinical UI kit: one look for a class, a tier, a NEWS2 band, a flag and a number on every screen.
export { BAND_COLOR, CLASS_COLOR, ClassBadge, DECISION_COLOR, DecisionBadge, News2Badge, ReleaseStatusBadge, ReportClassBadge, TierBadge } from './badges';
export { FlagList, flagText } from './flags';
export { fmt, fmtNum, versionGroups } from './format';
export { News2Trend } from './News2Trend';
export { cancelReasonText, criterionDetail, transferRoute } from './text';
