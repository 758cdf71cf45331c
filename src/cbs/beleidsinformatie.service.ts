import type { Database } from '../../db/database';
import type { AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { parsePeriod } from '../../workflows/reporting/periods';
import type { AuditTrail } from '../audit/audit-trail';
import { auditActor } from '../audit/audit-actor';
import type { Principal } from '../auth/principal';
import type { Clock } from '../shared/clock';
import { validationError } from '../shared/errors';
import { beleidsinformatieRepository as repo, type PersonFact } from './beleidsinformatie.repository';
import { beleidsinformatieSchema, type Beleidsinformatie, type BeleidsinformatieRecord } from './beleidsinformatie.schema';
import { authorize } from '../auth/permissions';

type Record_ = BeleidsinformatieRecord;
type UitkomstItem = NonNullable<Record_['uitkomst']>[number];
const NONE: Pick<Record_, 'personen' | 'hoedanigheid' | 'datumMelding' | 'datumStartOnderzoek' | 'datumAfrondingOnderzoek' | 'uitkomst' | 'vervolgtraject'> = { personen: [], hoedanigheid: null, datumMelding: null, datumStartOnderzoek: null, datumAfrondingOnderzoek: null, uitkomst: null, vervolgtraject: null };

/**
 * The statutory delivery of beleidsinformatie to CBS (Wmo 2015 art. 4.2.12; Uitvoeringsbesluit Wmo 2015 art. 4.3.1–4.3.2)
 * for one half-year: one record per advies given, melding received and onderzoek finished in it, with exactly the items
 * of art. 4.3.2 lid 1. It holds BSNs, so only the beheerder fetches it, and the fetch is audited as a read of every case
 * it contains, before it leaves.
 */
export class BeleidsinformatieService {
  constructor(private readonly o: { db: Database; clock: Clock; calendar: AwtCalendar; audit: AuditTrail }) {}

  async delivery(p: Principal, half: string): Promise<Beleidsinformatie> {
    authorize(p, 'cbs.delivery');
    const period = parsePeriod(half);
    if (!period || period.kind !== 'half') throw validationError([{ field: 'half', rule: 'must be a half-year as YYYY-H1 or YYYY-H2' }]);
    const cal = this.o.calendar;
    const now = this.o.clock.now();
    const from = cal.startOfLocalDay(`${period.months[0]}-01`);
    if (from > now) throw validationError([{ field: 'half', rule: 'must not be a half-year in the future' }]);
    const last = period.months[5]!;
    const next = last.endsWith('-12') ? `${Number(last.slice(0, 4)) + 1}-01-01` : `${last.slice(0, 5)}${String(Number(last.slice(5)) + 1).padStart(2, '0')}-01`;
    const end = cal.startOfLocalDay(next);
    const to = end < now ? end : now;

    const [adviezen, meldingen, onderzoeken] = await Promise.all([repo.adviezen(this.o.db, from, to), repo.meldingen(this.o.db, from, to), repo.onderzoeken(this.o.db, from, to)]);
    const persons = await repo.persons(this.o.db, [...new Set([...meldingen.map((m) => m.case_id), ...onderzoeken.map((o) => o.case_id)])]);
    const byCase = new Map<string, PersonFact[]>();
    for (const person of persons) byCase.set(person.case_id, [...(byCase.get(person.case_id) ?? []), person]);
    const day = (d: Date) => cal.localDate(d);
    const capacity = (professional: boolean, sector: string | null) => (professional ? (sector ?? 'overige_professional') : 'niet_professioneel') as Record_['hoedanigheid'];

    const records: Record_[] = [
      ...adviezen.map((a): Record_ => ({ ...NONE, soort: 'advies', aard: a.violence_types as Record_['aard'], hoedanigheid: capacity(a.caller_professional, a.caller_sector) })),
      ...meldingen.map(
        (m): Record_ => ({
          ...NONE,
          soort: 'melding',
          aard: m.violence_types as Record_['aard'],
          // Persons without a BSN are delivered without one.
          personen: (byCase.get(m.case_id) ?? []).map((x) => ({ bsn: x.bsn, geboortedatum: x.birth_date, geslacht: x.sex as Record_['personen'][number]['geslacht'] })),
          hoedanigheid: capacity(m.melder_professional, m.melder_sector),
          datumMelding: day(m.received_at),
        }),
      ),
      ...onderzoeken.map(
        (o): Record_ => ({
          ...NONE,
          soort: 'onderzoek',
          // The types the conclusion gave an outcome for (a later correction of the melding's types does not rewrite it).
          aard: (o.outcomes ? Object.keys(o.outcomes) : o.violence_types) as Record_['aard'],
          // Art. 4.3.2 c: of an onderzoek only the BSNs.
          personen: (byCase.get(o.case_id) ?? []).flatMap((x) => (x.bsn ? [{ bsn: x.bsn, geboortedatum: null, geslacht: null }] : [])),
          datumStartOnderzoek: o.started_at ? day(o.started_at) : null,
          datumAfrondingOnderzoek: day(o.finished_at),
          uitkomst: o.outcomes
            ? Object.entries(o.outcomes).map(([aard, uitkomst]) => ({ aard, uitkomst }) as UitkomstItem)
            : o.violence_types.map((aard) => ({ aard, uitkomst: null }) as UitkomstItem),
          vervolgtraject: o.follow_up as Record_['vervolgtraject'],
        }),
      ),
    ];
    // The schema is strict: a field beyond the article fails here, before anything leaves.
    const body = beleidsinformatieSchema.parse({ half: period.id, from: from.toISOString(), to: to.toISOString(), records });

    const cases = new Map<string, string>();
    for (const m of meldingen) cases.set(m.case_id, m.team_id);
    for (const o of onderzoeken) cases.set(o.case_id, o.team_id);
    await Promise.all([...cases].map(([caseId, caseTeam]) => this.o.audit.record({ actor: auditActor(p), action: 'cbs.delivery', caseId, caseTeam, detail: period.id })));
    return body;
  }
}

/** CSV of the delivery: one line per record; lists (types, persons, outcomes) joined with '|', persons as bsn;geboortedatum;geslacht, outcomes as type:outcome. */
export function beleidsinformatieCsv(body: Beleidsinformatie): string {
  const header = ['soort', 'aard', 'personen', 'hoedanigheid', 'datumMelding', 'datumStartOnderzoek', 'datumAfrondingOnderzoek', 'uitkomst', 'vervolgtraject'];
  const cell = (v: string | null) => v ?? '';
  const lines = body.records.map((r) =>
    [
      r.soort,
      r.aard.join('|'),
      r.personen.map((x) => [cell(x.bsn), cell(x.geboortedatum), cell(x.geslacht)].join(';')).join('|'),
      cell(r.hoedanigheid),
      cell(r.datumMelding),
      cell(r.datumStartOnderzoek),
      cell(r.datumAfrondingOnderzoek),
      (r.uitkomst ?? []).map((u) => `${u.aard}:${cell(u.uitkomst)}`).join('|'),
      cell(r.vervolgtraject),
    ].join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
