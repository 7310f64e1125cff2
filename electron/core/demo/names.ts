import type { Rng } from './random';
import { idCardCheckChar } from '../../../shared/domain/idcard';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建国建华志强海燕红梅晓东晓明丹丹文博子涵浩然欣怡雨桐梓轩诗涵思远佳怡俊杰宇航嘉怡一诺睿泽雅静鑫淑珍凤英桂芳立新春生秋菊冬梅德明国庆';
const COMMUNITIES = [
  '东湖街道',
  '长江社区',
  '新华里',
  '和平街道',
  '花园社区',
  '滨江苑',
  '桃源村',
  '解放路社区',
  '建设街道',
  '光明小区',
  '幸福里',
  '团结社区',
  '北湖街道',
  '南湖新村',
];
/** Synthetic administrative-division prefix; demo ID numbers never belong to a real person's record. */
const AREA_CODES = ['429001', '429004', '429005', '429006'];

export function syntheticName(rng: Rng): string {
  const s = SURNAMES.charAt(rng.int(0, SURNAMES.length - 1));
  const n = rng.chance(0.7) ? 2 : 1;
  let g = '';
  for (let i = 0; i < n; i++) g += GIVEN.charAt(rng.int(0, GIVEN.length - 1));
  return s + g;
}

export function syntheticCommunity(rng: Rng): string {
  return rng.pick(COMMUNITIES);
}

export function syntheticIdCard(rng: Rng, birthDate: string, sex: 'M' | 'F', serial: number): string {
  const seq = String(serial % 100).padStart(2, '0');
  // The 17th digit is odd for men, even for women (GB 11643).
  const sexDigit = sex === 'M' ? rng.pick([1, 3, 5, 7, 9]) : rng.pick([0, 2, 4, 6, 8]);
  const first17 = `${rng.pick(AREA_CODES)}${birthDate.replaceAll('-', '')}${seq}${sexDigit}`;
  return first17 + idCardCheckChar(first17);
}

export function syntheticPhone(rng: Rng): string {
  return `1${rng.pick(['38', '39', '50', '58', '86', '87', '35'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}
