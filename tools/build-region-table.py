#!/usr/bin/env python3
"""Builds src/main/resources/identity/gbt2260.tsv, the GB/T 2260 address-code table shipped with the product.

Sources (npm registry, fetched with `npm pack` into a temporary folder):
  china-division 2.7.0  current province/city/county codes
  gb2260 0.6.0          the statistics bureau's revisions 2002-2016, for codes retired since

Usage: python3 tools/build-region-table.py   (needs npm and network access to the npm registry)
"""
import json, os, subprocess, sys, tarfile, tempfile

OUT = os.path.join(os.path.dirname(__file__), '..', 'src', 'main', 'resources', 'identity', 'gbt2260.tsv')
PLACEHOLDERS = {'市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'}


def unpack(tmp, spec):
    name = subprocess.check_output(['npm', 'pack', spec, '--silent'], cwd=tmp, text=True).strip().splitlines()[-1]
    target = os.path.join(tmp, spec.replace('@', '-'))
    with tarfile.open(os.path.join(tmp, name)) as tar:
        tar.extractall(target)
    return os.path.join(target, 'package')


def full_names(codes):
    """code -> 'province + city + county' name, leaving out placeholder city names such as 市辖区."""
    names = {}
    for code, name in codes.items():
        parts = [codes.get(code[:2] + '0000')]
        if code[2:4] != '00':
            city = codes.get(code[:4] + '00')
            if city and city not in PLACEHOLDERS and code[4:] != '00':
                parts.append(city)
            if code[4:] == '00' and name not in PLACEHOLDERS:
                parts.append(name)
        if code[4:] != '00':
            parts.append(name)
        names[code] = ''.join(p for p in parts if p)
    return names


def main():
    with tempfile.TemporaryDirectory() as tmp:
        division = unpack(tmp, 'china-division@2.7.0')
        gb = unpack(tmp, 'gb2260@0.6.0')
        current = {}
        for p in json.load(open(os.path.join(division, 'dist', 'provinces.json'), encoding='utf-8')):
            current[p['code'] + '0000'] = p['name']
        for c in json.load(open(os.path.join(division, 'dist', 'cities.json'), encoding='utf-8')):
            current[c['code'] + '00'] = c['name']
        for a in json.load(open(os.path.join(division, 'dist', 'areas.json'), encoding='utf-8')):
            current[a['code']] = a['name']
        historical = {}
        revisions = sorted(f for f in os.listdir(os.path.join(gb, 'lib')) if f[:6].isdigit() and f.endswith('.json'))
        for revision in revisions:  # oldest first, so the newest name of a retired code wins
            codes = json.load(open(os.path.join(gb, 'lib', revision), encoding='utf-8'))
            for code, name in full_names(codes).items():
                historical[code] = name
        for code, name in {'710000': '台湾省', '810000': '香港特别行政区', '820000': '澳门特别行政区'}.items():
            current.setdefault(code, name)
        rows = [(code, name, 'current') for code, name in full_names(current).items()]
        rows += [(code, name, 'retired') for code, name in historical.items() if code not in current]
        rows.sort()
    with open(OUT, 'w', encoding='utf-8') as out:
        out.write('# GB/T 2260 address codes: code, full name, current or retired. Built by tools/build-region-table.py;\n')
        out.write('# sources and licences in gbt2260-SOURCE.md beside this file.\n')
        for row in rows:
            out.write('\t'.join(row) + '\n')
    print(f"{len(rows)} codes: {sum(r[2] == 'current' for r in rows)} current, {sum(r[2] == 'retired' for r in rows)} retired")


if __name__ == '__main__':
    sys.exit(main())
