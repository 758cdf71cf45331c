import PDFDocument from 'pdfkit';
import type { PersonExport, WithheldCode } from './person-export';

/** DejaVu Sans covers Latin (ş, ğ, ł…), Greek, Cyrillic and more; pdfkit's built-in Helvetica only covers WinAnsi. */
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const ROLE_NL: Record<string, string> = { medewerker: 'medewerker', teamleider: 'teamleider', manager: 'manager', beheerder: 'beheerder', gemeente: 'gemeente' };

/** Why each part is left out, for the person reading the PDF. */
const WITHHELD_NL: Record<WithheldCode, { what: string; why: string }> = {
  other_persons: { what: 'De andere personen in de melding', why: 'hun persoonsgegevens zijn niet voor u (AVG art. 15 lid 4).' },
  melder: { what: 'De melder', why: 'wie meldde wordt beschermd (AVG art. 15 lid 4); een afgeschermde melder is dat toegezegd.' },
  summary: { what: 'De samenvatting van de melding', why: 'vrije tekst over het hele gezin, niet aan u alleen toe te rekenen; u kunt om een beoordeelde kopie vragen.' },
  staff_identities: { what: 'De namen van medewerkers die uw dossier inzagen of wijzigden', why: 'logregels identificeren medewerkers, niet u; hun rol en het tijdstip staan hierboven (HvJ EU C-579/21).' },
  events: { what: 'Gebeurtenissen die u niet noemen', why: 'ze gaan over de melding als geheel of over anderen; vrije tekst daarin is niet aan u alleen toe te rekenen.' },
};

/** The same export as a PDF for the person (Dutch labels; the fields as in the JSON). */
export async function renderPersonExportPdf(e: PersonExport): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Inzage persoonsgegevens ${e.person.id}`, Author: 'Veilig Thuis', CreationDate: new Date(e.generatedAt) } });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string) => doc.moveDown(0.8).font('bold').fontSize(13).text(text).moveDown(0.3).font('regular').fontSize(10);
  const field = (label: string, value: string) => doc.font('bold').text(`${label}: `, { continued: true }).font('regular').text(value);
  const show = (v: unknown): string => {
    if (v === null || v === undefined) return '–';
    if (Array.isArray(v)) return v.length ? v.map(show).join(', ') : '–';
    if (typeof v === 'boolean') return v ? 'ja' : 'nee';
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    return JSON.stringify(v);
  };

  doc.font('bold').fontSize(16).text('Inzage persoonsgegevens (AVG art. 15)');
  doc.font('regular').fontSize(9).text(`Opgesteld ${e.generatedAt} · formaat ${e.format}`);

  heading('Uw gegevens');
  field('Naam', e.person.name);
  field('Geboortedatum', show(e.person.birthDate));
  field('BSN', show(e.person.bsn));
  field('Rol in de melding', e.person.role);
  field('Kwetsbaarheden', show(e.person.vulnerabilities));
  field('Vastgelegd op', e.person.registeredAt);
  field('Kenmerk', e.person.id);

  heading('De melding waarin u voorkomt');
  field('Kenmerk', e.case.id);
  field('Gemeente', e.case.gemeente);
  field('Ontvangen', e.case.receivedAt);
  field('Fase', e.case.state);
  field('Soorten geweld', show(e.case.violenceTypes));
  field('Acuut gevaar', show(e.case.acuteDanger));
  field('Veiligheid', show(e.case.safety));
  field('Besluit', show(e.case.decisionCode));
  field('Afgesloten', show(e.case.closedAt));
  if (e.otherCaseIds.length > 0) field('Andere meldingen met uw BSN', e.otherCaseIds.join(', '));

  heading('Gebeurtenissen over u');
  if (e.events.length === 0) doc.text('Geen.');
  for (const ev of e.events) {
    doc.font('bold').text(`${ev.at} · ${ev.type} · door ${ROLE_NL[ev.actorRole] ?? ev.actorRole}`);
    doc.font('regular');
    for (const [k, v] of Object.entries(ev.details)) doc.text(`    ${k}: ${show(v)}`);
  }

  heading('Wie uw dossier inzag of wijzigde');
  if (e.accesses.length === 0) doc.text('Niemand.');
  for (const a of e.accesses) doc.text(`${a.at} · ${ROLE_NL[a.actorRole] ?? a.actorRole} · ${a.action}${a.breakGlass ? ' · buiten het eigen team, met opgegeven reden' : ''}`);

  heading('Niet opgenomen');
  for (const w of e.withheld) {
    const nl = WITHHELD_NL[w.code];
    const what = w.eventType ? `${nl.what}: ${w.eventType}` : nl.what;
    doc.text(`• ${what}${w.count === undefined ? '' : ` (${w.count})`}: ${nl.why}`);
  }

  doc.end();
  return done;
}
