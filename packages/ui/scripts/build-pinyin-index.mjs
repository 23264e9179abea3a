/* global TextDecoder, URL, console */
/* eslint-disable no-console -- a build script reports what it wrote */
// Builds src/keyboard/pinyinIndex.json: toneless pinyin syllable → candidate characters.
//
// The on-screen keyboard needs pinyin → characters, the reverse of what pinyin-pro gives.
// We take the 3,755 level-1 characters of GB 2312 (the common characters, decoded with
// the platform's GBK decoder), ask pinyin-pro for every reading of each, and order each
// syllable's candidates: frequent characters and common surnames first, then the rest in
// GB 2312 order. The result is ~25 KB and ships with the renderer; rerun after changing
// the boost list: `node packages/ui/scripts/build-pinyin-index.mjs`.
import { writeFileSync } from 'node:fs';
import { pinyin } from 'pinyin-pro';

// Most frequent characters of modern written Chinese, then the common surnames, then
// words a citizen types into hall forms (addresses, relations, occupations).
const BOOST =
  '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切布轮击故采哪响存续省号证件身份户籍居住籍贯婚姻配偶父母子女职业学历邮编电话手机镇乡村街道巷楼室栋单元县区市省路弄'
  + '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';

const decoder = new TextDecoder('gbk');
const level1 = [];
for (let hi = 0xb0; hi <= 0xd7; hi++) {
  for (let lo = 0xa1; lo <= 0xfe; lo++) {
    if (hi === 0xd7 && lo > 0xf9) break;
    level1.push(decoder.decode(Uint8Array.of(hi, lo)));
  }
}
if (level1.length !== 3755) throw new Error(`expected 3755 level-1 characters, decoded ${level1.length}`);

const rank = new Map();
[...BOOST].forEach((char, i) => {
  if (!rank.has(char)) rank.set(char, i);
});
const order = (char) => rank.get(char) ?? BOOST.length + level1.indexOf(char);

const index = {};
// A character's main reading ranks it ahead of characters met under a secondary one (长 under zhang).
const secondary = new Set();
for (const char of level1) {
  const readings = [...new Set(pinyin(char, { multiple: true, toneType: 'none', type: 'array', v: true }))];
  readings.forEach((reading, i) => {
    if (!/^[a-z]+$/.test(reading)) return;
    (index[reading] ??= []).push(char);
    if (i > 0) secondary.add(`${reading}:${char}`);
  });
}
const sorted = Object.fromEntries(
  Object.keys(index)
    .sort()
    .map((syllable) => {
      const key = (char) => (secondary.has(`${syllable}:${char}`) ? 1e6 : 0) + order(char);
      return [syllable, index[syllable].sort((a, b) => key(a) - key(b)).join('')];
    }),
);
const out = new URL('../src/keyboard/pinyinIndex.json', import.meta.url);
writeFileSync(out, JSON.stringify(sorted) + '\n');
console.log(`${Object.keys(sorted).length} syllables, ${level1.length} characters → ${out.pathname}`);
