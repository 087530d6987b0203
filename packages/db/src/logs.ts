import type pg from "pg";
import type { LogLine } from "./generated/prisma/client";

export type LogLineInput = Pick<LogLine, "level" | "message" | "at"> & { fields: Record<string, unknown> | undefined };

/** Stores a batch of one attempt's log lines in one statement (a hot path: a running training logs often). */
export async function writeLogLines(pool: pg.Pool, runId: string, attempt: number, lines: readonly LogLineInput[]): Promise<void> {
  await pool.query(
    `INSERT INTO "LogLine" ("runId", "attempt", "level", "message", "fields", "at")
     SELECT $1::uuid, $2::int, l.level, l.message, l.fields, l.at
       FROM unnest($3::"LogLevel"[], $4::text[], $5::jsonb[], $6::timestamptz[]) AS l(level, message, fields, at)`,
    [
      runId,
      attempt,
      lines.map((line) => line.level),
      lines.map((line) => line.message),
      lines.map((line) => (line.fields === undefined ? null : JSON.stringify(line.fields))),
      lines.map((line) => line.at),
    ],
  );
}
