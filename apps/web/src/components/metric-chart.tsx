"use client";
import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import { smooth } from "@/lib/smoothing";
import { useColorScheme } from "@/lib/use-color-scheme";

export interface ChartSeries {
  label: string;
  x: number[];
  y: number[];
  /** Any CSS colour, theme variables included (`var(--chart-model)`). */
  color?: string;
  dash?: number[];
  /** Line width in CSS pixels (default 1.5). */
  width?: number;
  /** Marks at each point and no line between them (a value per trial rather than a curve). */
  points?: boolean;
}

/** The area between two series (named by label), e.g. a prediction interval. */
export interface ChartBand {
  upper: string;
  lower: string;
  fill: string;
}

export type XKind = "step" | "wall" | "relative" | "date";

export interface MetricChartProps {
  series: ChartSeries[];
  xKind?: XKind;
  logScale?: boolean;
  /** TensorBoard-style EMA weight in [0, 1); 0 draws the raw values. */
  smoothing?: number;
  height?: number;
  title?: string;
  /** The x axis' title, where the default (step, seconds) is not what x counts. */
  xLabel?: string;
  /** The y axis' tick labels, where uPlot's (at most 3 decimals) would make close values look the same. */
  yFormat?: (value: number) => string;
  testId?: string;
  bands?: ChartBand[];
}

/** Tick spacings for integer x values (steps): 1, 2, 5, 10, 20, 50, … so no tick falls between two steps. */
const integerIncrements = Array.from({ length: 10 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e)).flat();

const palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d"];

/** One x array for all series (uPlot's aligned data), nulls where a series has no point. */
function align(series: ChartSeries[], smoothing: number): uPlot.AlignedData {
  if (series.length === 0) return [[]];
  const tables = series.map((s) => [s.x, smoothing > 0 ? smooth(s.y, smoothing) : s.y] as uPlot.AlignedData);
  return series.length === 1 ? (tables[0] as uPlot.AlignedData) : uPlot.join(tables);
}

/** A CSS colour as a canvas takes it: the canvas knows neither var() nor light-dark(), so the browser resolves it here. */
function canvasColor(element: HTMLElement, color: string): string {
  const probe = document.createElement("span");
  probe.style.color = color;
  element.append(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved || color;
}

/** uPlot's bands: series indexes (1-based; 0 is x) of each band's edges, and its fill. */
function plotBands(element: HTMLElement, series: ChartSeries[], bands: ChartBand[]): uPlot.Band[] {
  const index = (label: string) => series.findIndex((s) => s.label === label) + 1;
  return bands
    .filter((band) => index(band.upper) > 0 && index(band.lower) > 0)
    .map((band) => ({ series: [index(band.upper), index(band.lower)], fill: canvasColor(element, band.fill) }));
}

/**
 * The y axis as wide as its longest tick label (uPlot's documented pattern),
 * so 1.234e+6 or -0.000123 is not cut off by a fixed width.
 */
function fitAxisToLabels(self: uPlot, values: string[] | null, axisIndex: number, cycle: number): number {
  const axis = self.axes[axisIndex] as uPlot.Axis & { _size?: number; font?: string[] };
  if (cycle > 1 && axis._size) return axis._size;
  const longest = (values ?? []).reduce((a, b) => (b.length > a.length ? b : a), "");
  const ticks = (axis.ticks as { size?: number } | undefined)?.size ?? 10;
  let size = ticks + (axis.gap ?? 5);
  if (longest) {
    self.ctx.font = axis.font?.[0] ?? self.ctx.font;
    size += self.ctx.measureText(longest).width / devicePixelRatio;
  }
  return Math.ceil(size) + 4;
}

/**
 * A canvas line chart (uPlot): drag to zoom, double-click to reset, log
 * scale, smoothing, and new data applied in place so live updates keep the
 * zoom and never rebuild the chart.
 */
export function MetricChart({
  series,
  xKind = "step",
  logScale = false,
  smoothing = 0,
  height = 260,
  title,
  xLabel,
  yFormat,
  testId,
  bands = [],
}: MetricChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useMemo(() => align(series, smoothing), [series, smoothing]);
  const scheme = useColorScheme();
  const bandShape = bands.map((b) => `${b.upper}>${b.lower}|${b.fill}`).join(",");
  const shape = `${series.map((s) => `${s.label}|${s.color ?? ""}|${s.dash ?? ""}|${s.width ?? ""}|${s.points ?? ""}`).join(",")}|${bandShape}|${xKind}|${xLabel ?? ""}|${logScale}|${height}|${scheme}`;
  const dataRef = useRef(data);
  dataRef.current = data;

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the chart's shape changes; data goes through setData below
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    // Canvas text and lines take no CSS: the theme's colours are resolved here, and the chart is rebuilt when the theme changes.
    const axisColor = canvasColor(element, "var(--muted)");
    const gridColor = canvasColor(element, "var(--border)");
    const axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 } };
    element.dataset.axisColor = axisColor;
    const options: uPlot.Options = {
      title,
      width: Math.max(element.clientWidth, 200),
      height,
      scales: { x: { time: xKind === "wall" || xKind === "date" }, y: logScale ? { distr: 3 } : {} },
      axes: [
        {
          label: xLabel ?? (xKind === "relative" ? "seconds" : xKind === "step" ? "step" : undefined),
          // Only when set: an undefined option would replace uPlot's default.
          ...(xKind === "step" ? { incrs: integerIncrements } : {}),
          ...axis,
        },
        { ...axis, size: fitAxisToLabels, ...(yFormat ? { values: (_: uPlot, splits: number[]) => splits.map(yFormat) } : {}) },
      ],
      series: [
        { label: xLabel ?? xKind },
        ...series.map((s, i) => {
          const stroke = canvasColor(element, s.color ?? (palette[i % palette.length] as string));
          return {
            label: s.label,
            stroke,
            dash: s.dash,
            width: s.width ?? 1.5,
            spanGaps: true,
            ...(s.points ? { paths: () => null, points: { show: true, size: 8, width: 1, fill: stroke } } : { points: { show: false } }),
          };
        }),
      ],
      bands: plotBands(element, series, bands),
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
    };
    const chart = new uPlot(options, dataRef.current, element);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(element.clientWidth, 200), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [shape]);

  useEffect(() => {
    const chart = plot.current;
    if (!chart) return;
    // Live points: follow the data while the whole series is in view; keep a user's zoom (resetScales false) otherwise.
    const xs = chart.data[0];
    const { min, max } = chart.scales.x ?? {};
    const first = xs[0];
    const last = xs[xs.length - 1];
    const zoomed = min != null && max != null && first !== undefined && last !== undefined && (min > first || max < last);
    chart.setData(data, !zoomed);
  }, [data]);

  const points = series.reduce((sum, s) => sum + s.y.length, 0);
  return (
    <div
      ref={container}
      className="chart"
      data-testid={testId}
      data-points={points}
      data-bands={bands.length || undefined}
      role="img"
      aria-label={`${title ?? "chart"}: ${series.map((s) => s.label).join(", ")}`}
    />
  );
}
