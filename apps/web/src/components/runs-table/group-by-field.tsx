"use client";
import { groupParamPrefix as paramPrefix } from "@hindcast/contracts";
import { useQuery } from "@tanstack/react-query";
import { Field } from "@/components/form-field";
import { useTRPC } from "@/lib/trpc";

const fixedChoices = [
  { value: "", label: "No grouping" },
  { value: "runGroup", label: "Run group (seeds)" },
  { value: "experiment", label: "Experiment" },
  { value: "tag", label: "Tag" },
];

/** The label of a grouping in headers and hints: a param's key, or the choice's name. */
export const groupByLabel = (groupBy: string) =>
  groupBy.startsWith(paramPrefix) ? groupBy.slice(paramPrefix.length) : (fixedChoices.find((c) => c.value === groupBy)?.label ?? groupBy);

/** How the runs are grouped: by run group, experiment, tag or any param key the runs have; a choice applies at once. */
export function GroupByField({
  id,
  value,
  error,
  onChange,
}: {
  id: string;
  value: string;
  error?: string;
  onChange: (groupBy: string) => void;
}) {
  const trpc = useTRPC();
  const keys = useQuery(trpc.compare.columns.queryOptions());
  const params = (keys.data?.params ?? []).map((key) => `${paramPrefix}${key}`);
  // A grouping from a link that is not offered stays visible, so its error makes sense.
  const unknown = value && !fixedChoices.some((c) => c.value === value) && !params.includes(value) ? [value] : [];
  return (
    <Field id={id} label="Group by" error={error} hint="mean, spread and best per group">
      {(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
          {fixedChoices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
          <optgroup label="Param">
            {[...params, ...unknown].map((groupBy) => (
              <option key={groupBy} value={groupBy}>
                {groupByLabel(groupBy)}
              </option>
            ))}
          </optgroup>
        </select>
      )}
    </Field>
  );
}
