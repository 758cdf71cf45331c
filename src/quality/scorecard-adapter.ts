import type { FigureId } from '../../workflows/quality/expectations';
import type { FigureReading } from '../../workflows/quality/scorecard';
import type { QualityService } from '../reporting/quality.service';

export type QualityReport = Awaited<ReturnType<QualityService['report']>>;

/**
 * The one place the scorecard reads the quality report: figure id → met of total, and the cases falling short.
 * When the report's figures change shape (met / justified / missing, new terms), only this function changes.
 * A figure the report does not have reads as undefined: the expectation is then "not measurable".
 */
export function figureReading(report: QualityReport, id: FigureId): FigureReading | undefined {
  const figures: Partial<Record<string, QualityReport['figures'][keyof QualityReport['figures']]>> = report.figures;
  const f = figures[id];
  if (!f) return undefined;
  // Falling short is not met, with or without a recorded reason: a justified exception is still not "met".
  const casesFallingShort = [...new Set([...f.casesMissing, ...f.casesJustified])];
  return { met: f.met, total: f.applicable, casesFallingShort, casesFallingShortTruncated: f.casesMissingTruncated || f.casesJustifiedTruncated };
}
