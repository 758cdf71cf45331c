import {
  BUILT_IN_REGIONS,
  DECISION_CODES,
  DECISION_CODE_LABELS,
  IJSSELLAND,
  MELDER_SECTORS,
  MELDER_SECTOR_LABELS,
  PERSON_ROLES,
  PERSON_ROLE_LABELS,
  SAFETY_OUTCOMES,
  SAFETY_OUTCOME_LABELS,
  VIOLENCE_TYPES,
  VIOLENCE_TYPE_LABELS,
  VULNERABILITIES,
  VULNERABILITY_LABELS,
  bsnSchema,
  decisionCodeSchema,
  isValidBsn,
  melderSectorSchema,
  personRoleSchema,
  safetyOutcomeSchema,
  violenceTypeSchema,
  vtRegionSchema,
  vulnerabilitySchema,
  type VtRegion,
} from '../../workflows/reference';

describe('isValidBsn (11-proef: weights 9,8,7,6,5,4,3,2,-1; sum % 11 === 0; sum !== 0)', () => {
  it.each([
    // 1*9 + 1*8 + 1*7 + 2*6 + 2*5 + 2*4 + 3*3 + 3*2 - 3*1 = 66 = 6 * 11
    '111222333',
    // 1*9 + 2*8 + 3*7 + 4*6 + 5*5 + 6*4 + 7*3 + 8*2 - 2*1 = 154 = 14 * 11
    '123456782',
    // 9*(9+8+7+6+5+4+3+2) - 0 = 396 = 36 * 11
    '999999990',
  ])('accepts %s', (bsn) => {
    expect(isValidBsn(bsn)).toBe(true);
    expect(bsnSchema.safeParse(bsn).success).toBe(true);
  });

  it.each([
    ['123456789', 'wrong check digit: 156 - 9 = 147, 147 % 11 = 4'],
    ['111222334', 'wrong check digit: 66 - 1 = 65'],
    ['12345678', 'only 8 digits'],
    ['1234567820', '10 digits'],
    ['12345678a', 'contains a letter'],
    ['abcdefghi', 'letters'],
    ['000000000', 'all zeros: sum 0'],
    [' 123456782', 'leading space'],
    ['123 456 782', 'spaces'],
    ['', 'empty'],
  ])('rejects %s (%s)', (bsn) => {
    expect(isValidBsn(bsn)).toBe(false);
  });

  it('bsnSchema reports the exact message', () => {
    const result = bsnSchema.safeParse('123456789');
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['must be a valid BSN (9 digits passing the 11-proef)']);
  });

  it('bsnSchema rejects non-strings', () => {
    expect(bsnSchema.safeParse(123456782).success).toBe(false);
  });
});

describe('IJsselland region', () => {
  it('has exactly eleven gemeenten with unique codes', () => {
    expect(IJSSELLAND.gemeenten).toHaveLength(11);
    expect(new Set(IJSSELLAND.gemeenten.map((g) => g.code)).size).toBe(11);
  });

  it.each([
    ['GM0148', 'Dalfsen'],
    ['GM0150', 'Deventer'],
    ['GM0160', 'Hardenberg'],
    ['GM0166', 'Kampen'],
    ['GM1773', 'Olst-Wijhe'],
    ['GM0175', 'Ommen'],
    ['GM0177', 'Raalte'],
    ['GM0180', 'Staphorst'],
    ['GM1708', 'Steenwijkerland'],
    ['GM1896', 'Zwartewaterland'],
    ['GM0193', 'Zwolle'],
  ])('contains %s %s', (code, name) => {
    expect(IJSSELLAND.gemeenten).toContainEqual(expect.objectContaining({ code, name }));
  });

  it('has Zwolle as centrumgemeente', () => {
    expect(IJSSELLAND.id).toBe('ijsselland');
    expect(IJSSELLAND.centrumgemeente).toBe('GM0193');
    expect(IJSSELLAND.gemeenten.find((g) => g.code === IJSSELLAND.centrumgemeente)?.name).toBe('Zwolle');
  });

  it('passes vtRegionSchema and is registered as a built-in region', () => {
    expect(vtRegionSchema.safeParse(IJSSELLAND).success).toBe(true);
    expect(BUILT_IN_REGIONS['ijsselland']).toBe(IJSSELLAND);
    for (const [id, region] of Object.entries(BUILT_IN_REGIONS)) {
      expect(region.id).toBe(id);
      expect(vtRegionSchema.safeParse(region).success).toBe(true);
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(IJSSELLAND)).toBe(true);
    expect(Object.isFrozen(IJSSELLAND.gemeenten)).toBe(true);
    expect(IJSSELLAND.gemeenten.every((g) => Object.isFrozen(g))).toBe(true);
    expect(Object.isFrozen(BUILT_IN_REGIONS)).toBe(true);
  });
});

describe('vtRegionSchema', () => {
  const valid: VtRegion = {
    id: 'voorbeeld-regio',
    name: 'Voorbeeldregio',
    centrumgemeente: 'GM0001',
    gemeenten: [
      { code: 'GM0001', name: 'Een' },
      { code: 'GM0002', name: 'Twee' },
    ],
  };

  const messages = (input: unknown): string[] => {
    const result = vtRegionSchema.safeParse(input);
    expect(result.success).toBe(false);
    return result.error?.issues.map((i) => i.message) ?? [];
  };

  it('accepts a well-formed region supplied as JSON', () => {
    const parsed: VtRegion = vtRegionSchema.parse(JSON.parse(JSON.stringify(valid)));
    expect(parsed).toEqual(valid);
  });

  it('rejects duplicate gemeente codes', () => {
    const dup = { ...valid, gemeenten: [...valid.gemeenten, { code: 'GM0002', name: 'Twee bis' }] };
    expect(messages(dup)).toEqual(['duplicate gemeente code GM0002']);
  });

  it.each(['0193', 'gm0193', 'GM193', 'GM01934', 'GMabcd', ' GM0193'])('rejects bad gemeente code %j', (code) => {
    const bad = { ...valid, gemeenten: [...valid.gemeenten, { code, name: 'X' }] };
    expect(vtRegionSchema.safeParse(bad).success).toBe(false);
  });

  it('rejects a centrumgemeente that is not among the gemeenten', () => {
    expect(messages({ ...valid, centrumgemeente: 'GM0193' })).toEqual(["centrumgemeente GM0193 is not one of the region's gemeenten"]);
  });

  it('rejects a badly formatted centrumgemeente', () => {
    expect(vtRegionSchema.safeParse({ ...valid, centrumgemeente: 'Zwolle' }).success).toBe(false);
  });

  it('rejects an empty gemeenten list', () => {
    expect(vtRegionSchema.safeParse({ ...valid, gemeenten: [] }).success).toBe(false);
  });

  it('rejects missing or empty names and bad ids', () => {
    expect(vtRegionSchema.safeParse({ ...valid, name: '' }).success).toBe(false);
    expect(vtRegionSchema.safeParse({ ...valid, id: 'Voorbeeld Regio' }).success).toBe(false);
    expect(vtRegionSchema.safeParse({ ...valid, gemeenten: [{ code: 'GM0001', name: ' ' }] }).success).toBe(false);
    const { name: _name, ...withoutName } = valid;
    expect(vtRegionSchema.safeParse(withoutName).success).toBe(false);
  });
});

describe('categories', () => {
  const lists = [
    ['VIOLENCE_TYPES', VIOLENCE_TYPES, VIOLENCE_TYPE_LABELS, violenceTypeSchema],
    ['SAFETY_OUTCOMES', SAFETY_OUTCOMES, SAFETY_OUTCOME_LABELS, safetyOutcomeSchema],
    ['MELDER_SECTORS', MELDER_SECTORS, MELDER_SECTOR_LABELS, melderSectorSchema],
    ['PERSON_ROLES', PERSON_ROLES, PERSON_ROLE_LABELS, personRoleSchema],
    ['VULNERABILITIES', VULNERABILITIES, VULNERABILITY_LABELS, vulnerabilitySchema],
    ['DECISION_CODES', DECISION_CODES, DECISION_CODE_LABELS, decisionCodeSchema],
  ] as const;

  it.each(lists)('%s: unique ids, a non-empty label for every id and no extra labels', (_name, ids, labels) => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(labels).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const label = (labels as Record<string, string>)[id];
      expect(typeof label).toBe('string');
      expect(label!.trim().length).toBeGreaterThan(0);
    }
  });

  it.each(lists)('%s: the zod enum accepts exactly the ids', (_name, ids, _labels, schema) => {
    for (const id of ids) expect(schema.safeParse(id).success).toBe(true);
    expect(schema.safeParse('not-a-category').success).toBe(false);
    expect(schema.safeParse(undefined).success).toBe(false);
  });

  it('uses snake_case ASCII ids (decision codes use the API spelling)', () => {
    for (const ids of [VIOLENCE_TYPES, SAFETY_OUTCOMES, MELDER_SECTORS, PERSON_ROLES, VULNERABILITIES]) {
      for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/);
    }
    for (const code of DECISION_CODES) expect(code).toMatch(/^VT-\d{2}(?:-\d{2})?$/);
  });

  it('has the agreed labels', () => {
    expect(VIOLENCE_TYPE_LABELS.partnergeweld).toBe('(ex-)partnergeweld');
    expect(SAFETY_OUTCOME_LABELS).toEqual({
      acuut: 'acute onveiligheid',
      structureel: 'structurele onveiligheid',
      geen: 'geen onveiligheid',
    });
  });

  it('contains the JZV Meldingen decision codes', () => {
    expect([...DECISION_CODES]).toEqual(['VT-00', 'VT-01-01', 'VT-01-02', 'VT-01-03', 'VT-01-04', 'VT-02', 'VT-03', 'VT-99']);
  });
});
