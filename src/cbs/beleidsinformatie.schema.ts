import { z } from 'zod';
import { MELDER_SECTORS, ONDERZOEK_OUTCOMES, VIOLENCE_TYPES } from '../../workflows/reference';

/**
 * One record of the statutory delivery to CBS (Uitvoeringsbesluit Wmo 2015 art. 4.3.2 lid 1), and nothing else: no
 * case id, no name, no gemeente, no free text. Each field names the item of the article it carries.
 */
export const beleidsinformatieRecordSchema = z
  .object({
    /** Whether the record is an advies (a), a melding (b) or an onderzoek (c). */
    soort: z.enum(['advies', 'melding', 'onderzoek']),
    /** a, b, c, h: the kind of violence (CBS aard van het geweld), which splits kindermishandeling from huiselijk geweld. */
    aard: z.array(z.enum(VIOLENCE_TYPES)),
    /** b: BSN (when known), birth date and sex of each person the melding is about; c: their BSNs. */
    personen: z.array(
      z
        .object({
          bsn: z.string().nullable(),
          geboortedatum: z.string().nullable(),
          geslacht: z.enum(['man', 'vrouw', 'onbekend']).nullable(),
        })
        .strict(),
    ),
    /** d: the capacity of who contacted Veilig Thuis (a professional's sector, or not professional). */
    hoedanigheid: z.enum([...MELDER_SECTORS, 'niet_professioneel']).nullable(),
    /** e: the date of the melding (local date). */
    datumMelding: z.string().nullable(),
    /** f, g: the dates the onderzoek started and was finished. */
    datumStartOnderzoek: z.string().nullable(),
    datumAfrondingOnderzoek: z.string().nullable(),
    /**
     * h: the outcome of the onderzoek, one per type of violence it concluded on (bevestigd / niet_bevestigd /
     * geen_oordeel_mogelijk); `uitkomst` null for an onderzoek concluded before outcomes were recorded per type.
     */
    uitkomst: z.array(z.object({ aard: z.enum(VIOLENCE_TYPES), uitkomst: z.enum(ONDERZOEK_OUTCOMES).nullable() }).strict()).nullable(),
    /** i: the follow-up after the onderzoek. */
    vervolgtraject: z.enum(['overdracht', 'voorwaarden_en_vervolg', 'raad_voor_de_kinderbescherming', 'afsluiten']).nullable(),
  })
  .strict();
export type BeleidsinformatieRecord = z.infer<typeof beleidsinformatieRecordSchema>;

export const beleidsinformatieSchema = z
  .object({
    half: z.string(),
    from: z.string(),
    to: z.string(),
    records: z.array(beleidsinformatieRecordSchema),
  })
  .strict();
export type Beleidsinformatie = z.infer<typeof beleidsinformatieSchema>;
