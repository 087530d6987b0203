import { formatSkill } from "@/lib/format";
import styles from "../run.module.css";
import { beats } from "./types";

/** A skill (1 − model / baseline) as a signed percentage, green when the model beats the baseline. */
export function SkillCell({ value, title }: { value: number | null | undefined; title?: string }) {
  return (
    <td className={`num ${beats(value) ? styles.skillPos : styles.skillNeg}`} title={title}>
      {formatSkill(value)}
    </td>
  );
}
