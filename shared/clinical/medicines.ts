// A lexicon of generic medicine names (Chinese, English, pinyin initials, common brand names) for
// entering a patient's regular medicines as a list instead of free text, and for reading the free
// text written before the list existed. It holds every medicine of the nirmatrelvir/ritonavir
// interaction table (interactions.ts) and the common chronic medicines that do not clash with it, so
// an ordinary patient's list can be entered without free text. Chinese names are the approved
// generic names (通用名); `pinyin` is the lower-case initials of `zh`, written by hand.

export const DRUG_CLASSES = [
  'statin',
  'anticoagulant',
  'antiplatelet',
  'calcium_channel_blocker',
  'antiarrhythmic',
  'anticonvulsant',
  'immunosuppressant',
  'sedative_hypnotic',
  'opioid_analgesic',
  'antianginal',
  'alpha_blocker',
  'ergot',
  'antipsychotic',
  'pde5_inhibitor',
  'antibacterial',
  'antifungal',
  'antimycobacterial',
  'herbal',
  'corticosteroid',
  'antihypertensive',
  'antidiabetic',
  'anticancer',
  'antimigraine',
  'antidepressant',
  'anti_gout',
  'bronchodilator',
  'lipid_lowering',
  'thyroid',
  'acid_suppressant',
  'analgesic',
  'other',
] as const;

export type DrugClass = (typeof DRUG_CLASSES)[number];

export interface Medicine {
  /** Stable snake_case id, stored with a medication entry. */
  code: string;
  en: string;
  zh: string;
  /** Initials of the pinyin of `zh`, lower-case (辛伐他汀 → xftt). */
  pinyin: string;
  /** Other Chinese and English names: salts, older names, brand names. */
  aliases: readonly string[];
  drugClass: DrugClass;
}

const m = (code: string, en: string, zh: string, pinyin: string, drugClass: DrugClass, aliases: readonly string[] = []): Medicine => ({ code, en, zh, pinyin, aliases, drugClass });

export const MEDICINES: readonly Medicine[] = [
  // Lipid-lowering
  m('simvastatin', 'simvastatin', '辛伐他汀', 'xftt', 'statin', ['舒降之', 'Zocor']),
  m('lovastatin', 'lovastatin', '洛伐他汀', 'lftt', 'statin', ['美降之', 'Mevacor']),
  m('atorvastatin', 'atorvastatin', '阿托伐他汀', 'atftt', 'statin', ['阿托伐他汀钙', '立普妥', 'Lipitor']),
  m('rosuvastatin', 'rosuvastatin', '瑞舒伐他汀', 'rsftt', 'statin', ['瑞舒伐他汀钙', '可定', 'Crestor']),
  m('pravastatin', 'pravastatin', '普伐他汀', 'pftt', 'statin', ['普伐他汀钠', '普拉固', 'Pravachol']),
  m('ezetimibe', 'ezetimibe', '依折麦布', 'yzmb', 'lipid_lowering', ['益适纯', 'Ezetrol', 'Zetia']),
  m('lomitapide', 'lomitapide', '洛美他派', 'lmtp', 'lipid_lowering', ['Juxtapid']),
  // Anticoagulants and antiplatelets
  m('warfarin', 'warfarin', '华法林', 'hfl', 'anticoagulant', ['华法林钠', 'Coumadin']),
  m('rivaroxaban', 'rivaroxaban', '利伐沙班', 'lfsb', 'anticoagulant', ['拜瑞妥', 'Xarelto']),
  m('apixaban', 'apixaban', '阿哌沙班', 'apsb', 'anticoagulant', ['艾乐妥', 'Eliquis']),
  m('dabigatran', 'dabigatran', '达比加群', 'dbjq', 'anticoagulant', ['达比加群酯', '泰毕全', 'dabigatran etexilate', 'Pradaxa']),
  m('clopidogrel', 'clopidogrel', '氯吡格雷', 'lbgl', 'antiplatelet', ['硫酸氢氯吡格雷', '波立维', 'Plavix']),
  m('ticagrelor', 'ticagrelor', '替格瑞洛', 'tgrl', 'antiplatelet', ['倍林达', 'Brilinta', 'Brilique']),
  m('aspirin', 'aspirin', '阿司匹林', 'aspl', 'antiplatelet', ['乙酰水杨酸', '拜阿司匹灵', 'acetylsalicylic acid']),
  // Calcium-channel blockers
  m('amlodipine', 'amlodipine', '氨氯地平', 'aldp', 'calcium_channel_blocker', ['苯磺酸氨氯地平', '络活喜', 'Norvasc']),
  m('nifedipine', 'nifedipine', '硝苯地平', 'xbdp', 'calcium_channel_blocker', ['心痛定', '拜新同', 'Adalat']),
  m('felodipine', 'felodipine', '非洛地平', 'fldp', 'calcium_channel_blocker', ['波依定', 'Plendil']),
  m('nicardipine', 'nicardipine', '尼卡地平', 'nkdp', 'calcium_channel_blocker'),
  m('diltiazem', 'diltiazem', '地尔硫䓬', 'delz', 'calcium_channel_blocker', ['地尔硫卓', '合心爽', 'Cardizem']),
  m('verapamil', 'verapamil', '维拉帕米', 'wlpm', 'calcium_channel_blocker', ['异搏定', 'Isoptin']),
  // Antiarrhythmics and other cardiovascular medicines
  m('amiodarone', 'amiodarone', '胺碘酮', 'adt', 'antiarrhythmic', ['可达龙', 'Cordarone']),
  m('dronedarone', 'dronedarone', '决奈达隆', 'jndl', 'antiarrhythmic', ['Multaq']),
  m('flecainide', 'flecainide', '氟卡尼', 'fkn', 'antiarrhythmic', ['Tambocor']),
  m('propafenone', 'propafenone', '普罗帕酮', 'plpt', 'antiarrhythmic', ['心律平', 'Rythmol']),
  m('quinidine', 'quinidine', '奎尼丁', 'knd', 'antiarrhythmic'),
  m('digoxin', 'digoxin', '地高辛', 'dgx', 'antiarrhythmic', ['Lanoxin']),
  m('lidocaine', 'lidocaine', '利多卡因', 'ldky', 'antiarrhythmic', ['lignocaine']),
  m('ranolazine', 'ranolazine', '雷诺嗪', 'lnq', 'antianginal', ['Ranexa']),
  m('ivabradine', 'ivabradine', '伊伐布雷定', 'yfbld', 'antianginal', ['可兰特', 'Procoralan', 'Corlanor']),
  m('nitroglycerin', 'nitroglycerin', '硝酸甘油', 'xsgy', 'antianginal', ['glyceryl trinitrate']),
  m('isosorbide_mononitrate', 'isosorbide mononitrate', '单硝酸异山梨酯', 'dxsyslz', 'antianginal'),
  m('eplerenone', 'eplerenone', '依普利酮', 'yplt', 'antihypertensive', ['Inspra']),
  m('finerenone', 'finerenone', '非奈利酮', 'fnlt', 'other', ['可申达', 'Kerendia']),
  m('tolvaptan', 'tolvaptan', '托伐普坦', 'tfpt', 'other', ['苏麦卡', 'Samsca', 'Jynarque']),
  // Antihypertensives and diuretics that do not clash
  m('losartan', 'losartan', '氯沙坦', 'lst', 'antihypertensive', ['氯沙坦钾', '科素亚', 'Cozaar']),
  m('valsartan', 'valsartan', '缬沙坦', 'xst', 'antihypertensive', ['代文', 'Diovan']),
  m('irbesartan', 'irbesartan', '厄贝沙坦', 'ebst', 'antihypertensive', ['安博维', 'Aprovel']),
  m('enalapril', 'enalapril', '依那普利', 'ynpl', 'antihypertensive', ['马来酸依那普利', 'Vasotec']),
  m('benazepril', 'benazepril', '贝那普利', 'bnpl', 'antihypertensive', ['洛汀新', 'Lotensin']),
  m('metoprolol', 'metoprolol', '美托洛尔', 'mtle', 'antihypertensive', ['酒石酸美托洛尔', '琥珀酸美托洛尔', '倍他乐克', 'Betaloc']),
  m('bisoprolol', 'bisoprolol', '比索洛尔', 'bsle', 'antihypertensive', ['富马酸比索洛尔', '康忻', 'Concor']),
  m('hydrochlorothiazide', 'hydrochlorothiazide', '氢氯噻嗪', 'qlsq', 'antihypertensive', ['HCTZ']),
  m('furosemide', 'furosemide', '呋塞米', 'fsm', 'antihypertensive', ['速尿', 'frusemide', 'Lasix']),
  m('spironolactone', 'spironolactone', '螺内酯', 'lnz', 'antihypertensive', ['安体舒通']),
  // Alpha-blockers and benign prostatic hyperplasia
  m('alfuzosin', 'alfuzosin', '阿夫唑嗪', 'afzq', 'alpha_blocker', ['桑塔', 'Xatral', 'Uroxatral']),
  m('silodosin', 'silodosin', '西洛多辛', 'xldx', 'alpha_blocker', ['Rapaflo']),
  m('tamsulosin', 'tamsulosin', '坦索罗辛', 'tslx', 'alpha_blocker', ['坦洛新', '哈乐', 'Harnal', 'Flomax']),
  // Antidiabetics, thyroid, acid suppression: common and without a clash
  m('metformin', 'metformin', '二甲双胍', 'ejsg', 'antidiabetic', ['盐酸二甲双胍', '格华止', 'Glucophage']),
  m('insulin', 'insulin', '胰岛素', 'yds', 'antidiabetic'),
  m('acarbose', 'acarbose', '阿卡波糖', 'akbt', 'antidiabetic', ['拜唐苹', 'Glucobay']),
  m('gliclazide', 'gliclazide', '格列齐特', 'glqt', 'antidiabetic', ['达美康', 'Diamicron']),
  m('sitagliptin', 'sitagliptin', '西格列汀', 'xglt', 'antidiabetic', ['捷诺维', 'Januvia']),
  m('levothyroxine', 'levothyroxine', '左甲状腺素', 'zjzxs', 'thyroid', ['左甲状腺素钠', '优甲乐', 'Euthyrox']),
  m('omeprazole', 'omeprazole', '奥美拉唑', 'amlz', 'acid_suppressant', ['洛赛克', 'Losec']),
  m('pantoprazole', 'pantoprazole', '泮托拉唑', 'ptlz', 'acid_suppressant'),
  m('allopurinol', 'allopurinol', '别嘌醇', 'bpc', 'anti_gout', ['别嘌呤醇']),
  m('colchicine', 'colchicine', '秋水仙碱', 'qsxj', 'anti_gout', ['秋水仙素', 'Colcrys']),
  m('paracetamol', 'paracetamol', '对乙酰氨基酚', 'dyxajf', 'analgesic', ['扑热息痛', 'acetaminophen', 'Tylenol']),
  m('ibuprofen', 'ibuprofen', '布洛芬', 'blf', 'analgesic', ['芬必得']),
  // Anticonvulsants
  m('carbamazepine', 'carbamazepine', '卡马西平', 'kmxp', 'anticonvulsant', ['得理多', 'Tegretol']),
  m('phenytoin', 'phenytoin', '苯妥英', 'bty', 'anticonvulsant', ['苯妥英钠', '大仑丁', 'Dilantin']),
  m('phenobarbital', 'phenobarbital', '苯巴比妥', 'bbbt', 'anticonvulsant', ['鲁米那', 'phenobarbitone', 'Luminal']),
  m('primidone', 'primidone', '扑米酮', 'pmt', 'anticonvulsant', ['Mysoline']),
  m('clonazepam', 'clonazepam', '氯硝西泮', 'lxxp', 'anticonvulsant', ['氯硝安定', 'Klonopin', 'Rivotril']),
  // Sedatives and hypnotics
  m('triazolam', 'triazolam', '三唑仑', 'szl', 'sedative_hypnotic', ['海乐神', 'Halcion']),
  m('midazolam', 'midazolam', '咪达唑仑', 'mdzl', 'sedative_hypnotic', ['多美康', 'Dormicum']),
  m('alprazolam', 'alprazolam', '阿普唑仑', 'apzl', 'sedative_hypnotic', ['佳静安定', 'Xanax']),
  m('diazepam', 'diazepam', '地西泮', 'dxp', 'sedative_hypnotic', ['安定', 'Valium']),
  m('estazolam', 'estazolam', '艾司唑仑', 'aszl', 'sedative_hypnotic', ['舒乐安定']),
  m('zolpidem', 'zolpidem', '唑吡坦', 'zbt', 'sedative_hypnotic', ['酒石酸唑吡坦', '思诺思', 'Stilnox', 'Ambien']),
  m('buspirone', 'buspirone', '丁螺环酮', 'dlht', 'sedative_hypnotic', ['BuSpar']),
  // Opioids and opioid antagonists
  m('pethidine', 'pethidine', '哌替啶', 'ptd', 'opioid_analgesic', ['杜冷丁', 'meperidine', 'Demerol']),
  m('fentanyl', 'fentanyl', '芬太尼', 'ftn', 'opioid_analgesic', ['多瑞吉', 'Durogesic']),
  m('oxycodone', 'oxycodone', '羟考酮', 'qkt', 'opioid_analgesic', ['奥施康定', 'OxyContin']),
  m('hydrocodone', 'hydrocodone', '氢可酮', 'qkt', 'opioid_analgesic'),
  m('methadone', 'methadone', '美沙酮', 'mst', 'opioid_analgesic'),
  m('naloxegol', 'naloxegol', '纳洛醇醚', 'nlcm', 'other', ['Movantik']),
  // Antipsychotics and antidepressants
  m('lurasidone', 'lurasidone', '鲁拉西酮', 'llxt', 'antipsychotic', ['罗舒达', 'Latuda']),
  m('pimozide', 'pimozide', '匹莫齐特', 'pmqt', 'antipsychotic', ['Orap']),
  m('quetiapine', 'quetiapine', '喹硫平', 'klp', 'antipsychotic', ['富马酸喹硫平', '思瑞康', 'Seroquel']),
  m('clozapine', 'clozapine', '氯氮平', 'ldp', 'antipsychotic', ['Clozaril']),
  m('trazodone', 'trazodone', '曲唑酮', 'qzt', 'antidepressant', ['美时玉', 'Desyrel']),
  m('flibanserin', 'flibanserin', '氟班色林', 'fbsl', 'other', ['Addyi']),
  // Ergot derivatives and migraine medicines
  m('ergotamine', 'ergotamine', '麦角胺', 'mja', 'ergot', ['酒石酸麦角胺', 'Cafergot']),
  m('dihydroergotamine', 'dihydroergotamine', '双氢麦角胺', 'sqmja', 'ergot', ['D.H.E. 45']),
  m('methylergonovine', 'methylergonovine', '甲基麦角新碱', 'jjmjxj', 'ergot', ['甲麦角新碱', 'methylergometrine', 'Methergine']),
  m('eletriptan', 'eletriptan', '依来曲普坦', 'ylqpt', 'antimigraine', ['Relpax']),
  m('ubrogepant', 'ubrogepant', '乌布吉泮', 'wbjp', 'antimigraine', ['Ubrelvy']),
  // PDE5 inhibitors
  m('sildenafil', 'sildenafil', '西地那非', 'xdnf', 'pde5_inhibitor', ['枸橼酸西地那非', '万艾可', 'Revatio', 'Viagra']),
  m('tadalafil', 'tadalafil', '他达拉非', 'tdlf', 'pde5_inhibitor', ['希爱力', 'Cialis', 'Adcirca']),
  // Immunosuppressants
  m('tacrolimus', 'tacrolimus', '他克莫司', 'tkms', 'immunosuppressant', ['普乐可复', 'FK506', 'Prograf']),
  m('cyclosporine', 'cyclosporine', '环孢素', 'hbs', 'immunosuppressant', ['环孢素A', '新山地明', 'ciclosporin', 'Sandimmun', 'Neoral']),
  m('sirolimus', 'sirolimus', '西罗莫司', 'xlms', 'immunosuppressant', ['雷帕霉素', 'rapamycin', 'Rapamune']),
  m('everolimus', 'everolimus', '依维莫司', 'ywms', 'immunosuppressant', ['飞尼妥', 'Afinitor', 'Certican']),
  m('voclosporin', 'voclosporin', '伏环孢素', 'fhbs', 'immunosuppressant', ['Lupkynis']),
  // Corticosteroids
  m('dexamethasone', 'dexamethasone', '地塞米松', 'dsms', 'corticosteroid'),
  m('methylprednisolone', 'methylprednisolone', '甲泼尼龙', 'jpnl', 'corticosteroid', ['甲强龙', 'Medrol', 'Solu-Medrol']),
  m('budesonide', 'budesonide', '布地奈德', 'bdnd', 'corticosteroid', ['普米克', 'Pulmicort']),
  m('fluticasone', 'fluticasone', '氟替卡松', 'ftks', 'corticosteroid', ['辅舒良', 'Flixotide', 'Flonase']),
  m('prednisone', 'prednisone', '泼尼松', 'pns', 'corticosteroid', ['强的松']),
  m('salmeterol', 'salmeterol', '沙美特罗', 'smtl', 'bronchodilator', ['Serevent']),
  // Anti-infectives
  m('clarithromycin', 'clarithromycin', '克拉霉素', 'klms', 'antibacterial', ['克拉仙', 'Klacid', 'Biaxin']),
  m('erythromycin', 'erythromycin', '红霉素', 'hms', 'antibacterial'),
  m('voriconazole', 'voriconazole', '伏立康唑', 'flkz', 'antifungal', ['威凡', 'Vfend']),
  m('itraconazole', 'itraconazole', '伊曲康唑', 'yqkz', 'antifungal', ['斯皮仁诺', 'Sporanox']),
  m('ketoconazole', 'ketoconazole', '酮康唑', 'tkz', 'antifungal'),
  m('rifampicin', 'rifampicin', '利福平', 'lfp', 'antimycobacterial', ['rifampin', 'Rifadin']),
  m('rifapentine', 'rifapentine', '利福喷丁', 'lfpd', 'antimycobacterial', ['Priftin']),
  m('rifabutin', 'rifabutin', '利福布汀', 'lfbt', 'antimycobacterial'),
  // Strong CYP3A inducers among anticancer and other medicines
  m('apalutamide', 'apalutamide', '阿帕他胺', 'apta', 'anticancer', ['安森珂', 'Erleada']),
  m('enzalutamide', 'enzalutamide', '恩扎卢胺', 'ezla', 'anticancer', ['安可坦', 'Xtandi']),
  m('mitotane', 'mitotane', '米托坦', 'mtt', 'anticancer', ['Lysodren']),
  m('lumacaftor_ivacaftor', 'lumacaftor/ivacaftor', '鲁马卡托依伐卡托', 'lmktyfkt', 'other', ['鲁马卡托/依伐卡托', '鲁马卡托', 'lumacaftor', 'Orkambi']),
  m('st_johns_wort', "St John's wort", '圣约翰草', 'syhc', 'herbal', ['贯叶连翘', '贯叶金丝桃', "St. John's wort", 'Hypericum perforatum']),
];

/** NFKC (full-width letters and digits become ASCII), trimmed, lower-case, runs of white space as one space. */
export function normaliseMedicineText(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

interface IndexedMedicine {
  medicine: Medicine;
  order: number;
  names: string[];
  /** For matching inside free text: a Chinese name of ≥ 3 characters as a substring, a Latin name of ≥ 4 letters as a whole word. */
  contained: { name: string; find: (text: string) => number }[];
}

const HAN = /\p{Script=Han}/u;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function finder(name: string): ((text: string) => number) | null {
  if (HAN.test(name)) return name.length >= 3 ? (text) => text.indexOf(name) : null;
  if (name.length < 4) return null;
  const re = new RegExp(`(?<![\\p{L}])${escapeRegExp(name)}(?![\\p{L}])`, 'u');
  return (text) => text.search(re);
}

const INDEX: readonly IndexedMedicine[] = MEDICINES.map((medicine, order) => {
  const names = [medicine.zh, medicine.en, ...medicine.aliases].map(normaliseMedicineText);
  const contained = names.flatMap((name) => {
    const find = finder(name);
    return find ? [{ name, find }] : [];
  });
  return { medicine, order, names, contained };
});
const LATIN_ONLY = /^[a-z]+$/;

/**
 * Search as the user types: an exact name (or pinyin initials) first, then a name that begins with
 * the query, then pinyin initials that begin with it, then a name containing it; lexicon order
 * within each rank.
 */
export function searchMedicines(query: string, limit = 10): Medicine[] {
  const q = normaliseMedicineText(query);
  if (q === '') return [];
  const ranked: { rank: number; order: number; medicine: Medicine }[] = [];
  for (const { medicine, order, names } of INDEX) {
    let rank: number | null = null;
    if (names.includes(q) || medicine.pinyin === q) rank = 0;
    else if (names.some((n) => n.startsWith(q))) rank = 1;
    else if (LATIN_ONLY.test(q) && medicine.pinyin.startsWith(q)) rank = 2;
    else if (names.some((n) => n.includes(q))) rank = 3;
    if (rank !== null) ranked.push({ rank, order, medicine });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.order - b.order);
  return ranked.slice(0, Math.max(0, limit)).map((r) => r.medicine);
}

// What follows a medicine's name in a free-text entry: dose, frequency, route, dosage form, salt.
const LATIN_TAIL = /\s*\b(?:qd|bid|tid|qid|qn|qod|qw|prn|hs|po|iv|im|ih|sc|tab|tabs|tablets?|caps?|capsules?|mg|g|ug|µg|mcg|ml|iu|u|er|sr|xl)\.?$/;
const ZH_FORMS = [
  '缓释片',
  '控释片',
  '肠溶片',
  '分散片',
  '咀嚼片',
  '薄膜衣片',
  '片',
  '缓释胶囊',
  '肠溶胶囊',
  '软胶囊',
  '胶囊',
  '注射液',
  '注射剂',
  '颗粒',
  '口服溶液',
  '口服液',
  '滴丸',
  '干混悬剂',
  '混悬液',
  '吸入剂',
  '气雾剂',
  '贴剂',
  '钙',
  '钠',
  '钾',
];

/** The text before any dose, with frequency words and dosage forms taken off the end. */
function stripTail(text: string): string {
  let s = (text.split(/\d/, 1)[0] ?? '').trim();
  for (let changed = true; changed;) {
    changed = false;
    const latin = s.replace(LATIN_TAIL, '').trim();
    if (latin !== s) {
      s = latin;
      changed = true;
    }
    const form = ZH_FORMS.find((f) => s.endsWith(f) && s.length > f.length);
    if (form) {
      s = s.slice(0, -form.length).trim();
      changed = true;
    }
  }
  return s;
}

function exact(text: string): Medicine | null {
  return INDEX.find((e) => e.names.includes(text))?.medicine ?? null;
}

/**
 * The lexicon medicine a free-text entry names, or null. In order: the whole text is a name; the
 * text without its dose, frequency and form is a name ('辛伐他汀片 20mg', 'simvastatin 20 mg qn');
 * the text contains a name — a Chinese name of at least 3 characters anywhere (so a salt prefix such
 * as 盐酸胺碘酮 still matches), a Latin name as a whole word. The longest contained name wins, then
 * the earliest. Two-character names (安定, 可定) match only exactly, as they occur inside ordinary words.
 */
export function matchMedicine(text: string): Medicine | null {
  const t = normaliseMedicineText(text);
  if (t === '') return null;
  const direct = exact(t) ?? exact(stripTail(t));
  if (direct) return direct;
  let best: { medicine: Medicine; length: number; at: number } | null = null;
  for (const { medicine, contained } of INDEX) {
    for (const { name, find } of contained) {
      const at = find(t);
      if (at >= 0 && (!best || name.length > best.length || (name.length === best.length && at < best.at))) best = { medicine, length: name.length, at };
    }
  }
  return best?.medicine ?? null;
}

/** Splits legacy free text ('辛伐他汀20mg qn，氨氯地平5mg qd; 阿司匹林') into one entry per medicine. */
export function splitMedicationText(text: string): { text: string; medicine: Medicine | null }[] {
  return text
    .split(/[,，;；、/\n\r]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => ({ text: part, medicine: matchMedicine(part) }));
}
