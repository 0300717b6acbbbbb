// Every chart in the console: bars drawn by Chart.js on a canvas. The canvas is an image with a
// short description; the numbers themselves are in the table each chart is shown beside.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Axis labels stay this size on every screen (the canvas is drawn at its shown size, never scaled down). */
const TICK_FONT_PX = 12;

export interface Series {
  label: string;
  values: number[];
  /** A colour with enough contrast on white (WCAG 1.4.11 for graphical objects), or one per bar. */
  color: string | string[];
}

interface BarChartProps {
  labels: string[];
  series: Series[];
  description: string;
  horizontal?: boolean;
  /** Series stacked in one bar per label. */
  stacked?: boolean;
  /** Values are counts: no ticks between whole numbers. */
  counts?: boolean;
  /** A click on a bar: a shortcut for the pointer only, the table beside the chart does the same. */
  onSelect?: (index: number) => void;
}

export function BarChart({ labels, series, description, horizontal = false, stacked = false, counts = false, onSelect }: BarChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  // The latest handler, so a new one each render does not redraw the chart.
  const select = useRef(onSelect);
  select.current = onSelect;
  const selectable = onSelect !== undefined;
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color })) },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: series.length > 1, position: 'bottom' } },
        scales: {
          x: { stacked, ticks: { font: { size: TICK_FONT_PX }, ...(counts && horizontal ? { precision: 0 } : {}) } },
          y: {
            stacked,
            ticks: { font: { size: TICK_FONT_PX }, ...(counts && !horizontal ? { precision: 0 } : {}), ...(horizontal ? { autoSkip: false } : {}) },
          },
        },
        ...(selectable ? { onClick: (_event, elements) => elements[0] && select.current?.(elements[0].index) } : {}),
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify({ labels, series, horizontal, stacked, counts, selectable })]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={description} data-tick-font-px={TICK_FONT_PX} />
    </div>
  );
}
