import { type GroupBy, groupKinds, groupParamPrefix, parseGroupBy, UserFacingError } from "@hindcast/contracts";

/** One group of a grouped table: the runs whose group value is `value` (null: runs without one). An experiment's value is its name. */
export interface GroupFilter {
  /** What the runs are grouped by, as text: "param:model.kind", "tag", "experiment" or "runGroup". */
  by: string;
  value: unknown;
}

/** A grouping's text read; a user error naming `path` for text that names none. */
export function groupByOf(text: string, path: string): GroupBy {
  const by = parseGroupBy(text);
  if (by) return by;
  throw new UserFacingError(`"${text.slice(0, 100)}" is no grouping`, `use ${groupParamPrefix}<a spec key>, ${groupKinds.join(", ")}`, {
    path,
  });
}

/** A run's group value over `"Run" r` (a tag grouping needs `tagJoin`'s `t`); JSON null reads as no value. */
export function groupKeySql(by: GroupBy, param: (value: unknown) => string): string {
  switch (by.kind) {
    case "param":
      return `nullif(r."params" -> ${param(by.key)}::text, 'null'::jsonb)`;
    case "tag":
      return `t."tag"`;
    case "experiment":
      return `r."experimentId"`;
    case "runGroup":
      return `r."runGroup"`;
  }
}

/** The join a tag grouping reads `t."tag"` from: one row per tag, and one with no tag for a run without any. */
export const tagJoin = (by: GroupBy) => (by.kind === "tag" ? `LEFT JOIN LATERAL unnest(r."tags") t("tag") ON true` : "");

/** The SQL condition of a run being in one group; the non-null cases can use the indexes on params, tags, experiment and run group. */
export function groupMemberSql(group: GroupFilter, param: (value: unknown) => string): string {
  const by = groupByOf(group.by, "group.by");
  const { value } = group;
  switch (by.kind) {
    case "param":
      // Containment finds candidates by the GIN index; equality makes a list value match exactly.
      return value === null
        ? `${groupKeySql(by, param)} IS NULL`
        : `(r."params" @> ${param(JSON.stringify({ [by.key]: value }))}::jsonb AND r."params" -> ${param(by.key)}::text = ${param(JSON.stringify(value))}::jsonb)`;
    case "tag":
      return value === null ? `r."tags" = '{}'` : `r."tags" @> ARRAY[${param(value)}::text]`;
    case "experiment":
      return value === null
        ? `r."experimentId" IS NULL`
        : `r."experimentId" = (SELECT "id" FROM "Experiment" WHERE "name" = ${param(value)}::text)`;
    case "runGroup":
      return value === null ? `r."runGroup" IS NULL` : `r."runGroup" = ${param(value)}::text`;
  }
}
