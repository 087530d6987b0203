import { formatDuration } from "@/lib/format";
import styles from "./run.module.css";
import { type AttemptTimeline, outcomeText, type RecoveryMark, type StageSpan, stageTimelines } from "./stage-spans";
import { isActive, type RunDetail, type StageEventRow } from "./types";

const seconds = (ms: number) => formatDuration(ms / 1000);
const exactMs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : seconds(ms));

function UndoChips({ span }: { span: StageSpan }) {
  return span.undo.map((event, index) => {
    const failed = event.kind === "ROLLBACK_FAILED" || event.details?.failed === true;
    const name = event.kind === "CLEANED_UP" ? (failed ? "cleanup failed" : "cleaned up") : failed ? "rollback failed" : "rolled back";
    const tone = failed ? styles.chipDanger : event.kind === "ROLLED_BACK" ? styles.chipWarn : styles.chipMuted;
    return (
      // biome-ignore lint/suspicious/noArrayIndexKey: events of one span have no other identity
      <span key={index} className={`chip ${tone}`} title={event.message ?? undefined}>
        {name}
        {event.durationMs !== null ? ` ${exactMs(event.durationMs)}` : ""}
        {failed && event.message ? `: ${event.message}` : ""}
      </span>
    );
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function SpanRow({
  span,
  timeline,
  terminal,
  endsAttempt,
}: {
  span: StageSpan;
  timeline: AttemptTimeline;
  terminal: boolean;
  endsAttempt: boolean;
}) {
  const total = Math.max(1, timeline.end - timeline.start);
  const end = span.end ?? timeline.end;
  const outcome = span.outcome === "running" && terminal ? "interrupted" : span.outcome;
  const text = outcomeText(span, outcome, endsAttempt && outcome !== "succeeded" ? timeline.resumedAs : null);
  return (
    <tr data-outcome={outcome}>
      <td>{span.stage}</td>
      <td className={styles.ganttCell}>
        <div className={styles.ganttTrack}>
          <div
            className={`${styles.ganttBar} ${styles[`bar_${outcome}`] ?? ""}`}
            style={{
              left: `${((span.start - timeline.start) / total) * 100}%`,
              width: `${Math.max(0.5, ((end - span.start) / total) * 100)}%`,
            }}
            title={`${span.stage}: ${outcome}, ${exactMs(end - span.start)}`}
          />
        </div>
      </td>
      <td className="num">{exactMs(end - span.start)}</td>
      <td className={styles.notes}>
        <span className={`${styles.outcome} ${styles[`text_${outcome}`] ?? ""}`}>{text}</span>
        {span.message && outcome !== "cancelled" && <span className={styles.wrap}> {span.message}</span>} <UndoChips span={span} />
      </td>
    </tr>
  );
}

function RecoveryRow({ mark, timeline }: { mark: RecoveryMark; timeline: AttemptTimeline }) {
  const total = Math.max(1, timeline.end - timeline.start);
  return (
    <tr className={styles.recoveryRow}>
      <td>{mark.stage}</td>
      <td className={styles.ganttCell}>
        <div className={styles.ganttTrack}>
          <div className={styles.ganttMark} style={{ left: `${((mark.at - timeline.start) / total) * 100}%` }} />
        </div>
      </td>
      <td className="num">—</td>
      <td className={styles.notes}>
        <span className={`chip ${styles.chipWarn}`}>recovery{mark.action ? `: ${mark.action}` : ""}</span>{" "}
        <span className={styles.wrap}>{mark.message}</span>
      </td>
    </tr>
  );
}

/** One attempt: its stage spans and recovery decisions in time order. */
function AttemptRows({ timeline, terminal }: { timeline: AttemptTimeline; terminal: boolean }) {
  const last = timeline.spans.at(-1);
  const rows = [
    ...timeline.spans.map((span) => ({
      at: span.start,
      row: (
        <SpanRow key={`s-${span.stage}-${span.start}`} span={span} timeline={timeline} terminal={terminal} endsAttempt={span === last} />
      ),
    })),
    ...timeline.recoveries.map((mark) => ({
      at: mark.at,
      row: <RecoveryRow key={`r-${mark.at}-${mark.message}`} mark={mark} timeline={timeline} />,
    })),
  ].sort((a, b) => a.at - b.at);
  return (
    <tbody>
      <tr className={styles.attemptRow}>
        <th colSpan={4} scope="rowgroup">
          Attempt {timeline.attempt} · {seconds(timeline.end - timeline.start)}
        </th>
      </tr>
      {rows.map((r) => r.row)}
    </tbody>
  );
}

/** Each attempt's stages as bars on one time axis, rollbacks and recoveries in the warning colour. */
export function StageTimeline({ run }: { run: RunDetail }) {
  // Details are any JSON; every one the engine writes is an object.
  const events: StageEventRow[] = run.stages.map((event) => ({
    ...event,
    details: typeof event.details === "object" && event.details !== null && !Array.isArray(event.details) ? event.details : null,
  }));
  const now = run.finishedAt?.getTime() ?? Date.now();
  const timelines = stageTimelines(events, now);
  const rollbacks = events.filter((e) => e.kind === "ROLLED_BACK" || e.kind === "ROLLBACK_FAILED").length;
  const recoveries = events.filter((e) => e.kind === "RECOVERY").length;
  return (
    <section className="card" aria-labelledby="stages-title">
      <h2 id="stages-title">Stages</h2>
      {timelines.length === 0 ? (
        <p className="muted">{isActive(run.status) ? "No stage has started yet." : "This run recorded no stages."}</p>
      ) : (
        <>
          {(rollbacks > 0 || recoveries > 0 || timelines.length > 1) && (
            <p className={styles.warnText}>
              {plural(timelines.length, "attempt")} · {plural(rollbacks, "stage rollback")} · {plural(recoveries, "recovery decision")}
            </p>
          )}
          <div className={styles.scroll}>
            <table className={styles.stageTable} data-testid="stage-timeline">
              <thead>
                <tr>
                  <th>Stage</th>
                  <th className={styles.ganttCell}>Timeline</th>
                  <th className="num">Duration</th>
                  <th>Outcome</th>
                </tr>
              </thead>
              {timelines.map((timeline) => (
                <AttemptRows key={timeline.attempt} timeline={timeline} terminal={!isActive(run.status)} />
              ))}
            </table>
          </div>
        </>
      )}
    </section>
  );
}
