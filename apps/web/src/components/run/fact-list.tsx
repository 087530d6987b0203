import type { ReactNode } from "react";
import styles from "./run.module.css";

/** Labelled values in a grid (the run header's facts, the progress figures). */
export function FactList({ facts }: { facts: [string, ReactNode][] }) {
  return (
    <dl className={styles.facts}>
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
