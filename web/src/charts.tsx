/**
 * Charts with Chart.js (tree-shaken: only the controllers used here). Suppressed cells are never drawn as zero: their
 * value is null (no bar, a gap in the line) and the `suppressed` plugin hatches their place and writes "onderdrukt".
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type Plugin,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

export interface SuppressedMark {
  datasetIndex: number;
  index: number;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    suppressed?: { marks: SuppressedMark[]; type?: TType };
  }
}

function hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const t = tile.getContext('2d');
  if (!t) return color;
  t.strokeStyle = color;
  t.lineWidth = 1.5;
  t.beginPath();
  t.moveTo(0, 8);
  t.lineTo(8, 0);
  t.stroke();
  return ctx.createPattern(tile, 'repeat') ?? color;
}

const suppressedPlugin: Plugin = {
  id: 'suppressed',
  afterDatasetsDraw(chart, _args, options: { marks?: SuppressedMark[] }) {
    const marks = options.marks ?? [];
    if (marks.length === 0) return;
    const { ctx, chartArea } = chart;
    const horizontal = chart.options.indexAxis === 'y';
    const isBar = (chart.config as { type?: string }).type === 'bar';
    const categoryScale = horizontal ? chart.scales.y : chart.scales.x;
    if (!categoryScale) return;
    const count = chart.data.labels?.length ?? 1;
    const datasets = chart.data.datasets.length;
    const slot = (horizontal ? categoryScale.height : categoryScale.width) / count;
    ctx.save();
    ctx.font = '11px system-ui, sans-serif';
    for (const m of marks) {
      const border = chart.data.datasets[m.datasetIndex]?.borderColor;
      const color = typeof border === 'string' ? border : '#555';
      const center = categoryScale.getPixelForValue(m.index);
      let start: number;
      let size: number;
      if (isBar) {
        const group = slot * 0.8;
        size = (group / datasets) * 0.9;
        start = center - group / 2 + (group / datasets) * m.datasetIndex + (group / datasets - size) / 2;
      } else {
        size = Math.min(12, slot * 0.4);
        start = center - size / 2;
      }
      ctx.globalAlpha = horizontal ? 1 : 0.55;
      ctx.fillStyle = hatch(ctx, color);
      ctx.strokeStyle = color;
      ctx.setLineDash([3, 2]);
      if (horizontal) {
        ctx.fillRect(chartArea.left, start, chartArea.width * 0.25, size);
        ctx.strokeRect(chartArea.left, start, chartArea.width * 0.25, size);
        ctx.globalAlpha = 1;
        ctx.fillStyle = '#222';
        ctx.textBaseline = 'middle';
        ctx.fillText('onderdrukt', chartArea.left + chartArea.width * 0.25 + 4, start + size / 2);
      } else {
        ctx.fillRect(start, chartArea.top, size, chartArea.height);
        ctx.strokeRect(start, chartArea.top, size, chartArea.height);
      }
    }
    ctx.restore();
  },
};

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip, suppressedPlugin);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#222';
Chart.defaults.animation = false;

export const COLORS = { gemeente: '#0b5cad', regio: '#b35900', derde: '#2e7d32', norm: '#8b1a1a' };

/** A chart on a canvas; `label` is its accessible name, the table beside it carries the numbers. */
export function ChartBox<T extends ChartType>({ config, label, testId }: { config: ChartConfiguration<T>; label: string; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config as ChartConfiguration);
    return () => chart.destroy();
  }, [config]);
  const marks = config.options?.plugins?.suppressed?.marks?.length ?? 0;
  return (
    <div class="chart" data-testid={testId} data-suppressed-marks={marks}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
