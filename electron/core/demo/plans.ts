import type { News2Monitoring, RiskFactor } from '../../../shared/clinical';
import type { Course } from './trajectory';

/**
 * The demo's 一人一策 plan text for a decision point of a course (admission, turning severe,
 * recovered). Drugs and doses are those of the China protocol v9 (§10) in general terms; synthetic.
 */
export function planFor(course: Course, why: 'admission' | 'severe' | 'recovered', risk: readonly RiskFactor[], startDate: string) {
  const items: { kind: string; detail: string | null; startDate: string | null; courseDays: number | null }[] = [
    { kind: 'symptomatic', detail: '对症支持治疗，注意休息与营养', startDate: null, courseDays: null },
  ];
  // Nirmatrelvir/ritonavir for patients at high risk of progression, within 5 days of onset (v9 §10 (二)).
  if (risk.length > 0 && why === 'admission') items.unshift({ kind: 'antiviral', detail: '奈玛特韦/利托那韦片 口服 每12小时一次', startDate, courseDays: 5 });
  if (risk.some((f) => f === 'cardio_cerebrovascular' || f === 'diabetes' || f === 'chronic_kidney')) {
    items.push({ kind: 'chronic_medication', detail: '继续原降压、降糖等基础病用药，不得中断', startDate: null, courseDays: null });
  }
  if (why === 'severe') {
    items.push(
      { kind: 'oxygen_therapy', detail: '鼻导管吸氧 3 L/min，维持SpO2≥94%', startDate, courseDays: null },
      { kind: 'prone_position', detail: '清醒俯卧位通气，每日≥12小时', startDate, courseDays: null },
      { kind: 'anticoagulation', detail: '低分子肝素 预防剂量 皮下注射', startDate, courseDays: null },
    );
  }
  if (course.kind !== 'asymptomatic' && why !== 'recovered') items.push({ kind: 'tcm', detail: '中药汤剂辨证施治', startDate, courseDays: 7 });
  if (why === 'recovered') items.push({ kind: 'psychological_support', detail: '心理疏导，康复期宣教', startDate: null, courseDays: null });
  const monitoring: News2Monitoring = why === 'severe' ? 'hourly' : course.kind === 'asymptomatic' ? 'q12h' : 'q4to6h';
  return {
    goals: why === 'severe' ? '改善氧合，防止进展为危重型' : why === 'recovered' ? '巩固疗效，准备出院评估' : '对症治疗，监测病情变化，预防重症',
    items,
    monitoring,
    note: why === 'admission' ? '入院制定' : why === 'severe' ? '病情加重，调整方案' : '病情好转，调整方案',
  };
}
