"use client";
import { pipelineDescriptions, pipelineNames } from "@hindcast/contracts";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { CheckboxField, ListField, SelectField, TextField } from "./fields";
import styles from "./new-training.module.css";

const experimentsListId = "experiment-names";

/** Pipeline, name, tags, experiment and where the run may go. */
export function RunSection() {
  const trpc = useTRPC();
  const experiments = useQuery(trpc.experiments.list.queryOptions());
  return (
    <section className="card" aria-labelledby="run-heading">
      <h2 id="run-heading">Run</h2>
      <div className={styles.fields}>
        <div className={styles.wide}>
          <SelectField
            path="pipeline"
            label="Pipeline"
            choices={pipelineNames.map((p) => ({ value: p, label: `${p}: ${pipelineDescriptions[p]}` }))}
          />
        </div>
        <TextField path="name" label="Name" placeholder="optional" />
        <ListField path="tags" label="Tags" kind="text" placeholder="e.g. baseline, sp500" hint="comma-separated" />
        <TextField
          path="experiment"
          label="Experiment"
          placeholder="optional"
          hint="created if it does not exist"
          list={experimentsListId}
        />
        <datalist id={experimentsListId}>
          {experiments.data?.map((e) => (
            <option key={e.id} value={e.name} />
          ))}
        </datalist>
        <div className={styles.wide}>
          <CheckboxField path="requireGpu" label="Requires a GPU" hint="only workers with a GPU backend take the run" />
        </div>
      </div>
    </section>
  );
}
