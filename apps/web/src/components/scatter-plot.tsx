import { formatNumber, formatParam } from "@/lib/format";
import { domain, niceTicks } from "@/lib/plot-scales";
import styles from "./scatter-plot.module.css";
import plot from "./svg-plot.module.css";

export interface ScatterPoint {
  label: string;
  /** A number, or anything else as a category (model kinds, booleans). */
  x: unknown;
  y: number;
}

const width = 640;
const height = 280;
const margin = { left: 64, right: 20, top: 14, bottom: 46 };

/**
 * A small SVG scatter of a few labelled points (up to the 20 runs of a
 * comparison): numeric x on a linear axis, any other x as categories.
 */
export function ScatterPlot({
  points,
  xLabel,
  yLabel,
  testId,
}: {
  points: ScatterPoint[];
  xLabel: string;
  yLabel: string;
  testId?: string;
}) {
  const numeric = points.every((p) => typeof p.x === "number" && Number.isFinite(p.x));
  const categories = numeric ? [] : [...new Set(points.map((p) => formatParam(p.x)))].sort();
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const [xMin, xMax] = numeric ? domain(points.map((p) => p.x as number)) : [0, 1];
  const [yMin, yMax] = domain(points.length ? points.map((p) => p.y) : [0]);
  const xOf = (x: unknown) =>
    margin.left +
    (numeric
      ? (((x as number) - xMin) / (xMax - xMin)) * plotWidth
      : ((categories.indexOf(formatParam(x)) + 0.5) / categories.length) * plotWidth);
  const yOf = (y: number) => margin.top + plotHeight - ((y - yMin) / (yMax - yMin)) * plotHeight;
  const xTicks = numeric ? niceTicks(xMin, xMax).map((value) => ({ value: value as unknown, text: formatNumber(value) })) : [];
  const yTicks = niceTicks(yMin, yMax);

  return (
    <figure className={plot.figure} data-testid={testId} data-points={points.length}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className={plot.svg}
        role="img"
        aria-label={`${yLabel} against ${xLabel}, ${points.length} runs`}
      >
        {yTicks.map((tick) => (
          <g key={`y${tick}`}>
            <line className={plot.grid} x1={margin.left} x2={width - margin.right} y1={yOf(tick)} y2={yOf(tick)} />
            <text className={plot.axisText} x={margin.left - 6} y={yOf(tick)} textAnchor="end" dominantBaseline="middle">
              {formatNumber(tick)}
            </text>
          </g>
        ))}
        {(numeric ? xTicks : categories.map((c) => ({ value: c as unknown, text: c }))).map((tick) => (
          <g key={`x${tick.text}`}>
            <line className={plot.grid} x1={xOf(tick.value)} x2={xOf(tick.value)} y1={margin.top} y2={margin.top + plotHeight} />
            <text className={plot.axisText} x={xOf(tick.value)} y={margin.top + plotHeight + 14} textAnchor="middle">
              {tick.text}
            </text>
          </g>
        ))}
        <text className={plot.axisLabel} x={margin.left + plotWidth / 2} y={height - 6} textAnchor="middle">
          {xLabel}
        </text>
        <text className={plot.axisLabel} transform={`translate(14 ${margin.top + plotHeight / 2}) rotate(-90)`} textAnchor="middle">
          {yLabel}
        </text>
        {points.map((point) => {
          const [cx, cy] = [xOf(point.x), yOf(point.y)];
          // Labels of points on the right run leftwards, so they stay inside the plot.
          const leftwards = cx > margin.left + plotWidth * 0.6;
          return (
            <g key={point.label}>
              <circle className={styles.point} cx={cx} cy={cy} r={5}>
                <title>{`${point.label}: ${xLabel} ${formatParam(point.x)}, ${yLabel} ${formatNumber(point.y)}`}</title>
              </circle>
              <text className={plot.label} x={leftwards ? cx - 7 : cx + 7} y={cy - 7} textAnchor={leftwards ? "end" : "start"}>
                {point.label}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
